package io.github.flinkdbt;

import io.github.flinkdbt.graph.ModelGraph;
import io.github.flinkdbt.graph.Selection;
import io.github.flinkdbt.graph.Selector;
import io.github.flinkdbt.planner.PlannerPool;
import io.github.flinkdbt.planner.PlanningResult;
import io.github.flinkdbt.planner.ProjectPlanner;
import io.github.flinkdbt.project.Problems;
import io.github.flinkdbt.project.Project;
import io.github.flinkdbt.project.ProjectLoader;
import io.github.flinkdbt.report.CompileOutput;
import io.github.flinkdbt.report.DagPrinter;
import io.github.flinkdbt.report.OutputDirectory;
import io.github.flinkdbt.run.ProjectRunner;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * The validate and compile goals run in this JVM: project → graph → planner → plan → report.
 * {@link FlinkDbt} decides whether they run here, in a forked JVM, or not at all.
 */
final class Build {

    enum Goal {
        VALIDATE("validate-models"),
        COMPILE("compile-models");

        final String id;

        Goal(String id) {
            this.id = id;
        }
    }

    private record Loaded(Project project, ModelGraph graph, Selection selection) {}

    private Build() {}

    /**
     * Runs the goal in this JVM, planning what changed. With {@code plannerExpected} (a forked
     * planner JVM exists only because planning is needed) the planner is warmed while the project is
     * read.
     */
    static BuildSummary run(Goal goal, BuildRequest request, boolean plannerExpected) {
        return plan(goal, request, plannerExpected).summary();
    }

    /** A compiled project and what compiling it reported. */
    record Compiled(BuildSummary summary, ProjectRunner.Compiled project) {}

    /**
     * Compiles in this JVM (the planner only for what changed) and returns the compiled project,
     * for the goals that go on to run it.
     */
    static ProjectRunner.Compiled compiled(BuildRequest request) {
        return withoutPlannerCompiled(Goal.COMPILE, request)
                .orElseGet(() -> plan(Goal.COMPILE, request, false))
                .project();
    }

    private static Compiled plan(Goal goal, BuildRequest request, boolean plannerExpected) {
        long start = System.nanoTime();
        // the planner threads warm up while the project is read
        PlannerPool pool = plannerExpected || !planCacheCovers(request)
                ? PlannerPool.start(request.threads(), request.classpath(), request.flinkConfiguration(),
                        request.catalog())
                : null;
        Problems problems = new Problems();
        try {
            Loaded loaded = load(request, problems);
            // a wrong baseline fails before the planner's work, not after it
            io.github.flinkdbt.state.Baseline baseline = Baselines.load(request.baseline(), loaded.project().name());
            long loadedAt = System.nanoTime();
            request.log().debug("flink-dbt: loaded " + loaded.project().models().size() + " models in "
                    + (loadedAt - start) / 1_000_000 + " ms");
            PlanningResult result = continued(baseline,
                    ProjectPlanner.plan(plannerRequest(request, loaded, pool), problems));
            request.log().debug("flink-dbt: planning took " + (System.nanoTime() - loadedAt) / 1_000_000 + " ms");
            problems.throwIfAny();
            return compiled(finish(goal, request, loaded, result, baseline, start), loaded, result);
        } catch (FlinkDbtException e) {
            BuildRecord.clear(request, goal.id);
            throw e;
        } finally {
            if (pool != null) {
                pool.close();
            }
        }
    }

    /** Runs the goal in this JVM only if no model needs the planner; empty otherwise. */
    static Optional<BuildSummary> withoutPlanner(Goal goal, BuildRequest request) {
        return withoutPlannerCompiled(goal, request).map(Compiled::summary);
    }

    private static Optional<Compiled> withoutPlannerCompiled(Goal goal, BuildRequest request) {
        if (!planCacheCovers(request)) {
            return Optional.empty();
        }
        long start = System.nanoTime();
        Problems problems = new Problems();
        Loaded loaded = load(request, problems);
        if (!problems.isEmpty()) {
            return Optional.empty();
        }
        return ProjectPlanner.reuse(plannerRequest(request, loaded, null))
                .map(result -> {
                    io.github.flinkdbt.state.Baseline baseline = Baselines.load(request.baseline(),
                            loaded.project().name());
                    PlanningResult continued = continued(baseline, result);
                    return compiled(finish(goal, request, loaded, continued, baseline, start), loaded, continued);
                });
    }

    private static Compiled compiled(BuildSummary summary, Loaded loaded, PlanningResult result) {
        return new Compiled(summary, new ProjectRunner.Compiled(loaded.project(), loaded.graph(), loaded.selection(),
                result));
    }

