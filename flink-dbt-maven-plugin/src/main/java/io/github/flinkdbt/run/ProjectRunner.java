package io.github.flinkdbt.run;

import io.github.flinkdbt.api.Invocation;
import io.github.flinkdbt.api.Settings;
import io.github.flinkdbt.cluster.FlinkCluster;
import io.github.flinkdbt.common.BuildLog;
import io.github.flinkdbt.home.DeployedPlans;
import io.github.flinkdbt.home.FlinkDbtHome;
import io.github.flinkdbt.home.IcebergCatalogs;
import io.github.flinkdbt.planner.CompiledProject;
import io.github.flinkdbt.planner.PlannedModel;
import io.github.flinkdbt.project.Materialization;
import io.github.flinkdbt.project.Model;
import io.github.flinkdbt.project.Project;
import io.github.flinkdbt.project.Secrets;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * {@code run}: the selected models on an embedded Flink cluster, in dependency order, into the
 * persistent catalog of the home directory. Batch models run to completion one after the other;
 * streaming models start from their compiled plans (restoring their last savepoint) and run until
 * their bounded inputs end, or, with {@code keepRunning}, until stopped — then with a savepoint.
 * A model that fails stops the models downstream of it, not the others.
 */
public final class ProjectRunner {

    private final CompiledProject compiled;
    private final Settings settings;
    private final Invocation invocation;
    private final ModelChecks.Factory checkFactory;
    private final Project project;
    private final BuildLog log;
    private final Map<String, ModelRun> runs = new LinkedHashMap<>();
    private final RunFailures failures;
    /** Models whose data tests failed (severity error): their downstream is skipped. */
    private final Set<String> failedTests = new HashSet<>();

    private final List<String> testFailures = new ArrayList<>();
    private final Set<String> tested = new HashSet<>();
    private ModelChecks checks = ModelChecks.NONE;

    private ProjectRunner(
            CompiledProject compiled, Settings settings, Invocation invocation, ModelChecks.Factory checks) {
        this.compiled = compiled;
        this.settings = settings;
        this.invocation = invocation;
        this.checkFactory = checks;
        this.project = compiled.project();
        this.log = invocation.log();
        this.failures = new RunFailures(Secrets.values(project), invocation.hints());
    }

    /**
     * Runs the project as {@code settings} say ({@link Settings#run()}), on the cluster they name or an
     * embedded one; the result of every selected model, failed ones included.
     *
     * @param checks the tests run in dbt's build order; null for none
     */
    public static RunOutcome run(
            CompiledProject compiled, Settings settings, Invocation invocation, ModelChecks.Factory checks) {
        return new ProjectRunner(compiled, settings, invocation, checks).run();
    }

    private RunOutcome run() {
        long start = System.currentTimeMillis();
        Settings.Run options = settings.run();
        FlinkDbtHome home = FlinkDbtHome.open(settings.home(), invocation.hints());
        IcebergCatalogs.check(settings.icebergCatalog(), invocation.hints());
        List<Model> models = selectedInOrder();
        int slots = 2
                + (int) models.stream()
                        .filter(m -> m.materialization() == Materialization.STREAMING_TABLE)
                        .count();
        try (FlinkCluster cluster = FlinkCluster.open(
                settings.cluster(), settings.access(), options.restPort(), slots, invocation.hints())) {
            log.info("flink-dbt: " + (cluster.embedded() ? "embedded Flink cluster" : "Flink cluster") + ", web UI at "
                    + cluster.restAddress());
            log.info("flink-dbt: home " + home.display() + " (tables, catalog, savepoints)");
            RunSession session = RunSession.open(project, settings, invocation, cluster, home);
            new SourceTables(session, project).register();
            checks = checkFactory == null ? ModelChecks.NONE : checkFactory.open(cluster);
            ModelExecutor executor = new ModelExecutor(session, project, options.fullRefresh(), log);
            executor.hooks("on-run-start", project.onRunStart());
            StreamingJobs streaming = new StreamingJobs(
                    session, project.name(), options.keepRunning(), invocation.control(), failures, log);
            for (Model model : models) {
                Set<String> upstream = compiled.graph().ancestors(model.name(), -1);
                String blocked = blockedBy(upstream);
                if (blocked == null) {
                    // a bounded upstream streaming job must have finished before this model reads its table
                    streaming.awaitUpstream(upstream, this::recordStreaming);
                    upstream.forEach(this::testAfter);
                    blocked = blockedBy(upstream);
                }
                if (blocked != null) {
                    record(skipped(model, blocked));
                    continue;
                }
                List<String> unitFailures = checks.before(model);
                if (!unitFailures.isEmpty()) {
                    testFailures.addAll(unitFailures);
                    record(skipped(model, "its unit tests failed"));
                    continue;
                }
                ModelRun result = runOne(model, executor, streaming, session);
                if (result != null) {
                    record(result);
                    testAfter(model.name());
                }
            }
            streaming.awaitAll(this::recordStreaming);
            models.forEach(model -> testAfter(model.name()));
            testFailures.addAll(checks.afterAll());
            executor.hooks("on-run-end", project.onRunEnd());
            new ResultPreview(session, failures, log).show(options.show(), project, runs);
        }
        DeployedPlans.recordBuilt(
                settings.home(),
                project,
                runs.values().stream()
                        .filter(run -> run.status().equals(ModelRun.SUCCESS))
                        .map(ModelRun::name)
                        .toList());
        return new RunOutcome(
                project.name(),
                List.copyOf(runs.values()),
                List.copyOf(testFailures),
                System.currentTimeMillis() - start);
    }

