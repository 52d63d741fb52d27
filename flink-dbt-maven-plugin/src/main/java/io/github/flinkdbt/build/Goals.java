package io.github.flinkdbt.build;

import io.github.flinkdbt.api.BuildSummary;
import io.github.flinkdbt.api.Command;
import io.github.flinkdbt.api.DeployMode;
import io.github.flinkdbt.api.Hints;
import io.github.flinkdbt.api.Invocation;
import io.github.flinkdbt.api.Option;
import io.github.flinkdbt.api.Settings;
import io.github.flinkdbt.build.fork.ForkCommand;
import io.github.flinkdbt.build.fork.ForkEvent;
import io.github.flinkdbt.build.fork.ForkedJvm;
import io.github.flinkdbt.common.FlinkDbtException;
import io.github.flinkdbt.deploy.DeployHistory;
import io.github.flinkdbt.deploy.DeployOutcome;
import io.github.flinkdbt.deploy.Deployer;
import io.github.flinkdbt.planner.CompiledProject;
import io.github.flinkdbt.planner.ProjectPlanner;
import io.github.flinkdbt.report.Bundle;
import io.github.flinkdbt.report.JUnitReport;
import io.github.flinkdbt.report.RunResults;
import io.github.flinkdbt.report.docs.DocsSite;
import io.github.flinkdbt.run.ModelChecks;
import io.github.flinkdbt.run.ModelRun;
import io.github.flinkdbt.run.ProjectRunner;
import io.github.flinkdbt.run.RunOutcome;
import io.github.flinkdbt.state.Baseline;
import io.github.flinkdbt.state.ModelVerdict;
import io.github.flinkdbt.testing.BuildTests;
import io.github.flinkdbt.testing.ProjectTester;
import io.github.flinkdbt.testing.TestOptions;
import io.github.flinkdbt.testing.TestOutcome;
import io.github.flinkdbt.testing.TestResult;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;

/**
 * How each goal is carried out: here or in a forked JVM, and not at all when nothing it depends on
 * changed. The facade ({@code FlinkDbt}) calls these; they call the stages.
 */
public final class Goals {

    private Goals() {}

    public static BuildSummary validate(Settings settings, Invocation invocation) {
        return build(Build.Goal.VALIDATE, settings, invocation, () -> Build.baseline(settings, invocation))
                .summary();
    }

    public static BuildSummary compile(Settings settings, Invocation invocation) {
        return build(Build.Goal.COMPILE, settings, invocation, () -> Build.baseline(settings, invocation))
                .summary();
    }

    public static RunOutcome run(Settings settings, Invocation invocation) {
        CompiledProject compiled = compiledInThisBuild(settings, invocation);
        if (!invocation.fork()) {
            return runHere(settings, invocation, compiled);
        }
        return ((ForkEvent.Ran) fork(new ForkCommand.Run(settings, context(invocation), compiled), invocation))
                .outcome();
    }

    public static TestOutcome test(Settings settings, Invocation invocation) {
        CompiledProject compiled = compiledInThisBuild(settings, invocation);
        if (!invocation.fork()) {
            return testHere(settings, invocation, compiled);
        }
        return ((ForkEvent.Tested) fork(new ForkCommand.Test(settings, context(invocation), compiled), invocation))
                .outcome();
    }

    public static List<ModelVerdict> checkStateCompat(Settings settings, Invocation invocation) {
        // the compile's up-to-date check and the check itself read the same baseline: read it once
        AtomicReference<Baseline> read = new AtomicReference<>();
        Supplier<Baseline> baseline = () -> read.updateAndGet(known ->
                known != null ? known : Baselines.withState(settings, Build.projectName(settings), invocation.hints()));
        build(Build.Goal.COMPILE, settings, invocation, baseline);
        return StateCheck.run(settings, invocation, baseline.get());
    }

    /** {@code deploy}, {@code plan} or {@code rollback}: see {@link Deployer}. */
    public static DeployOutcome deploy(Settings settings, Invocation invocation, DeployMode mode) {
        Deployer.requireCluster(settings, invocation.hints());
        if (!invocation.fork()) {
            return deployHere(settings, invocation, mode);
        }
        return ((ForkEvent.Deployed) fork(new ForkCommand.Deploy(settings, context(invocation), mode), invocation))
                .outcome();
    }

    /**
     * Checks the state (as {@link #checkStateCompat}: a refusal changes nothing), then deploys. A
     * rollback needs no check: each model goes back to a plan that ran, from a savepoint it took.
     */
    static DeployOutcome deployHere(Settings settings, Invocation invocation, DeployMode mode) {
        if (settings.deploy().bundle() != null) {
            return BundleDeploy.deploy(settings, invocation, mode);
        }
        List<ModelVerdict> verdicts = mode == DeployMode.ROLLBACK ? List.of() : checkStateCompat(settings, invocation);
        return Deployer.deploy(Build.compiled(settings, invocation), settings, invocation, verdicts, mode);
    }

