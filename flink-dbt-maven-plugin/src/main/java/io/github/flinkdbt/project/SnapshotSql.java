package io.github.flinkdbt.project;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * The SQL of a snapshot's runs, from its query: the rows of a first run (every row a current
 * version), and the rows a later run writes (new versions, closed versions, deleted records). Both
 * are upserted by the scd id, so closing a version and adding its successor is one Iceberg commit.
 * Times are TIMESTAMP(6) (what Iceberg stores); the snapshot's own time is the query's start
 * ({@code CURRENT_TIMESTAMP}, one value per batch query), in the session's time zone.
 */
public final class SnapshotSql {

    private static final String NOW = "CAST(CURRENT_TIMESTAMP AS TIMESTAMP(6))";
    private static final String NO_TIME = "CAST(NULL AS TIMESTAMP(6))";

    private SnapshotSql() {}

    /** The query's rows with dbt's columns, as a first run writes them (and tests read the snapshot). */
    public static String firstRun(String query, SnapshotConfig config) {
        SnapshotConfig.MetaColumns meta = config.columns();
        String time = config.strategy().equals(SnapshotConfig.TIMESTAMP)
                ? "CAST(s." + q(config.updatedAt()) + " AS TIMESTAMP(6))"
                : NOW;
        StringBuilder sql = new StringBuilder("SELECT s.*,\n  ")
                .append(scdId(config, "s", time))
                .append(" AS ")
                .append(q(meta.scdId()))
                .append(",\n  ")
                .append(time)
                .append(" AS ")
                .append(q(meta.updatedAt()))
                .append(",\n  ")
                .append(time)
                .append(" AS ")
                .append(q(meta.validFrom()))
                .append(",\n  ")
                .append(NO_TIME)
                .append(" AS ")
                .append(q(meta.validTo()));
        if (config.recordsDeletes()) {
            sql.append(",\n  'False' AS ").append(q(meta.isDeleted()));
        }
        return sql.append("\nFROM (\n").append(query).append("\n) AS s").toString();
    }

    /**
     * What a later run upserts into the snapshot {@code target}: versions of new and changed rows,
     * the versions they replace closed, and rows gone from the query closed (and recorded) as
     * {@code hard_deletes} says.
     *
     * @param queryColumns the query's columns
     * @param tableColumns the table's columns and their Flink SQL types, in its order
     */
    public static String changes(
            String query,
            SnapshotConfig config,
            List<String> queryColumns,
            Map<String, String> tableColumns,
            String target) {
        SnapshotConfig.MetaColumns meta = config.columns();
        List<String> sourceColumns = new ArrayList<>(queryColumns);
        sourceColumns.addAll(config.metaColumns());
        String keysMatch = String.join(
                " AND ",
                config.uniqueKey().stream()
                        .map(k -> "src." + q(k) + " = cur." + q(k))
                        .toList());
        String firstKey = q(config.uniqueKey().get(0));
        String changed = changed(config, queryColumns);
        Function<String, String> fromSource = column ->
                sourceColumns.contains(column) ? "src." + q(column) : "CAST(NULL AS " + tableColumns.get(column) + ")";
        StringBuilder sql = new StringBuilder("WITH src AS (\n")
                .append(firstRun(query, config))
                .append("\n),\ncur AS (SELECT * FROM ")
                .append(target)
                .append(" WHERE ")
                .append(q(meta.validTo()))
                .append(" IS NULL)");
        boolean deletes = !config.hardDeletes().equals("ignore");
        if (deletes) {
            sql.append(",\ngone AS (SELECT cur.* FROM cur LEFT JOIN src ON ")
                    .append(keysMatch)
                    .append(" WHERE src.")
                    .append(firstKey)
                    .append(" IS NULL");
            if (config.recordsDeletes()) {
                sql.append(" AND cur.").append(q(meta.isDeleted())).append(" IS DISTINCT FROM 'True'");
            }
            sql.append(")");
        }
        sql.append("\n-- new rows\nSELECT ")
                .append(select(tableColumns, fromSource))
                .append("\nFROM src LEFT JOIN cur ON ")
                .append(keysMatch)
                .append(" WHERE cur.")
                .append(firstKey)
                .append(" IS NULL\nUNION ALL\n-- changed rows: the new version\nSELECT ")
                .append(select(tableColumns, fromSource))
                .append("\nFROM src JOIN cur ON ")
                .append(keysMatch)
                .append(" WHERE ")
                .append(changed)
                .append("\nUNION ALL\n-- changed rows: the version they replace, closed\nSELECT ")
                .append(select(tableColumns, closing("cur", meta, "src." + q(meta.validFrom()))))
                .append("\nFROM src JOIN cur ON ")
                .append(keysMatch)
                .append(" WHERE ")
                .append(changed);
        if (deletes) {
            sql.append("\nUNION ALL\n-- rows gone from the query, closed\nSELECT ")
                    .append(select(tableColumns, closing("gone", meta, NOW)))
                    .append("\nFROM gone");
        }
        if (config.recordsDeletes()) {
            sql.append("\nUNION ALL\n-- rows gone from the query, recorded as deleted\nSELECT ")
                    .append(select(tableColumns, column -> deletedRecord(column, config)))
                    .append("\nFROM gone");
        }
        return sql.toString();
    }