    private ModelRun runOne(Model model, ModelExecutor executor, StreamingJobs streaming, RunSession session) {
        PlannedModel planned = compiled.result().models().get(model.name());
        long start = System.currentTimeMillis();
        StringBuilder jobId = new StringBuilder();
        String kind = model.materialization().configName();
        try {
            switch (model.materialization()) {
                case EPHEMERAL -> {
                    return new ModelRun(
                            model.name(),
                            kind,
                            ModelRun.SUCCESS,
                            null,
                            -1,
                            start,
                            0,
                            "inlined into the models that read it",
                            null);
                }
                case VIEW -> {
                    String what = executor.withHooks(model, () -> executor.view(model));
                    return ModelRun.ended(model, ModelRun.SUCCESS, null, -1, start, "created " + what);
                }
                case TABLE, SEED -> {
                    long rows = executor.withHooks(model, () -> executor.table(model, planned, jobId));
                    return ok(model, jobId, rows, start, "replaced");
                }
                case INCREMENTAL -> {
                    long rows = executor.withHooks(model, () -> executor.incremental(model, planned, jobId));
                    return ok(model, jobId, rows, start, "added");
                }
                case SNAPSHOT -> {
                    long rows = executor.withHooks(model, () -> executor.snapshot(model, planned, jobId));
                    return ok(model, jobId, rows, start, "written");
                }
                case STREAMING_TABLE -> {
                    streaming.start(executor, model, planned, settings.run().fullRefresh());
                    log.info(progress(
                            model.name(),
                            kind,
                            "RUNNING",
                            "job " + streaming.jobId(model.name()) + streaming.restoredNote(model.name())));
                    return null;
                }
                default ->
                    throw new IllegalStateException(model.materialization().name());
            }
        } catch (RuntimeException e) {
            failures.debug(log, e);
            return ModelRun.ended(
                    model,
                    ModelRun.ERROR,
                    jobId.isEmpty() ? null : jobId.toString(),
                    -1,
                    start,
                    failures.describe(model, e));
        }
    }

    private ModelRun ok(Model model, StringBuilder jobId, long rows, long start, String verb) {
        return ModelRun.ended(
                model,
                ModelRun.SUCCESS,
                jobId.isEmpty() ? null : jobId.toString(),
                rows,
                start,
                verb + " " + model.relation().display());
    }

    private void recordStreaming(ModelRun run) {
        record(run);
    }

    private void record(ModelRun run) {
        runs.put(run.name(), run);
        String status = switch (run.status()) {
            case ModelRun.SUCCESS -> "OK";
            case ModelRun.ERROR -> "ERROR";
            default -> "SKIP";
        };
        List<String> details = new ArrayList<>();
        if (run.jobId() != null) {
            details.add("job " + run.jobId());
        }
        if (run.rows() >= 0) {
            details.add(String.format(Locale.ROOT, run.rows() == 1 ? "%,d row" : "%,d rows", run.rows()));
        }
        if (run.millis() > 0 || run.status().equals(ModelRun.SUCCESS)) {
            details.add(String.format(Locale.ROOT, "%.1f s", run.millis() / 1000.0));
        }
        if (!run.status().equals(ModelRun.SUCCESS) || run.message().startsWith("stopped with savepoint")) {
            details.add(run.message());
        }
        String line = progress(run.name(), run.materialization(), status, String.join(", ", details));
        if (run.failed()) {
            log.error(line);
        } else {
            log.info(line);
        }
    }

    private static String progress(String name, String kind, String status, String details) {
        return String.format(Locale.ROOT, "  %-28s %-16s %-8s %s", name, kind, status, details);
    }

    private ModelRun skipped(Model model, String why) {
        return new ModelRun(
                model.name(),
                model.materialization().configName(),
                ModelRun.SKIPPED,
                null,
                -1,
                System.currentTimeMillis(),
                0,
                "skipped: " + why,
                null);
    }

    /** Runs a model's data tests once its table is complete (a streaming model's once its job ended). */
    private void testAfter(String name) {
        ModelRun run = runs.get(name);
        Model model = project.model(name);
        if (model == null || run == null || !run.status().equals(ModelRun.SUCCESS) || !tested.add(name)) {
            return;
        }
        List<String> failed = checks.after(model);
        if (!failed.isEmpty()) {
            failedTests.add(name);
            testFailures.addAll(failed);
        }
    }

    /**
     * Why a model reading {@code upstream} must not run: the first of them that failed or was
     * skipped, else the first whose tests failed; null if none.
     */
    private String blockedBy(Set<String> upstream) {
        for (String ancestor : upstream) {
            ModelRun run = runs.get(ancestor);
            if (run != null && !run.status().equals(ModelRun.SUCCESS)) {
                return "upstream model '" + ancestor + "' failed";
            }
        }
        for (String ancestor : upstream) {
            if (failedTests.contains(ancestor)) {
                return "tests of upstream model '" + ancestor + "' failed";
            }
        }
        return null;
    }

    private List<Model> selectedInOrder() {
        Set<String> selected = new HashSet<>(compiled.selection().models());
        List<Model> models = new ArrayList<>();
        for (String name : compiled.graph().topologicalOrder()) {
            Model model = project.model(name);
            if (model != null
                    && selected.contains(name)
                    && compiled.result().models().containsKey(name)) {
                models.add(model);
            }
        }
        return models;
    }
}
