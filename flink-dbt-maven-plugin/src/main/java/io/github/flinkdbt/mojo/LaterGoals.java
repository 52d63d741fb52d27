package io.github.flinkdbt.mojo;

import java.util.List;
import java.util.Set;

/**
 * Whether the build Maven was asked for goes on to run what {@code compile-models} compiles: a
 * {@code run}, {@code snapshot-test} or {@code docs} goal named on the command line ({@code mvn flink-dbt:run}
 * forks its own compile), or a lifecycle phase that reaches {@code test}, where {@code snapshot-test}
 * binds. Only then is the compiled project kept for them.
 */
final class LaterGoals {

    /** The phases of the default and clean lifecycles that end before {@code test}. */
    private static final Set<String> BEFORE_TEST = Set.of(
            "pre-clean",
            "clean",
            "post-clean",
            "validate",
            "initialize",
            "generate-sources",
            "process-sources",
            "generate-resources",
            "process-resources",
            "compile",
            "process-classes",
            "generate-test-sources",
            "process-test-sources",
            "generate-test-resources",
            "process-test-resources",
            "test-compile",
            "process-test-classes");

    private static final Set<String> RUNNING_GOALS = Set.of("run", "snapshot-test", "docs");

    private LaterGoals() {}

    /** @param tasks what Maven was asked for: phases and {@code prefix:goal}s, as typed */
    static boolean runTheCompile(List<String> tasks) {
        for (String task : tasks) {
            int colon = task.lastIndexOf(':');
            if (colon < 0 ? !BEFORE_TEST.contains(task) : RUNNING_GOALS.contains(task.substring(colon + 1))) {
                return true;
            }
        }
        return false;
    }
}
