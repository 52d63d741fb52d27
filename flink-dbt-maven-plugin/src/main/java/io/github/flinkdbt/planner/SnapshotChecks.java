package io.github.flinkdbt.planner;

import io.github.flinkdbt.common.Problems;
import io.github.flinkdbt.common.Suggestions;
import io.github.flinkdbt.project.Model;
import io.github.flinkdbt.project.SnapshotConfig;
import io.github.flinkdbt.project.SnapshotSql;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.flink.table.catalog.Column;
import org.apache.flink.table.catalog.ResolvedSchema;
import org.apache.flink.table.types.logical.LogicalTypeFamily;

/**
 * A snapshot's config against its query's columns (its key, updated_at and check_cols are
 * columns; dbt's columns are not), and the SQL of its later runs planned against its table, so
 * that a run never meets a query that does not plan.
 */
final class SnapshotChecks {

    private SnapshotChecks() {}

    static boolean columnsFit(Model model, SnapshotConfig snapshot, ResolvedSchema query, Problems problems) {
        List<String> columns = query.getColumnNames();
        int before = problems.size();
        Map<String, List<String>> named = new LinkedHashMap<>();
        named.put("unique_key", snapshot.uniqueKey());
        named.put("check_cols", snapshot.checkCols());
        if (snapshot.strategy().equals(SnapshotConfig.TIMESTAMP)) {
            named.put("updated_at", List.of(snapshot.updatedAt()));
        }
        named.forEach((key, names) -> {
            for (String name : names) {
                if (!columns.contains(name)) {
                    problems.add(
                            model.position(),
                            "Snapshot '" + model.name() + "': " + key + " names '" + name
                                    + "', which is not a column of its query." + Suggestions.didYouMean(name, columns),
                            "Its columns: " + String.join(", ", columns));
                }
            }
        });
        if (snapshot.strategy().equals(SnapshotConfig.TIMESTAMP) && columns.contains(snapshot.updatedAt())) {
            Column updatedAt = query.getColumn(snapshot.updatedAt()).orElseThrow();
            if (!updatedAt.getDataType().getLogicalType().is(LogicalTypeFamily.DATETIME)) {
                problems.add(
                        model.position(),
                        "Snapshot '" + model.name() + "': updated_at column '" + snapshot.updatedAt() + "' is "
                                + updatedAt.getDataType().getLogicalType().asSummaryString()
                                + ", not a timestamp or date.",
                        "Cast it in the query (CAST(... AS TIMESTAMP(3))), or use strategy='check'.");
            }
        }
        for (String meta : snapshot.metaColumns()) {
            if (columns.contains(meta)) {
                problems.add(
                        model.position(),
                        "Snapshot '" + model.name() + "': its query has a column '" + meta
                                + "', which the snapshot adds itself.",
                        "Rename the column in the query, or rename dbt's with snapshot_meta_column_names.");
            }
        }
        return problems.size() == before;
    }

    /** Plans what a later run writes into the table (whose columns are {@code table}'s). */
    static boolean changesPlan(
            Model model,
            SnapshotConfig snapshot,
            ResolvedSchema table,
            PlannerSession session,
            String target,
            Problems problems) {
        Map<String, String> tableColumns = new LinkedHashMap<>();
        List<String> queryColumns = new ArrayList<>();
        for (Column column : table.getColumns()) {
            tableColumns.put(
                    column.getName(), column.getDataType().getLogicalType().asSerializableString());
            if (!snapshot.metaColumns().contains(column.getName())) {
                queryColumns.add(column.getName());
            }
        }
        String changes = SnapshotSql.changes(model.sql().text(), snapshot, queryColumns, tableColumns, target);
        try {
            session.withOptions(true, model.config().executionConfig(), () -> {
                session.explain(session.query(changes, true), target);
                return null;
            });
            return true;
        } catch (RuntimeException e) {
            problems.add(
                    model.position(),
                    "Snapshot '" + model.name() + "': the query of its later runs does not plan: "
                            + PlanningErrors.message(e),
                    "Report this with the snapshot's config; its first run is in compiled/" + model.name() + ".sql.");
            return false;
        }
    }
}
