package io.github.flinkdbt;

import io.github.flinkdbt.report.JUnitReport;
import io.github.flinkdbt.report.RunResults;
import io.github.flinkdbt.run.ModelRun;
import io.github.flinkdbt.run.ProjectRunner;
import io.github.flinkdbt.run.RunOutcome;
import io.github.flinkdbt.testing.ProjectTester;
import io.github.flinkdbt.testing.TestOptions;
import io.github.flinkdbt.testing.TestOutcome;
import io.github.flinkdbt.testing.TestResult;
import java.util.Optional;
import java.util.Set;

/**
 * The entry points of flink-dbt, one per goal. Each runs the stages in the data's order
 * (project → graph → planner → plan → report) and throws {@link FlinkDbtException} (or its
 * {@code ProblemsException}) with everything the user must fix.
 *
 * <p>A goal does as little as its inputs require: nothing when no input changed since its last
 * successful run; no planner when every model is unchanged; otherwise the planner, in a forked
 * JVM when {@link BuildRequest#fork()}.
 */
public final class FlinkDbt {

    private FlinkDbt() {}

    /** {@code validate-models}: render, build the DAG, plan every selected model. Writes nothing. */
    public static BuildSummary validate(BuildRequest request) {
        return run(Build.Goal.VALIDATE, request);
    }

    /** {@code compile-models}: validate, then write compiled SQL, plans and manifest atomically. */
    public static BuildSummary compile(BuildRequest request) {
        return run(Build.Goal.COMPILE, request);
    }

    /**
     * {@code run}: compile (as {@link #compile}), then run the selected models on an embedded
     * Flink cluster into the persistent catalog of {@link RunRequest#home()}; writes
     * {@code run_results.json}. Throws when a model failed, after every other model ran.
     */
    public static RunOutcome run(RunRequest request) {
        if (!request.build().fork()) {
            return runHere(request);
        }
        return Fork.run(request);
    }

    static RunOutcome runHere(RunRequest request) {
        // streaming models continue the UIDs of the plans the home last ran, so their state restores
        BuildRequest build = request.build().baseline() == null && !request.fullRefresh()
                        && io.github.flinkdbt.run.DeployedPlans.isHome(request.home())
                ? request.build().toBuilder().baseline(request.home()).build()
                : request.build();
        ProjectRunner.Compiled compiled = Build.compiled(build);
        io.github.flinkdbt.run.ModelChecks.Factory checks = request.tests()
                ? io.github.flinkdbt.testing.BuildTests.factory(compiled, testOptions(build, true, null, request.home(),
                        null))
                : null;
        RunOutcome outcome = ProjectRunner.run(compiled, new ProjectRunner.Options(request.home(), request.restPort(),
                request.fullRefresh(), request.keepRunning(), request.show(), build.flinkConfiguration(),
                build.classpath(), build.outputDirectory(), request.control(), request.cluster(), checks, build.log()));
        java.nio.file.Path results = RunResults.write(build.outputDirectory(), outcome, build.pluginVersion());
        String summary = "flink-dbt: " + outcome.project() + ": " + outcome.count(ModelRun.SUCCESS) + " OK, "
                + outcome.count(ModelRun.ERROR) + " failed, " + outcome.count(ModelRun.SKIPPED) + " skipped ("
                + Build.seconds(outcome.millis()) + "); results in "
                + build.basedir().toAbsolutePath().relativize(results.toAbsolutePath());
        if (!outcome.testFailures().isEmpty()) {
            summary += "; " + outcome.testFailures().size() + " tests failed";
        }
        if (outcome.failures().isEmpty() && outcome.testFailures().isEmpty()) {
            build.log().info(summary);
            return outcome;
        }
        StringBuilder message = new StringBuilder(summary);
        for (ModelRun failed : outcome.failures()) {
            message.append("\n  ").append(failed.name()).append(": ").append(failed.message());
        }
        for (String failed : outcome.testFailures()) {
            message.append("\n  ").append(failed);
        }
        message.append("\nFix the models (or tests) above and run again; the models that succeeded keep their results."
                + (outcome.testFailures().isEmpty() ? "" : " Run without tests: -Dflink-dbt.skipTests"));
        throw new FlinkDbtException(message.toString());
    }