    public static List<String> deployStatus(Settings settings, Invocation invocation) {
        return DeployHistory.status(settings, Build.projectName(settings), invocation.log(), invocation.hints());
    }

    public static List<String> deployHistory(Settings settings, Invocation invocation) {
        return DeployHistory.history(settings, Build.projectName(settings), invocation.log());
    }

    public static void forceUnlock(Settings settings, Invocation invocation) {
        DeployHistory.forceUnlock(settings, Build.projectName(settings), invocation.log());
    }

    /**
     * {@code docs}: compiles (as {@code check-state-compat} does, against its baseline), then writes
     * the docs site to {@code directory}.
     */
    public static DocsSite.Written docs(Settings settings, Invocation invocation, Path directory) {
        AtomicReference<Baseline> read = new AtomicReference<>();
        Supplier<Baseline> baseline = () -> read.updateAndGet(known ->
                known != null ? known : Baselines.withState(settings, Build.projectName(settings), invocation.hints()));
        String upToDate =
                build(Build.Goal.COMPILE, settings, invocation, baseline).stamp();
        // up to date: the compile's project as it kept it (checked against this very stamp, not again)
        CompiledProject compiled = upToDate != null
                ? taken(LastCompile.reuse(settings, upToDate), invocation)
                : compiledInThisBuild(settings, invocation);
        if (compiled == null) {
            compiled = Build.compiled(settings, invocation);
        }
        return DocsBuild.write(settings, invocation, compiled, baseline.get(), directory);
    }

    /** {@code bundle}: what {@code deploy -Dflink-dbt.bundle} deploys (see {@link BundleDeploy}). */
    public static void bundle(
            Settings settings, Invocation invocation, Path classes, Path jar, LocalDateTime timestamp) {
        Settings.Compile compile = settings.compile();
        CompiledProject compiled = compiledInThisBuild(settings, invocation);
        if (compiled == null) {
            compiled = invocation.fork()
                    ? ((ForkEvent.Built) fork(new ForkCommand.Compile(settings, context(invocation), true), invocation))
                            .compiled()
                    : Build.compiled(settings, invocation);
        }
        Bundle.write(
                compile.outputDirectory(),
                compiled,
                classes,
                jar,
                timestamp,
                ProjectPlanner.flinkVersion(),
                invocation.hints());
        invocation
                .log()
                .info("flink-dbt: bundled " + compile.display(compile.outputDirectory()) + " and classes into "
                        + compile.display(jar));
    }

    /** @param compiled what the compile of this build compiled; null to compile (or reuse the plan cache) here */
    static RunOutcome runHere(Settings settings, Invocation invocation, CompiledProject compiled) {
        Hints hints = invocation.hints();
        compiled = compiled != null ? compiled : Build.compiled(settings, invocation);
        ModelChecks.Factory checks =
                settings.run().tests() ? BuildTests.factory(compiled, testOptions(settings, invocation)) : null;
        RunOutcome outcome = ProjectRunner.run(compiled, settings, invocation, checks);
        Settings.Compile compile = settings.compile();
        Path results = RunResults.write(compile.outputDirectory(), outcome, compile.pluginVersion());
        String summary = "flink-dbt: " + outcome.project() + ": " + outcome.count(ModelRun.SUCCESS) + " OK, "
                + outcome.count(ModelRun.ERROR) + " failed, " + outcome.count(ModelRun.SKIPPED) + " skipped ("
                + Build.seconds(outcome.millis()) + "); results in " + compile.display(results);
        if (!outcome.testFailures().isEmpty()) {
            summary += "; " + outcome.testFailures().size() + " tests failed";
        }
        if (outcome.failures().isEmpty() && outcome.testFailures().isEmpty()) {
            invocation.log().info(summary);
            return outcome;
        }
        StringBuilder message = new StringBuilder(summary);
        for (ModelRun failed : outcome.failures()) {
            message.append("\n  ").append(failed.name()).append(": ").append(failed.message());
        }
        for (String failed : outcome.testFailures()) {
            message.append("\n  ").append(failed);
        }
        message.append("\nFix the models (or tests) above and run again; the models that succeeded keep their results.")
                .append(outcome.testFailures().isEmpty() ? "" : " Run without tests: " + hints.name(Option.SKIP_TESTS));
        throw new FlinkDbtException(message.toString());
    }

