package io.github.flinkdbt;

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
