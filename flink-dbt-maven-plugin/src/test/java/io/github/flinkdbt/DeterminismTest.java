package io.github.flinkdbt;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.flinkdbt.report.OutputDirectory;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Same inputs, byte-identical {@code target/flink-dbt/}: in one JVM or two, with one planner thread
 * or two, whatever was planned before in the JVM, whatever order the files were created in.
 */
class DeterminismTest {

    @TempDir
    Path dir;

    private Map<String, String> compile(Path project, int threads, boolean fork) {
        FlinkDbt.compile(
                TestProjects.settings(project).useCache(false).build(),
                TestProjects.invocation()
                        .threads(threads)
                        .fork(fork)
                        .pluginClasspath(TestProjects.testClasspath())
                        .build());
        Map<String, String> files = new TreeMap<>();
        OutputDirectory.read(project.resolve("target/flink-dbt")).forEach((k, v) -> files.put(k, new String(v)));
        return files;
    }

    @Test
    void theSameProjectAlwaysCompilesToTheSameBytes() throws IOException {
        Path project = TestProjects.shop(dir.resolve("a"));
        Map<String, String> first = compile(project, 2, false);
        assertThat(first)
                .containsKeys(
                        "manifest.json",
                        "plans/clicks_per_user.json",
                        "plans/views_per_minute.json",
                        "compiled/revenue_per_user.sql");

        assertThat(compile(project, 1, false)).isEqualTo(first);

        // plan something else first: Flink's JVM-wide node counter has moved on
        Path other = dir.resolve("other");
        TestProjects.write(other, "src/main/sql/sources.yml", TestProjects.SOURCES);
        TestProjects.write(
                other,
                "src/main/sql/x.sql",
                "{{ config(materialized='streaming_table', unique_key='user_id') }}\n"
                        + "select user_id, count(*) as n from {{ source('shop', 'page_views') }} group by user_id\n");
        compile(other, 2, false);
        assertThat(compile(project, 2, false)).isEqualTo(first);

        // another JVM
        assertThat(compile(project, 2, true)).isEqualTo(first);

        // the same files created in the opposite order, in another directory
        Path copy = dir.resolve("b");
        List<Path> files = new ArrayList<>();
        try (Stream<Path> walk = Files.walk(project.resolve("src"))) {
            walk.filter(Files::isRegularFile).forEach(files::add);
        }
        Collections.reverse(files);
        for (Path file : files) {
            TestProjects.write(copy, project.relativize(file).toString(), Files.readString(file));
        }
        assertThat(compile(copy, 2, false)).isEqualTo(first);
    }
}