    /** The planned models with their streaming plans' UIDs continued from the baseline. */
    private static PlanningResult continued(io.github.flinkdbt.state.Baseline baseline, PlanningResult result) {
        if (baseline.plans().isEmpty()) {
            return result;
        }
        java.util.Map<String, io.github.flinkdbt.planner.PlannedModel> models = new java.util.HashMap<>();
        result.models().forEach((name, model) -> models.put(name, model.plan() == null ? model
                : model.withPlan(io.github.flinkdbt.state.UidContinuity.apply(model.plan(),
                        baseline.plans().get(name)))));
        return new PlanningResult(models, result.planned(), result.reused(), result.skipped());
    }

    /** Whether the plan cache could possibly hold every model (it holds any at all). */
    private static boolean planCacheCovers(BuildRequest request) {
        java.nio.file.Path models = request.cacheDirectory().resolve("models");
        try (java.util.stream.Stream<java.nio.file.Path> entries = java.nio.file.Files.list(models)) {
            return request.useCache() && entries.findAny().isPresent();
        } catch (java.io.IOException e) {
            return false;
        }
    }

    /** The project rendered again with other vars over the build's (unit tests' {@code overrides: vars}). */
    static java.util.function.Function<java.util.Map<String, Object>, Project> withVars(BuildRequest request) {
        return overrides -> {
            java.util.Map<String, Object> vars = new java.util.TreeMap<>(request.vars());
            vars.putAll(overrides);
            return ProjectLoader.load(new ProjectLoader.Request(request.projectDir(), request.basedir(),
                    request.defaultName(), request.catalog(), request.database(), vars, request.environment(),
                    request.targetName()));
        };
    }

    private static Loaded load(BuildRequest request, Problems problems) {
        Project project = ProjectLoader.load(new ProjectLoader.Request(request.projectDir(), request.basedir(),
                request.defaultName(), request.catalog(), request.database(), request.vars(), request.environment(),
                request.targetName()), problems);
        ModelGraph graph = ModelGraph.of(project, problems);
        Selection selection = Selector.select(graph, request.select(), request.exclude());
        selection.warnings().forEach(request.log()::warn);
        return new Loaded(project, graph, selection);
    }

    private static ProjectPlanner.Request plannerRequest(BuildRequest request, Loaded loaded, PlannerPool pool) {
        return new ProjectPlanner.Request(loaded.project(), loaded.graph(), loaded.selection(),
                request.flinkConfiguration(), request.classpath(), request.cacheDirectory(), request.useCache(),
                request.pluginVersion(), request.threads(), request.log(), pool);
    }

    private static BuildSummary finish(Goal goal, BuildRequest request, Loaded loaded, PlanningResult result,
            io.github.flinkdbt.state.Baseline baseline,
            long start) {
        Project project = loaded.project();
        List<String> dag = DagPrinter.lines(loaded.graph());
        if (goal == Goal.VALIDATE) {
            BuildSummary summary = summary(project, result, false, start);
            request.log().info("flink-dbt: " + project.name() + ": " + DagPrinter.summary(project) + " valid"
                    + timing(summary));
            BuildRecord.write(request, goal.id, project.environmentRead(), null, project.name(),
                    project.models().size(), dag);
            return summary;
        }
        Map<String, byte[]> files = CompileOutput.files(project, loaded.selection(), result,
                OutputDirectory.read(request.outputDirectory()), request.pluginVersion(), ProjectPlanner.flinkVersion(),
                baseline);
        boolean changed = OutputDirectory.replace(request.outputDirectory(), files);
        BuildSummary summary = summary(project, result, changed, start);
        request.log().info("flink-dbt: " + project.name() + ": " + DagPrinter.summary(project) + timing(summary));
        if (request.printDag()) {
            dag.forEach(line -> request.log().info("  " + line));
        }
        long plans = files.keySet().stream().filter(f -> f.startsWith("plans/")).count();
        long sql = files.keySet().stream().filter(f -> f.startsWith("compiled/") && !f.startsWith("compiled/tests/"))
                .count();
        String where = where(request);
        request.log().info(changed
                ? "Wrote " + where + ": compiled/ (" + sql + " SQL files), plans/ (" + plans
                        + " compiled plans), manifest.json"
                : where + " is up to date.");
        BuildRecord.write(request, goal.id, project.environmentRead(), files, project.name(), project.models().size(),
                dag);
        return summary;
    }

    static String where(BuildRequest request) {
        return request.basedir().toAbsolutePath().relativize(request.outputDirectory().toAbsolutePath()).toString();
    }

    private static BuildSummary summary(Project project, PlanningResult result, boolean changed, long start) {
        return new BuildSummary(project.name(), project.models().size(), result.planned(), result.reused(), changed,
                (System.nanoTime() - start) / 1_000_000);
    }

    static String timing(BuildSummary summary) {
        String work = summary.planned().isEmpty()
                ? "nothing changed, planner not started"
                : "planned " + summary.planned().size() + ", unchanged " + summary.reused().size();
        return " (" + work + ", " + seconds(summary.millis()) + ")";
    }

    static String seconds(long millis) {
        return String.format(Locale.ROOT, "%.1f s", millis / 1000.0);
    }
}
