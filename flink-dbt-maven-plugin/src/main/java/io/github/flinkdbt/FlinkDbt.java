package io.github.flinkdbt;

import io.github.flinkdbt.graph.ModelGraph;
import io.github.flinkdbt.graph.Selection;
import io.github.flinkdbt.graph.Selector;
import io.github.flinkdbt.planner.PlanningResult;
import io.github.flinkdbt.planner.ProjectPlanner;
import io.github.flinkdbt.project.Problems;
import io.github.flinkdbt.project.Project;
import io.github.flinkdbt.project.ProjectLoader;
import io.github.flinkdbt.report.CompileOutput;
import io.github.flinkdbt.report.DagPrinter;
import io.github.flinkdbt.report.OutputDirectory;
import java.util.Map;

/**
 * The entry points of flink-dbt, one per goal. Each runs the stages in the data's order
 * (project → graph → planner → plan → report) and throws {@link FlinkDbtException} (or its
 * {@code ProblemsException}) with everything the user must fix.
 */
public final class FlinkDbt {

    private FlinkDbt() {}

    /** {@code validate-models}: render, build the DAG, plan every selected model. Writes nothing. */
    public static BuildSummary validate(BuildRequest request) {
        long start = System.nanoTime();
        Planned planned = plan(request);
        BuildSummary summary = summary(request, planned, false, start);
        request.log().info("flink-dbt: " + planned.project().name() + ": " + DagPrinter.summary(planned.project())
                + " valid" + timing(summary));
        return summary;
    }

    /** {@code compile-models}: validate, then write compiled SQL, plans and manifest atomically. */
    public static BuildSummary compile(BuildRequest request) {
        long start = System.nanoTime();
        Planned planned = plan(request);
        Map<String, byte[]> files = CompileOutput.files(planned.project(), planned.selection(), planned.result(),
                OutputDirectory.read(request.outputDirectory()), request.pluginVersion(), ProjectPlanner.flinkVersion());
        boolean changed = OutputDirectory.replace(request.outputDirectory(), files);
        BuildSummary summary = summary(request, planned, changed, start);
        request.log().info("flink-dbt: " + planned.project().name() + ": " + DagPrinter.summary(planned.project())
                + timing(summary));
        if (request.printDag()) {
            DagPrinter.lines(planned.graph()).forEach(line -> request.log().info("  " + line));
        }
        long plans = files.keySet().stream().filter(f -> f.startsWith("plans/")).count();
        String where = request.basedir().relativize(request.outputDirectory().toAbsolutePath()).toString();
        request.log().info(changed
                ? "Wrote " + where + ": compiled/ (" + count(files, "compiled/") + " SQL files), plans/ (" + plans
                        + " compiled plans), manifest.json"
                : where + " is up to date.");
        return summary;
    }

    private record Planned(Project project, ModelGraph graph, Selection selection, PlanningResult result) {}

    private static Planned plan(BuildRequest request) {
        Project project = ProjectLoader.load(new ProjectLoader.Request(request.projectDir(), request.basedir(),
                request.defaultName(), request.catalog(), request.database(), request.vars(), request.environment(),
                request.targetName()));
        Problems problems = new Problems();
        ModelGraph graph = ModelGraph.of(project, problems);
        problems.throwIfAny();
        Selection selection = Selector.select(graph, request.select(), request.exclude());
        selection.warnings().forEach(request.log()::warn);
        PlanningResult result = ProjectPlanner.plan(new ProjectPlanner.Request(project, graph, selection,
                request.flinkConfiguration(), request.classpath(), request.cacheDirectory(), request.useCache(),
                request.pluginVersion(), request.threads(), request.log()));
        return new Planned(project, graph, selection, result);
    }

    private static BuildSummary summary(BuildRequest request, Planned planned, boolean changed, long start) {
        return new BuildSummary(planned.project().name(), planned.project().models().size(), planned.result().planned(),
                planned.result().reused(), changed, (System.nanoTime() - start) / 1_000_000);
    }

    private static String timing(BuildSummary summary) {
        String work = summary.planned().isEmpty()
                ? "nothing changed, planner not started"
                : "planned " + summary.planned().size() + ", unchanged " + summary.reused().size();
        return " (" + work + ", " + String.format(java.util.Locale.ROOT, "%.1f", summary.millis() / 1000.0) + " s)";
    }

    private static long count(Map<String, byte[]> files, String prefix) {
        return files.keySet().stream().filter(f -> f.startsWith(prefix) && !f.startsWith(prefix + "tests/")).count();
    }
}
