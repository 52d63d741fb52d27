package io.github.flinkdbt.api;

import java.util.Set;

/**
 * What a validate or compile did.
 *
 * @param planned models the Flink planner was called for
 * @param reused models whose earlier plans were still valid
 * @param outputChanged whether files under the output directory were (re)written
 */
public record BuildSummary(
        String project, int models, Set<String> planned, Set<String> reused, boolean outputChanged, long millis) {}