    private static String changed(SnapshotConfig config, List<String> queryColumns) {
        SnapshotConfig.MetaColumns meta = config.columns();
        String changed;
        if (config.strategy().equals(SnapshotConfig.TIMESTAMP)) {
            changed = "src." + q(meta.updatedAt()) + " > cur." + q(meta.updatedAt());
        } else {
            List<String> compared = config.checkCols().isEmpty() ? queryColumns : config.checkCols();
            changed = "NOT ("
                    + String.join(
                            " AND ",
                            compared.stream()
                                    .map(c -> "src." + q(c) + " IS NOT DISTINCT FROM cur." + q(c))
                                    .toList())
                    + ")";
        }
        if (config.recordsDeletes()) {
            // a row back after it was deleted: its deleted record is closed, a new version starts
            changed = "(" + changed + " OR cur." + q(meta.isDeleted()) + " = 'True')";
        }
        return changed;
    }

    private static Function<String, String> closing(String alias, SnapshotConfig.MetaColumns meta, String validTo) {
        return column -> column.equals(meta.validTo()) ? validTo : alias + "." + q(column);
    }

    private static String deletedRecord(String column, SnapshotConfig config) {
        SnapshotConfig.MetaColumns meta = config.columns();
        if (column.equals(meta.scdId())) {
            return scdId(config, "gone", NOW);
        }
        if (column.equals(meta.updatedAt()) || column.equals(meta.validFrom())) {
            return NOW;
        }
        if (column.equals(meta.validTo())) {
            return NO_TIME;
        }
        if (column.equals(meta.isDeleted())) {
            return "'True'";
        }
        return "gone." + q(column);
    }

    private static String select(Map<String, String> tableColumns, Function<String, String> expression) {
        List<String> items = new ArrayList<>();
        tableColumns.keySet().forEach(column -> items.add(expression.apply(column) + " AS " + q(column)));
        return String.join(", ", items);
    }

    /** dbt's scd id: a hash of the unique key and the version's time. */
    private static String scdId(SnapshotConfig config, String alias, String time) {
        List<String> parts = new ArrayList<>();
        config.uniqueKey().forEach(k -> parts.add("COALESCE(CAST(" + alias + "." + q(k) + " AS STRING), '')"));
        parts.add("COALESCE(CAST(" + time + " AS STRING), '')");
        return "MD5(CONCAT_WS('|', " + String.join(", ", parts) + "))";
    }

    private static String q(String identifier) {
        return Relation.quote(identifier);
    }
}
