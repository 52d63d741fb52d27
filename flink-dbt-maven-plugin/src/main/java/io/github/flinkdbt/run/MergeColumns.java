package io.github.flinkdbt.run;

import io.github.flinkdbt.project.Model;
import io.github.flinkdbt.project.Relation;
import java.util.ArrayList;
import java.util.List;

/**
 * A merge that updates some columns only ({@code merge_update_columns} or {@code
 * merge_exclude_columns}). An Iceberg upsert replaces whole rows, so the new rows are joined with
 * the current table on the unique key: a row it matches keeps its current value in every column
 * the merge leaves alone; a new row takes all its values.
 */
final class MergeColumns {

    private MergeColumns() {}

    /** {@code sql} as the rows to upsert; unchanged when the merge updates every column. */
    static String query(Model model, List<String> columns, String sql) {
        List<String> update = model.config().mergeUpdateColumns();
        List<String> exclude = model.config().mergeExcludeColumns();
        List<String> key = model.config().uniqueKey();
        List<String> kept = new ArrayList<>();
        for (String column : columns) {
            boolean updated = update.isEmpty() ? !exclude.contains(column) : update.contains(column);
            if (!updated && !key.contains(column)) {
                kept.add(column);
            }
        }
        if (kept.isEmpty()) {
            return sql;
        }
        String matched = "current_rows." + Relation.quote(key.get(0)) + " IS NOT NULL";
        List<String> select = new ArrayList<>();
        for (String column : columns) {
            String name = Relation.quote(column);
            select.add(
                    kept.contains(column)
                            ? "CASE WHEN " + matched + " THEN current_rows." + name + " ELSE new_rows." + name
                                    + " END AS " + name
                            : "new_rows." + name);
        }
        List<String> on = key.stream()
                .map(Relation::quote)
                .map(name -> "new_rows." + name + " = current_rows." + name)
                .toList();
        return "SELECT " + String.join(", ", select) + "\nFROM (\n" + sql + "\n) AS new_rows\nLEFT JOIN "
                + model.relation().quoted() + " AS current_rows ON " + String.join(" AND ", on) + "\n";
    }
}
