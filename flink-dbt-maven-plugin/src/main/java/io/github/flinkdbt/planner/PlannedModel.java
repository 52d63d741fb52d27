package io.github.flinkdbt.planner;

import io.github.flinkdbt.plan.ProjectPlan;
import io.github.flinkdbt.project.Materialization;
import io.github.flinkdbt.project.Model;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A model the planner accepted.
 *
 * @param columns its output columns
 * @param tableDefinition for materialized models, what identifies the table it writes (columns,
 *     key, options without secrets); null for views and ephemeral models
 * @param plan for streaming tables, the compiled plan with project UIDs; else null
 * @param cacheKey the checksum of everything its planning depended on
 * @param fromCache whether this build reused an earlier result instead of calling the planner
 * @param inferredKey for a streaming model writing updates without a {@code unique_key}, the key
 *     the planner derived from its query (group keys, a dedup's partition keys); else empty
 * @param incrementalColumns for an incremental model whose {@code is_incremental()} branch selects
 *     other columns than its full query, that branch's columns (its on_schema_change applies them to
 *     the table); else empty
 * @param lineage by output column, the columns of sources and model tables it comes from, as the
 *     planner traces them through views, joins and aggregates
 */
public record PlannedModel(
        String name,
        Materialization materialization,
        List<ColumnInfo> columns,
        String tableDefinition,
        ProjectPlan plan,
        String cacheKey,
        boolean fromCache,
        List<String> inferredKey,
        List<ColumnInfo> incrementalColumns,
        Map<String, List<ColumnOrigin>> lineage) {

    public PlannedModel {
        inferredKey = inferredKey == null ? List.of() : List.copyOf(inferredKey);
        incrementalColumns = incrementalColumns == null ? List.of() : List.copyOf(incrementalColumns);
        lineage = lineage == null ? Map.of() : Collections.unmodifiableMap(new LinkedHashMap<>(lineage));
    }

    public PlannedModel(
            String name,
            Materialization materialization,
            List<ColumnInfo> columns,
            String tableDefinition,
            ProjectPlan plan,
            String cacheKey,
            boolean fromCache) {
        this(
                name,
                materialization,
                columns,
                tableDefinition,
                plan,
                cacheKey,
                fromCache,
                List.of(),
                List.of(),
                Map.of());
    }

    /** {@code model} as planned: with the unique_key inferred for it, if any. */
    public Model keyed(Model model) {
        return inferredKey.isEmpty() ? model : model.withUniqueKey(inferredKey);
    }

    PlannedModel withInferredKey(List<String> key) {
        return new PlannedModel(
                name,
                materialization,
                columns,
                tableDefinition,
                plan,
                cacheKey,
                fromCache,
                key,
                incrementalColumns,
                lineage);
    }

    PlannedModel withIncrementalColumns(List<ColumnInfo> branch) {
        return new PlannedModel(
                name,
                materialization,
                columns,
                tableDefinition,
                plan,
                cacheKey,
                fromCache,
                inferredKey,
                branch,
                lineage);
    }

    PlannedModel withLineage(Map<String, List<ColumnOrigin>> origins) {
        return new PlannedModel(
                name,
                materialization,
                columns,
                tableDefinition,
                plan,
                cacheKey,
                fromCache,
                inferredKey,
                incrementalColumns,
                origins);
    }

    /** The columns a later run of an incremental model writes: its is_incremental() branch's. */
    public List<ColumnInfo> columnsOfIncrementalRuns() {
        return incrementalColumns.isEmpty() ? columns : incrementalColumns;
    }

    public List<String> columnNames() {
        return columns.stream().map(ColumnInfo::name).toList();
    }

    public PlannedModel withPlan(ProjectPlan other) {
        return new PlannedModel(
                name,
                materialization,
                columns,
                tableDefinition,
                other,
                cacheKey,
                fromCache,
                inferredKey,
                incrementalColumns,
                lineage);
    }

    PlannedModel cached() {
        return new PlannedModel(
                name,
                materialization,
                columns,
                tableDefinition,
                plan,
                cacheKey,
                true,
                inferredKey,
                incrementalColumns,
                lineage);
    }
}