    /**
     * {@code check-state-compat}: compile against the baseline (so stateful operators keep its UIDs
     * where their state restores), then give each streaming model its verdict; with savepoints,
     * operator by operator. Writes {@code state-compat.json} and {@code state-compat.md}; throws
     * naming each incompatible model whose policy is {@code fail}.
     */
    public static java.util.List<io.github.flinkdbt.state.ModelVerdict> checkStateCompat(StateCompatRequest request) {
        compile(request.build());
        return StateCheck.run(request);
    }

    /**
     * {@code snapshot-test}: compile, then run the selected models' unit tests and data tests on one
     * cluster; writes JUnit XML reports. Throws listing the failures when a test of severity error
     * failed, after every test ran.
     */
    public static TestOutcome test(TestRequest request) {
        if (!request.build().fork()) {
            return testHere(request);
        }
        return Fork.test(request);
    }

    static TestOutcome testHere(TestRequest request) {
        BuildRequest build = request.build();
        ProjectRunner.Compiled compiled = Build.compiled(build);
        TestOutcome outcome = ProjectTester.test(compiled, testOptions(build, request.deployed(), request.asOf(),
                request.home(), request.cluster()));
        if (outcome.results().isEmpty()) {
            return outcome;
        }
        java.util.List<java.nio.file.Path> reports = JUnitReport.write(request.reportsDirectory(), outcome);
        String summary = "flink-dbt: " + outcome.project() + ": tests against " + outcome.against() + ": "
                + outcome.results().size() + " run, " + outcome.count(TestResult.PASS) + " passed, "
                + outcome.count(TestResult.FAIL) + " failed, " + outcome.count(TestResult.ERROR) + " errors, "
                + outcome.count(TestResult.WARN) + " warnings (" + Build.seconds(outcome.millis()) + "); reports in "
                + build.basedir().toAbsolutePath().relativize(reports.get(0).getParent().toAbsolutePath());
        if (outcome.failures().isEmpty()) {
            build.log().info(summary);
            return outcome;
        }
        StringBuilder message = new StringBuilder(summary);
        for (TestResult failed : outcome.failures()) {
            message.append("\n  ").append(failed.kind()).append(" test ").append(failed.name()).append(" (")
                    .append(failed.where()).append("): ").append(failed.message().lines().findFirst().orElse(""));
        }
        message.append("\nFix the models or the tests above, then run: mvn verify (skip tests with -DskipTests).");
        throw new FlinkDbtException(message.toString());
    }

    /** How tests of {@code build} run; given rows are written to {@code target/flink-dbt-test}. */
    private static TestOptions testOptions(BuildRequest build, boolean deployed, String asOf, java.nio.file.Path home,
            java.net.URI cluster) {
        return new TestOptions(deployed, asOf, home, build.outputDirectory().resolveSibling("flink-dbt-test"),
                build.flinkConfiguration(), build.classpath(), cluster, Build.withVars(build), build.log());
    }

    private static BuildSummary run(Build.Goal goal, BuildRequest request) {
        long start = System.nanoTime();
        Optional<BuildRecord.Last> last = BuildRecord.upToDate(request, goal.id);
        if (last.isPresent()) {
            return upToDate(goal, request, last.get(), start);
        }
        if (!request.fork()) {
            return Build.run(goal, request, false);
        }
        return Build.withoutPlanner(goal, request).orElseGet(() -> Fork.run(goal, request));
    }

    private static BuildSummary upToDate(Build.Goal goal, BuildRequest request, BuildRecord.Last last, long start) {
        long millis = (System.nanoTime() - start) / 1_000_000;
        request.log().info("flink-dbt: " + last.project() + ": " + last.models() + " models, nothing changed since the"
                + " last build (" + Build.seconds(millis) + ")");
        if (goal == Build.Goal.COMPILE) {
            if (request.printDag()) {
                last.dag().forEach(line -> request.log().info("  " + line));
            }
            request.log().info(Build.where(request) + " is up to date.");
        }
        return new BuildSummary(last.project(), last.models(), Set.of(), Set.of(), false, millis);
    }
}