    static TestOutcome testHere(Settings settings, Invocation invocation, CompiledProject compiled) {
        Hints hints = invocation.hints();
        compiled = compiled != null ? compiled : Build.compiled(settings, invocation);
        TestOutcome outcome = ProjectTester.test(compiled, testOptions(settings, invocation));
        if (outcome.results().isEmpty()) {
            return outcome;
        }
        List<Path> reports = JUnitReport.write(settings.test().reportsDirectory(), outcome);
        Settings.Compile compile = settings.compile();
        String summary = "flink-dbt: " + outcome.project() + ": tests against " + outcome.against() + ": "
                + outcome.results().size() + " run, " + outcome.count(TestResult.PASS) + " passed, "
                + outcome.count(TestResult.FAIL) + " failed, " + outcome.count(TestResult.ERROR) + " errors, "
                + outcome.count(TestResult.WARN) + " warnings (" + Build.seconds(outcome.millis()) + "); reports in "
                + compile.display(reports.get(0).getParent());
        if (outcome.failures().isEmpty()) {
            invocation.log().info(summary);
            return outcome;
        }
        StringBuilder message = new StringBuilder(summary);
        for (TestResult failed : outcome.failures()) {
            message.append("\n  ")
                    .append(failed.kind())
                    .append(" test ")
                    .append(failed.name())
                    .append(" (")
                    .append(failed.where())
                    .append("): ")
                    .append(failed.message().lines().findFirst().orElse(""));
        }
        message.append("\nFix the models or the tests above, then run: ")
                .append(hints.command(Command.VERIFY))
                .append(" (skip tests with ")
                .append(hints.name(Option.SKIP_ALL_TESTS))
                .append(").");
        throw new FlinkDbtException(message.toString());
    }

    private static TestOptions testOptions(Settings settings, Invocation invocation) {
        return new TestOptions(settings, invocation, Build.rendered(settings, invocation));
    }

    /**
     * What a validate or compile left: its summary, and when nothing had changed the stamp of the
     * build record it found standing (null when it built).
     */
    private record Built(BuildSummary summary, String stamp) {}

    /** @param baseline the baseline, read only when the up-to-date check gets that far */
    private static Built build(Build.Goal goal, Settings settings, Invocation invocation, Supplier<Baseline> baseline) {
        long start = System.nanoTime();
        Optional<BuildRecord.Last> last = BuildRecord.upToDate(settings, invocation.environment(), goal.id, baseline);
        if (last.isPresent()) {
            return new Built(
                    upToDate(goal, settings, invocation, last.get(), start),
                    last.get().stamp());
        }
        Build.Compiled compiled = !invocation.fork()
                ? Build.run(goal, settings, invocation, false)
                : Build.withoutPlanner(goal, settings, invocation).orElseGet(() -> {
                    ForkCommand command = goal == Build.Goal.VALIDATE
                            ? new ForkCommand.Validate(settings, context(invocation))
                            : new ForkCommand.Compile(settings, context(invocation), invocation.keepCompiled());
                    ForkEvent.Built built = (ForkEvent.Built) fork(command, invocation);
                    return new Build.Compiled(built.summary(), built.compiled(), built.stamp());
                });
        if (goal == Build.Goal.COMPILE) {
            if (invocation.keepCompiled()) {
                LastCompile.keep(settings, compiled);
            } else {
                LastCompile.forget(settings);
            }
        }
        return new Built(compiled.summary(), null);
    }

    /** What the compile of this build compiled, when nothing changed since; null otherwise. */
    private static CompiledProject compiledInThisBuild(Settings settings, Invocation invocation) {
        return taken(LastCompile.reuse(settings, invocation), invocation);
    }

    private static CompiledProject taken(Optional<CompiledProject> compiled, Invocation invocation) {
        invocation
                .log()
                .debug(
                        compiled.isPresent()
                                ? "flink-dbt: taking the project compile-models compiled in this build"
                                : "flink-dbt: no compile of this build to take over: compiling first");
        return compiled.orElse(null);
    }

    private static BuildSummary upToDate(
            Build.Goal goal, Settings settings, Invocation invocation, BuildRecord.Last last, long start) {
        long millis = (System.nanoTime() - start) / 1_000_000;
        invocation
                .log()
                .info("flink-dbt: " + last.project() + ": " + last.models() + " models, nothing changed since"
                        + " the last build (" + Build.seconds(millis) + ")");
        if (goal == Build.Goal.COMPILE) {
            if (invocation.printDag()) {
                last.dag().forEach(line -> invocation.log().info("  " + line));
            }
            Settings.Compile compile = settings.compile();
            invocation.log().info(compile.display(compile.outputDirectory()) + " is up to date.");
        }
        return new BuildSummary(last.project(), last.models(), Set.of(), Set.of(), false, millis);
    }

    private static ForkEvent fork(ForkCommand command, Invocation invocation) {
        return ForkedJvm.call(command, invocation, ForkChild.class.getName());
    }

    private static ForkCommand.Context context(Invocation invocation) {
        return new ForkCommand.Context(
                invocation.hints(),
                invocation.log().isDebugEnabled(),
                invocation.threads(),
                invocation.printDag(),
                invocation.pluginClasspath());
    }
}
