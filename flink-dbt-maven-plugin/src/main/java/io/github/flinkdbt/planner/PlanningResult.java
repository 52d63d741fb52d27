package io.github.flinkdbt.planner;

import java.util.Map;
import java.util.Set;

/**
 * What planning produced.
 *
 * @param models every model planned or reused, by name
 * @param planned models the planner was called for in this build
 * @param reused models taken from the plan cache
 * @param skipped models not planned because a model they read has problems
 */
public record PlanningResult(
        Map<String, PlannedModel> models, Set<String> planned, Set<String> reused, Set<String> skipped) {}
