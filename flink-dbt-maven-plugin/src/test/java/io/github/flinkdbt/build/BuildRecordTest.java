package io.github.flinkdbt.build;

import static io.github.flinkdbt.TestProjects.write;
import static org.assertj.core.api.Assertions.assertThat;

import io.github.flinkdbt.FlinkDbt;
import io.github.flinkdbt.TestProjects;
import io.github.flinkdbt.api.BuildSummary;
import io.github.flinkdbt.api.Settings;
import io.github.flinkdbt.state.Baseline;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A goal whose inputs did not change does nothing; any change to an input makes it work again. */
class BuildRecordTest {

    @TempDir
    Path dir;

    private BuildSummary compile(Map<String, Object> vars, Map<String, String> env) {
        return FlinkDbt.compile(
                TestProjects.settings(dir).vars(vars).build(),
                TestProjects.invocation().environment(env).build());
    }

    private Optional<BuildRecord.Last> upToDate(Map<String, Object> vars, Map<String, String> env) {
        Settings settings = TestProjects.settings(dir).vars(vars).build();
        return BuildRecord.upToDate(settings, env, "compile-models", Baseline::none);
    }

    @Test
    void upToDateUntilAnInputChanges() throws IOException {
        TestProjects.shop(dir);
        write(
                dir,
                "src/main/sql/region.sql",
                "select '{{ env_var('REGION', 'eu') }}{{ var('suffix', '') }}' as region\n");
        assertThat(compile(Map.of(), Map.of("REGION", "eu")).planned()).hasSize(6);
        assertThat(upToDate(Map.of(), Map.of("REGION", "eu"))).isPresent();

        // an environment variable the models read
        assertThat(compile(Map.of(), Map.of("REGION", "us")).planned()).containsExactly("region");
        // one they do not read changes nothing
        assertThat(upToDate(Map.of(), Map.of("REGION", "us", "OTHER", "x"))).isPresent();
        // a var
        assertThat(compile(Map.of("suffix", "!"), Map.of("REGION", "us")).planned())
                .containsExactly("region");
        // a file
        write(dir, "src/main/sql/schema.yml", Files.readString(dir.resolve("src/main/sql/schema.yml")) + "\n# note\n");
        assertThat(upToDate(Map.of("suffix", "!"), Map.of("REGION", "us"))).isEmpty();
        compile(Map.of("suffix", "!"), Map.of("REGION", "us"));
        // an output file someone edited
        Path plan = dir.resolve("target/flink-dbt/plans/clicks_per_user.json");
        Files.writeString(plan, "{}");
        assertThat(upToDate(Map.of("suffix", "!"), Map.of("REGION", "us"))).isEmpty();
        compile(Map.of("suffix", "!"), Map.of("REGION", "us"));
        assertThat(Files.readString(plan)).contains("clicks_per_user/group-aggregate");
    }
}
