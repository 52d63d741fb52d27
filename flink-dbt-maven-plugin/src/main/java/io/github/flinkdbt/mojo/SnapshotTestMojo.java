package io.github.flinkdbt.mojo;

import io.github.flinkdbt.BuildRequest;
import io.github.flinkdbt.FlinkDbt;
import io.github.flinkdbt.RunRequest;
import io.github.flinkdbt.TestRequest;
import java.io.File;
import org.apache.maven.plugins.annotations.LifecyclePhase;
import org.apache.maven.plugins.annotations.Mojo;
import org.apache.maven.plugins.annotations.Parameter;
import org.apache.maven.plugins.annotations.ResolutionScope;

/**
 * Runs the models' unit tests (given rows, expected rows) and data tests (not_null, unique,
 * accepted_values, relationships, custom, singular) on one embedded Flink cluster; writes JUnit
 * XML reports to {@code target/flink-dbt-reports}. Data tests read fixtures, or the deployed
 * tables with {@code -Dflink-dbt.against=deployed} (at {@code -Dflink-dbt.asOf}).
 */
@Mojo(name = "snapshot-test", defaultPhase = LifecyclePhase.TEST, threadSafe = true,
        requiresDependencyResolution = ResolutionScope.TEST)
public class SnapshotTestMojo extends AbstractFlinkDbtMojo {

    /** Maven's switch to skip tests. */
    @Parameter(property = "skipTests", defaultValue = "false")
    private boolean skipTests;

    /** Skips flink-dbt's tests only. */
    @Parameter(property = "flink-dbt.skipTests", defaultValue = "false")
    private boolean skipModelTests;

    /** Maven's switch to skip compiling and running tests. */
    @Parameter(property = "maven.test.skip", defaultValue = "false")
    private boolean skipTestCompile;

    /** What data tests read: {@code fixtures} (src/test/fixtures) or {@code deployed} (the home's tables). */
    @Parameter(property = "flink-dbt.against", defaultValue = "fixtures")
    private String against;

    /** With against=deployed: an Iceberg snapshot id or a time (2026-11-24T10:15:00Z) to read the tables at. */
    @Parameter(property = "flink-dbt.asOf")
    private String asOf;


    /** Where the JUnit XML reports go. */
    @Parameter(property = "flink-dbt.reportsDirectory", defaultValue = "${project.build.directory}/flink-dbt-reports")
    private File reportsDirectory;

    /** Options of the JVM the tests fork, space separated. */
    @Parameter(property = "flink-dbt.testJvmArgs")
    private String testJvmArgs;

    @Override
    protected void run(BuildRequest request) {
        if (skipTests || skipModelTests || skipTestCompile) {
            getLog().info("flink-dbt: tests are skipped.");
            return;
        }
        FlinkDbt.test(new TestRequest(request, AgainstOption.deployed(against), asOf, home.toPath(),
                reportsDirectory.toPath(), jvmArgs(testJvmArgs, RunRequest.DEFAULT_JVM_ARGS), null));
    }

    @Override
    protected String afterProblems() {
        return "No test was run. Fix the problems above and run again.";
    }
}
