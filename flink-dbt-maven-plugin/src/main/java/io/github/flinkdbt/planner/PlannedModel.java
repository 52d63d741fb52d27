package io.github.flinkdbt.planner;

import io.github.flinkdbt.plan.ProjectPlan;
import io.github.flinkdbt.project.Materialization;
import java.util.List;

/**
 * A model the planner accepted.
 *
 * @param columns its output columns
 * @param tableDefinition for materialized models, what identifies the table it writes (columns,
 *     key, options without secrets); null for views and ephemeral models
 * @param plan for streaming tables, the compiled plan with project UIDs; else null
 * @param cacheKey the checksum of everything its planning depended on
 * @param fromCache whether this build reused an earlier result instead of calling the planner
 */
public record PlannedModel(
        String name,
        Materialization materialization,
        List<ColumnInfo> columns,
        String tableDefinition,
        ProjectPlan plan,
        String cacheKey,
        boolean fromCache) {

    public List<String> columnNames() {
        return columns.stream().map(ColumnInfo::name).toList();
    }

    public PlannedModel withPlan(ProjectPlan other) {
        return new PlannedModel(name, materialization, columns, tableDefinition, other, cacheKey, fromCache);
    }

    PlannedModel cached() {
        return new PlannedModel(name, materialization, columns, tableDefinition, plan, cacheKey, true);
    }
}
