package io.github.flinkdbt.project;

import io.github.flinkdbt.common.Problems;
import io.github.flinkdbt.common.SourcePosition;
import io.github.flinkdbt.common.Suggestions;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * How a snapshot tracks its rows, as dbt configures it.
 *
 * @param uniqueKey the columns identifying a row (one or more)
 * @param strategy {@code timestamp} (a row changed when its {@code updated_at} grew) or {@code check}
 *     (when one of {@code checkCols} changed)
 * @param checkCols the columns compared by the check strategy; empty for all of the query's
 * @param hardDeletes {@code ignore}, {@code invalidate} (a row gone from the query is closed) or
 *     {@code new_record} (and a row marked deleted is added)
 * @param columns dbt's meta column names, as {@code snapshot_meta_column_names} renames them
 */
public record SnapshotConfig(
        List<String> uniqueKey,
        String strategy,
        String updatedAt,
        List<String> checkCols,
        String hardDeletes,
        MetaColumns columns) {

    public static final String TIMESTAMP = "timestamp";
    public static final String CHECK = "check";
    public static final String NEW_RECORD = "new_record";
    public static final String INVALIDATE = "invalidate";

    /** The keys a snapshot's config may have. */
    static final Set<String> KEYS = new TreeSet<>(List.of(
            "unique_key",
            "strategy",
            "updated_at",
            "check_cols",
            "hard_deletes",
            "invalidate_hard_deletes",
            "snapshot_meta_column_names",
            "dbt_valid_to_current",
            "target_schema",
            "target_database",
            "schema",
            "database",
            "alias",
            "enabled",
            "tags",
            "meta",
            "docs",
            "description",
            "persist_docs",
            "grants",
            "quote_columns",
            "properties",
            "execution_config",
            "default_execution_config",
            "parallelism",
            "group",
            "event_time",
            "pre_hook",
            "post_hook",
            "pre-hook",
            "post-hook"));

    /** dbt's columns in a snapshot's table, renamed as a project may. */
    public record MetaColumns(String scdId, String updatedAt, String validFrom, String validTo, String isDeleted) {

        static final MetaColumns DBT =
                new MetaColumns("dbt_scd_id", "dbt_updated_at", "dbt_valid_from", "dbt_valid_to", "dbt_is_deleted");

        public List<String> all() {
            return List.of(scdId, updatedAt, validFrom, validTo, isDeleted);
        }
    }

    /** Whether a deleted row gets a record of its own (and so the table a {@code dbt_is_deleted} column). */
    public boolean recordsDeletes() {
        return hardDeletes.equals(NEW_RECORD);
    }

    /** The meta columns this snapshot's table has, in their order. */
    public List<String> metaColumns() {
        List<String> names = new ArrayList<>(columns.all());
        if (!recordsDeletes()) {
            names.remove(columns.isDeleted());
        }
        return names;
    }

    /** The snapshot settings of a loaded snapshot's config. */
    public static SnapshotConfig of(ModelConfig config) {
        Map<String, ConfigValue> values = new LinkedHashMap<>();
        config.values().forEach((key, value) -> values.put(key, new ConfigValue(value, null)));
        return read("", values, null, new Problems());
    }

    /** Reads and checks a snapshot's merged config; problems are reported at {@code at} when no key has a position. */
    static SnapshotConfig read(String name, Map<String, ConfigValue> config, SourcePosition at, Problems problems) {
        for (Map.Entry<String, ConfigValue> entry : config.entrySet()) {
            String key = entry.getKey();
            if (!KEYS.contains(key) && !key.equals("materialized")) {
                String suggestion = Suggestions.didYouMean(key, KEYS);
                problems.add(
                        positionOf(entry.getValue(), at),
                        "Unknown snapshot config key '" + key + "' (snapshot '" + name + "')." + suggestion,
                        suggestion.isEmpty() ? "Snapshot config keys: " + String.join(", ", KEYS) : null);
            }
        }
        ConfigRules.Reader read = new ConfigRules.Reader(config, problems);
        List<String> uniqueKey = read.stringList("unique_key");
        String strategy = read.choice("strategy", null, TIMESTAMP, CHECK);
        String updatedAt = read.string("updated_at");
        List<String> checkCols = new ArrayList<>();
        ConfigValue check = config.get("check_cols");
        boolean allColumns = check != null && "all".equals(String.valueOf(check.value()));
        if (!allColumns) {
            checkCols.addAll(read.stringList("check_cols"));
        }
        String hardDeletes = read.choice("hard_deletes", null, "ignore", INVALIDATE, NEW_RECORD);
        if (hardDeletes == null) {
            hardDeletes = read.bool("invalidate_hard_deletes", false) ? INVALIDATE : "ignore";
        }
        Map<String, String> names = read.stringMap("snapshot_meta_column_names");
        MetaColumns dbt = MetaColumns.DBT;
        MetaColumns columns = new MetaColumns(
                names.getOrDefault("dbt_scd_id", dbt.scdId()),
                names.getOrDefault("dbt_updated_at", dbt.updatedAt()),
                names.getOrDefault("dbt_valid_from", dbt.validFrom()),
                names.getOrDefault("dbt_valid_to", dbt.validTo()),
                names.getOrDefault("dbt_is_deleted", dbt.isDeleted()));
        for (String key : names.keySet()) {
            if (!dbt.all().contains(key)) {
                problems.add(
                        positionOf(config.get("snapshot_meta_column_names"), at),
                        "snapshot_meta_column_names renames dbt's columns, and '" + key + "' is not one of them."
                                + Suggestions.didYouMean(key, dbt.all()),
                        "Its keys: " + String.join(", ", dbt.all()));
            }
        }
        if (uniqueKey.isEmpty()) {
            problems.add(
                    at,
                    "Snapshot '" + name
                            + "' has no unique_key: it needs to know which rows are versions of one another.",
                    "Add unique_key='id' (or a list of columns) to its config.");
        }
        if (strategy == null && config.get("strategy") == null) {
            problems.add(
                    at,
                    "Snapshot '" + name + "' has no strategy.",
                    "Add strategy='timestamp' with updated_at='<column>', or strategy='check' with check_cols='all' "
                            + "(or a list of columns).");
        } else if (TIMESTAMP.equals(strategy) && updatedAt == null) {
            problems.add(
                    positionOf(config.get("strategy"), at),
                    "Snapshot '" + name + "' uses the timestamp strategy but names no updated_at column.",
                    "Add updated_at='<column>' (the time each row last changed) to its config.");
        } else if (CHECK.equals(strategy) && check == null) {
            problems.add(
                    positionOf(config.get("strategy"), at),
                    "Snapshot '" + name + "' uses the check strategy but names no check_cols.",
                    "Add check_cols='all' or check_cols=['status', 'amount'] to its config.");
        }
        return new SnapshotConfig(
                uniqueKey,
                strategy == null ? TIMESTAMP : strategy,
                updatedAt,
                List.copyOf(checkCols),
                hardDeletes,
                columns);
    }

    private static SourcePosition positionOf(ConfigValue value, SourcePosition fallback) {
        return value == null || value.position() == null ? fallback : value.position();
    }
}
