package io.github.flinkdbt.mojo;

import io.github.flinkdbt.FlinkDbt;
import io.github.flinkdbt.api.Invocation;
import io.github.flinkdbt.api.Settings;
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
@Mojo(
        name = "snapshot-test",
        defaultPhase = LifecyclePhase.TEST,
        threadSafe = true,
        requiresDependencyResolution = ResolutionScope.TEST)
public class SnapshotTestMojo extends AbstractFlinkDbtMojo {

    /** Maven's switch to skip tests. */
    @Parameter(property = PropertyNames.MAVEN_SKIP_TESTS, defaultValue = "false")
    private boolean skipTests;

    /** Skips flink-dbt's tests only. */
    @Parameter(property = PropertyNames.SKIP_TESTS, defaultValue = "false")
    private boolean skipModelTests;

    /** Maven's switch to skip compiling and running tests. */
    @Parameter(property = PropertyNames.MAVEN_TEST_SKIP, defaultValue = "false")
    private boolean skipTestCompile;

    /** What data tests read: {@code fixtures} (src/test/fixtures) or {@code deployed} (the home's tables). */
    @Parameter(property = PropertyNames.AGAINST, defaultValue = "fixtures")
    private String against;

    /** With against=deployed: an Iceberg snapshot id or a time (2026-11-24T10:15:00Z) to read the tables at. */
    @Parameter(property = PropertyNames.AS_OF)
    private String asOf;

    /** Where the JUnit XML reports go. */
    @Parameter(
            property = PropertyNames.REPORTS_DIRECTORY,
            defaultValue = "${project.build.directory}/flink-dbt-reports")
    private File reportsDirectory;

    /** Options of the JVM the tests fork, space separated. */
    @Parameter(property = PropertyNames.TEST_JVM_ARGS)
    private String testJvmArgs;

    @Override
    protected void configure(Settings.Builder settings, Invocation.Builder invocation) {
        settings.deployed(AgainstOption.deployed(against)).asOf(asOf).reportsDirectory(reportsDirectory.toPath());
        invocation.testJvmArgs(jvmArgs(testJvmArgs, Invocation.DEFAULT_RUN_JVM_ARGS));
    }

    @Override
    protected void run(Settings settings, Invocation invocation) {
        if (skipTests || skipModelTests || skipTestCompile) {
            getLog().info("flink-dbt: tests are skipped.");
            return;
        }
        FlinkDbt.test(settings, invocation);
    }

    @Override
    protected String afterProblems() {
        return "No test was run. Fix the problems above and run again.";
    }
}
