package io.github.flinkdbt.planner;

import io.github.flinkdbt.project.Model;
import io.github.flinkdbt.project.Project;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * What planning produced.
 *
 * @param models every model planned or reused, by name
 * @param planned models the planner was called for in this build
 * @param reused models taken from the plan cache
 * @param skipped models not planned because a model they read has problems
 */
public record PlanningResult(
        Map<String, PlannedModel> models, Set<String> planned, Set<String> reused, Set<String> skipped) {

    /** {@code project} with the unique_keys the planner inferred set on its models, as run and deploy need them. */
    public Project keyed(Project project) {
        Map<String, Model> models = new TreeMap<>(project.models());
        boolean inferred = false;
        for (PlannedModel planned : this.models.values()) {
            Model model = models.get(planned.name());
            if (model != null
                    && model.config().uniqueKey().isEmpty()
                    && !planned.inferredKey().isEmpty()) {
                models.put(planned.name(), planned.keyed(model));
                inferred = true;
            }
        }
        return inferred ? project.withModels(models) : project;
    }
}
