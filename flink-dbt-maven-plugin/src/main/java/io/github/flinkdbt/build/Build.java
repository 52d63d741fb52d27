package io.github.flinkdbt.build;

import io.github.flinkdbt.api.BuildSummary;
import io.github.flinkdbt.api.Invocation;
import io.github.flinkdbt.api.Settings;
import io.github.flinkdbt.common.FlinkDbtException;
import io.github.flinkdbt.common.Problems;
import io.github.flinkdbt.graph.ModelGraph;
import io.github.flinkdbt.graph.Selection;
import io.github.flinkdbt.graph.Selector;
import io.github.flinkdbt.planner.CompiledProject;
import io.github.flinkdbt.planner.PlannedModel;
import io.github.flinkdbt.planner.PlannerPool;
import io.github.flinkdbt.planner.PlanningResult;
import io.github.flinkdbt.planner.ProjectPlanner;
import io.github.flinkdbt.project.Project;
import io.github.flinkdbt.project.ProjectLayout;
import io.github.flinkdbt.project.ProjectLoader;
import io.github.flinkdbt.project.RenderOverrides;
import io.github.flinkdbt.report.CompileOutput;
import io.github.flinkdbt.report.DagPrinter;
import io.github.flinkdbt.report.OutputDirectory;
import io.github.flinkdbt.state.Baseline;
import io.github.flinkdbt.state.UidContinuity;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.stream.Stream;

/**
 * The validate and compile goals in this JVM: project → graph → planner → plan → report.
 * {@link Goals} decides whether they run here, in a forked JVM, or not at all.
 */
public final class Build {

    /** The goals a build runs. */
    public enum Goal {
        VALIDATE("validate-models"),
        COMPILE("compile-models");

        final String id;

        Goal(String id) {
            this.id = id;
        }
    }

    /**
     * A compiled project and what compiling it reported.
     *
     * @param stamp the stamp of the build record it left ({@link BuildRecord.Last#stamp()}); null
     *     without the build cache
     */
    record Compiled(BuildSummary summary, CompiledProject project, String stamp) {}

    private Build() {}

    /**
     * Runs the goal in this JVM, planning what changed. With {@code plannerExpected} (a forked
     * planner JVM exists only because planning is needed) the planner is warmed while the project is
     * read.
     */
    static Compiled run(Goal goal, Settings settings, Invocation invocation, boolean plannerExpected) {
        return plan(goal, settings, invocation, plannerExpected, null);
    }

    /**
     * Compiles in this JVM (the planner only for what changed) and returns the compiled project,
     * for the goals that go on to run it.
     */
    public static CompiledProject compiled(Settings settings, Invocation invocation) {
        long start = System.nanoTime();
        CompiledProject loaded = loadedForReuse(settings, invocation);
        Optional<Compiled> reused =
                loaded == null ? Optional.empty() : reused(Goal.COMPILE, settings, invocation, loaded, start);
        return reused.orElseGet(() -> plan(Goal.COMPILE, settings, invocation, false, loaded))
                .project();
    }

    /** Runs the goal in this JVM only if no model needs the planner; empty otherwise. */
    static Optional<Compiled> withoutPlanner(Goal goal, Settings settings, Invocation invocation) {
        long start = System.nanoTime();
        CompiledProject loaded = loadedForReuse(settings, invocation);
        return loaded == null ? Optional.empty() : reused(goal, settings, invocation, loaded, start);
    }

    /**
     * The project, loaded when the plan cache may hold every model of it; null when it cannot, or
     * when the project has problems (loaded again where they are reported with everything else the
     * planner finds).
     */
    private static CompiledProject loadedForReuse(Settings settings, Invocation invocation) {
        if (!planCacheCovers(settings.compile())) {
            return null;
        }
        Problems problems = new Problems();
        CompiledProject loaded = load(settings, invocation, problems);
        return problems.isEmpty() ? loaded : null;
    }

    /** The baseline of a compile of these settings (see {@link Baselines}). */
    static Baseline baseline(Settings settings, Invocation invocation) {
        return Baselines.plans(settings, projectName(settings), invocation.hints());
    }

    /** The project's name, from dbt_project.yml or the default, without loading the project. */
    static String projectName(Settings settings) {
        Settings.Compile compile = settings.compile();
        return ProjectLayout.load(compile.projectDir(), compile.basedir(), compile.defaultName(), new Problems())
                .name();
    }

