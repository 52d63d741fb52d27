package io.github.flinkdbt;

import static io.github.flinkdbt.TestProjects.write;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A goal whose inputs did not change does nothing; any change to an input makes it work again. */
class BuildRecordTest {

    @TempDir
    Path dir;

    private BuildSummary compile(Map<String, Object> vars, Map<String, String> env) {
        return FlinkDbt.compile(TestProjects.builder(dir).vars(vars).environment(env).build());
    }

    @Test
    void upToDateUntilAnInputChanges() throws IOException {
        TestProjects.shop(dir);
        write(dir, "src/main/sql/region.sql", "select '{{ env_var('REGION', 'eu') }}{{ var('suffix', '') }}' as region\n");
        assertThat(compile(Map.of(), Map.of("REGION", "eu")).planned()).hasSize(6);
        assertThat(BuildRecord.upToDate(TestProjects.builder(dir).environment(Map.of("REGION", "eu")).build(),
                "compile-models")).isPresent();

        // an environment variable the models read
        assertThat(compile(Map.of(), Map.of("REGION", "us")).planned()).containsExactly("region");
        // one they do not read changes nothing
        assertThat(BuildRecord.upToDate(TestProjects.builder(dir).environment(Map.of("REGION", "us", "OTHER", "x"))
                .build(), "compile-models")).isPresent();
        // a var
        assertThat(compile(Map.of("suffix", "!"), Map.of("REGION", "us")).planned()).containsExactly("region");
        // a file
        write(dir, "src/main/sql/schema.yml", Files.readString(dir.resolve("src/main/sql/schema.yml")) + "\n# note\n");
        assertThat(BuildRecord.upToDate(TestProjects.builder(dir).vars(Map.of("suffix", "!"))
                .environment(Map.of("REGION", "us")).build(), "compile-models")).isEmpty();
        compile(Map.of("suffix", "!"), Map.of("REGION", "us"));
        // an output file someone edited
        Path plan = dir.resolve("target/flink-dbt/plans/clicks_per_user.json");
        Files.writeString(plan, "{}");
        BuildRequest request = TestProjects.builder(dir).vars(Map.of("suffix", "!")).environment(Map.of("REGION", "us"))
                .build();
        assertThat(BuildRecord.upToDate(request, "compile-models")).isEmpty();
        FlinkDbt.compile(request);
        assertThat(Files.readString(plan)).contains("clicks_per_user/group-aggregate");
    }
}
