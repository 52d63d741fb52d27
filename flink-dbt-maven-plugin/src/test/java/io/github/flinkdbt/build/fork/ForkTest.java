package io.github.flinkdbt.build.fork;

import static io.github.flinkdbt.TestProjects.write;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.flinkdbt.FlinkDbt;
import io.github.flinkdbt.TestProjects;
import io.github.flinkdbt.api.BuildSummary;
import io.github.flinkdbt.api.Invocation;
import io.github.flinkdbt.api.Settings;
import io.github.flinkdbt.common.FlinkDbtException;
import io.github.flinkdbt.common.ProblemsException;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The planner JVM: results, logs and problems come back as if it ran in this JVM. */
class ForkTest {

    @TempDir
    Path dir;

    private final List<String> log = new CopyOnWriteArrayList<>();

    private Settings settings() {
        return TestProjects.settings(dir).build();
    }

    private Invocation invocation(List<Path> pluginClasspath) {
        return TestProjects.invocation()
                .fork(true)
                .pluginClasspath(pluginClasspath)
                .log(TestProjects.capturing(log, false))
                .build();
    }

    @Test
    void planningHappensInTheForkAndOnlyWhenNeeded() {
        TestProjects.shop(dir);
        BuildSummary first = FlinkDbt.validate(settings(), invocation(TestProjects.testClasspath()));
        assertThat(first.planned()).hasSize(5);
        assertThat(log).anyMatch(line -> line.contains("5 models") && line.contains("valid"));
        // compile needs no planner now: it runs here, without starting a JVM (a broken one would fail)
        BuildSummary compiled = FlinkDbt.compile(settings(), invocation(List.of(Path.of("/nonexistent.jar"))));
        assertThat(compiled.planned()).isEmpty();
        assertThat(compiled.outputChanged()).isTrue();
    }

    @Test
    void problemsComeBackWithTheirPositions() {
        TestProjects.shop(dir);
        write(dir, "src/main/sql/bad.sql", "select\n  nope\nfrom {{ ref('stg_page_views') }}\n");
        assertThatThrownBy(() -> FlinkDbt.validate(settings(), invocation(TestProjects.testClasspath())))
                .isInstanceOf(ProblemsException.class)
                .satisfies(e -> assertThat(
                                ((ProblemsException) e).problems().get(0).format())
                        .startsWith("src/main/sql/bad.sql:2:3  Column 'nope' not found in ref('stg_page_views')."));
    }

    @Test
    void aBrokenForkSaysWhatHappened() {
        TestProjects.shop(dir);
        assertThatThrownBy(() -> FlinkDbt.validate(settings(), invocation(List.of(Path.of("/nonexistent.jar")))))
                .isInstanceOf(FlinkDbtException.class)
                .hasMessageContaining("The planner JVM stopped (exit code 1) without a result.")
                .hasMessageContaining("ClassNotFoundException: io.github.flinkdbt.build.ForkChild");
    }
}