    /** The project rendered again with a unit test's {@code overrides} over the build's vars, environment and macros. */
    static Function<RenderOverrides, Project> rendered(Settings settings, Invocation invocation) {
        return overrides -> {
            Map<String, String> environment = new HashMap<>(invocation.environment());
            environment.putAll(overrides.environment());
            return ProjectLoader.load(new ProjectLoader.Request(
                    settings.compile().withVars(overrides.vars()),
                    environment,
                    invocation.hints(),
                    overrides.macros(),
                    overrides.at()));
        };
    }

    /** @param preloaded the project as already loaded (without problems); null to load it here */
    private static Compiled plan(
            Goal goal, Settings settings, Invocation invocation, boolean plannerExpected, CompiledProject preloaded) {
        long start = System.nanoTime();
        Settings.Compile compile = settings.compile();
        // the planner threads warm up while the project is read
        PlannerPool pool = plannerExpected || !planCacheCovers(compile)
                ? PlannerPool.start(
                        invocation.threads(), compile.classpath(), compile.flinkConfiguration(), compile.catalog())
                : null;
        Problems problems = new Problems();
        try {
            CompiledProject loaded = preloaded != null ? preloaded : load(settings, invocation, problems);
            // a wrong baseline fails before the planner's work, not after it
            Baseline baseline = Baselines.plans(settings, loaded.project().name(), invocation.hints());
            long loadedAt = System.nanoTime();
            invocation
                    .log()
                    .debug("flink-dbt: loaded " + loaded.project().models().size() + " models in "
                            + (loadedAt - start) / 1_000_000 + " ms");
            PlanningResult result = continued(
                    baseline, ProjectPlanner.plan(plannerRequest(settings, invocation, loaded, pool), problems));
            invocation.log().debug("flink-dbt: planning took " + (System.nanoTime() - loadedAt) / 1_000_000 + " ms");
            problems.throwIfAny();
            return finish(goal, settings, invocation, withResult(loaded, result), baseline, start);
        } catch (FlinkDbtException e) {
            BuildRecord.clear(settings, goal.id, invocation.log());
            throw e;
        } finally {
            if (pool != null) {
                pool.close();
            }
        }
    }

    /** The goal finished from the plan cache alone, when it holds every selected model as it is. */
    private static Optional<Compiled> reused(
            Goal goal, Settings settings, Invocation invocation, CompiledProject loaded, long start) {
        return ProjectPlanner.reuse(plannerRequest(settings, invocation, loaded, null))
                .map(result -> {
                    Baseline baseline =
                            Baselines.plans(settings, loaded.project().name(), invocation.hints());
                    return finish(
                            goal,
                            settings,
                            invocation,
                            withResult(loaded, continued(baseline, result)),
                            baseline,
                            start);
                });
    }

    /** The planned models with their streaming plans' UIDs continued from the baseline. */
    static PlanningResult continued(Baseline baseline, PlanningResult result) {
        if (baseline.plans().isEmpty()) {
            return result;
        }
        Map<String, PlannedModel> models = new HashMap<>();
        result.models()
                .forEach((name, model) -> models.put(
                        name,
                        model.plan() == null
                                ? model
                                : model.withPlan(UidContinuity.apply(
                                        model.plan(), baseline.plans().get(name)))));
        return new PlanningResult(models, result.planned(), result.reused(), result.skipped());
    }

    /** Whether the plan cache could possibly hold every model (it holds any at all). */
    private static boolean planCacheCovers(Settings.Compile compile) {
        Path models = compile.cacheDirectory().resolve("models");
        try (Stream<Path> entries = Files.list(models)) {
            return compile.useCache() && entries.findAny().isPresent();
        } catch (IOException e) {
            return false;
        }
    }

    private static CompiledProject load(Settings settings, Invocation invocation, Problems problems) {
        Settings.Compile compile = settings.compile();
        invocation
                .log()
                .debug("flink-dbt: loading the project in "
                        + compile.projectDir().toAbsolutePath());
        Project project = ProjectLoader.load(
                new ProjectLoader.Request(compile, invocation.environment(), invocation.hints()), problems);
        problems.warnings().forEach(invocation.log()::warn);
        project = CatalogSources.withColumns(project, settings, problems);
        ModelGraph graph = ModelGraph.of(project, problems);
        String name = project.name();
        Selection selection = Selector.select(
                graph,
                compile.select(),
                compile.exclude(),
                () -> {
                    Baseline baseline = Baselines.forSelection(settings, name, invocation.hints());
                    return baseline.isNone() ? null : baseline.nodes();
                },
                invocation.hints());
        selection.warnings().forEach(invocation.log()::warn);
        return new CompiledProject(project, graph, selection, null);
    }

