package io.github.flinkdbt.run;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.flinkdbt.TestProjects;
import io.github.flinkdbt.common.Problems;
import io.github.flinkdbt.mojo.MavenHints;
import io.github.flinkdbt.project.Project;
import io.github.flinkdbt.project.Secrets;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RunFailuresTest {

    @TempDir
    Path dir;

    @Test
    void aFailureQuotingTableOptionsShowsNoSecret() {
        TestProjects.write(dir, "src/main/sql/out.sql", """
                {{ config(materialized='streaming_table', connector_properties={'connector': 'kafka', 'topic': 't',
                    'properties.sasl.jaas.config': 'PlainLoginModule required username="u" password="hunter2-secret";'}) }}
                select 1 as x
                """);
        Project project = TestProjects.load(dir, new Problems());
        RunFailures failures = new RunFailures(Secrets.values(project), MavenHints.get());
        RuntimeException failure = new RuntimeException(
                "job failed",
                new IllegalStateException(
                        "Unable to create a sink. Table options are: 'properties.sasl.jaas.config'='PlainLoginModule required "
                                + "username=\"u\" password=\"hunter2-secret\";'"));
        String line = failures.describe(project.model("out"), failure);
        assertThat(line)
                .startsWith("IllegalStateException: Unable to create a sink.")
                .doesNotContain("hunter2-secret")
                .contains("src/main/sql/out.sql");
    }
}