    static CompiledProject withResult(CompiledProject loaded, PlanningResult result) {
        return new CompiledProject(result.keyed(loaded.project()), loaded.graph(), loaded.selection(), result);
    }

    private static ProjectPlanner.Request plannerRequest(
            Settings settings, Invocation invocation, CompiledProject loaded, PlannerPool pool) {
        return new ProjectPlanner.Request(
                loaded.project(),
                loaded.graph(),
                loaded.selection(),
                settings.compile(),
                invocation.threads(),
                invocation.log(),
                invocation.hints(),
                pool);
    }

    private static Compiled finish(
            Goal goal,
            Settings settings,
            Invocation invocation,
            CompiledProject compiled,
            Baseline baseline,
            long start) {
        Settings.Compile compile = settings.compile();
        Project project = compiled.project();
        PlanningResult result = compiled.result();
        List<String> dag = DagPrinter.lines(compiled.graph());
        result.models().values().stream()
                .filter(planned -> !planned.inferredKey().isEmpty())
                .forEach(planned -> invocation
                        .log()
                        .info("flink-dbt: " + planned.name() + ": unique_key ("
                                + String.join(", ", planned.inferredKey()) + ") inferred from its query"));
        if (goal == Goal.VALIDATE) {
            BuildSummary summary = summary(project, result, false, start);
            invocation
                    .log()
                    .info("flink-dbt: " + project.name() + ": " + DagPrinter.summary(project) + " valid"
                            + timing(summary));
            return recorded(goal, settings, invocation, compiled, baseline, null, summary, dag);
        }
        Map<String, byte[]> files = CompileOutput.files(
                project,
                compiled.selection(),
                result,
                OutputDirectory.read(compile.outputDirectory()),
                compile.pluginVersion(),
                ProjectPlanner.flinkVersion(),
                baseline);
        boolean changed = OutputDirectory.replace(compile.outputDirectory(), files);
        BuildSummary summary = summary(project, result, changed, start);
        invocation.log().info("flink-dbt: " + project.name() + ": " + DagPrinter.summary(project) + timing(summary));
        if (invocation.printDag()) {
            dag.forEach(line -> invocation.log().info("  " + line));
        }
        long plans = files.keySet().stream().filter(f -> f.startsWith("plans/")).count();
        long sql = files.keySet().stream()
                .filter(f -> f.startsWith("compiled/") && !f.startsWith("compiled/tests/"))
                .count();
        String where = compile.display(compile.outputDirectory());
        invocation
                .log()
                .info(
                        changed
                                ? "Wrote " + where + ": compiled/ (" + sql + " SQL files), plans/ (" + plans
                                        + " compiled plans), manifest.json"
                                : where + " is up to date.");
        return recorded(goal, settings, invocation, compiled, baseline, files, summary, dag);
    }

    /** The build record of a goal that succeeded, so that the next build can skip it. */
    private static Compiled recorded(
            Goal goal,
            Settings settings,
            Invocation invocation,
            CompiledProject compiled,
            Baseline baseline,
            Map<String, byte[]> files,
            BuildSummary summary,
            List<String> dag) {
        Project project = compiled.project();
        String stamp = BuildRecord.write(
                settings,
                invocation.environment(),
                goal.id,
                project.environmentRead(),
                baseline,
                files,
                project.name(),
                project.models().size(),
                dag,
                invocation.log());
        Compiled done = new Compiled(summary, compiled, stamp);
        if (goal == Goal.COMPILE) {
            LastCompile.persist(settings, done);
        }
        return done;
    }

    private static BuildSummary summary(Project project, PlanningResult result, boolean changed, long start) {
        return new BuildSummary(
                project.name(),
                project.models().size(),
                result.planned(),
                result.reused(),
                changed,
                (System.nanoTime() - start) / 1_000_000);
    }

    static String timing(BuildSummary summary) {
        String work = summary.planned().isEmpty()
                ? "nothing changed, planner not started"
                : "planned " + summary.planned().size() + ", unchanged "
                        + summary.reused().size();
        return " (" + work + ", " + seconds(summary.millis()) + ")";
    }

    static String seconds(long millis) {
        return String.format(Locale.ROOT, "%.1f s", millis / 1000.0);
    }
}
