package io.github.flinkdbt.project;

import io.github.flinkdbt.common.SourcePosition;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * A model's configuration after merging dbt_project.yml, its schema file and its own
 * {@code config()} call (in that order; the file wins).
 *
 * @param uniqueKey columns identifying a row; becomes the target table's primary key
 * @param connectorProperties Flink {@code WITH} options for a non-Iceberg target (e.g. Kafka)
 * @param secretConnectorProperties the options of {@code connectorProperties} never to be written out, each
 *     with the YAML text it was rendered from (what a bundle carries instead of the value)
 * @param connectorPositions where each of {@code connectorProperties} was set
 * @param tableProperties Iceberg table properties
 * @param executionConfig Flink options for this model's job and planning (e.g. state TTL)
 * @param values every key as configured, for the manifest
 */
public record ModelConfig(
        Materialization materialized,
        boolean enabled,
        List<String> tags,
        String alias,
        String schema,
        String database,
        List<String> uniqueKey,
        List<String> partitionBy,
        Map<String, String> connectorProperties,
        Map<String, String> secretConnectorProperties,
        Map<String, SourcePosition> connectorPositions,
        Map<String, String> tableProperties,
        Map<String, String> executionConfig,
        String incrementalStrategy,
        String onStateIncompatible,
        Map<String, Object> values) {

    /** Where the connector option {@code key} was set; null when not known. */
    public SourcePosition positionOf(String key) {
        return connectorPositions.get(key);
    }

    /** {@code on_schema_change} of an incremental model: ignore (the default), fail, append_new_columns, sync_all_columns. */
    public String onSchemaChange() {
        Object value = values.get("on_schema_change");
        return value == null ? "ignore" : String.valueOf(value);
    }

    /** {@code merge_update_columns}: the only columns a merge updates in the rows it matches; empty for all. */
    public List<String> mergeUpdateColumns() {
        return names(values.get("merge_update_columns"));
    }

    /** {@code merge_exclude_columns}: the columns a merge leaves as they are in the rows it matches. */
    public List<String> mergeExcludeColumns() {
        return names(values.get("merge_exclude_columns"));
    }

    private static List<String> names(Object value) {
        if (value == null) {
            return List.of();
        }
        List<?> items = value instanceof List<?> list
                ? list
                : List.of(String.valueOf(value).split(","));
        return items.stream()
                .map(item -> String.valueOf(item).trim())
                .filter(name -> !name.isEmpty())
                .toList();
    }

    /** {@code pre_hook} (or {@code pre-hook}): SQL statements run before the model is built, in order. */
    public List<String> preHooks() {
        return hooks("pre_hook", "pre-hook");
    }

    /** {@code post_hook} (or {@code post-hook}): SQL statements run after the model was built. */
    public List<String> postHooks() {
        return hooks("post_hook", "post-hook");
    }

    private List<String> hooks(String... keys) {
        List<String> statements = new ArrayList<>();
        for (String key : keys) {
            Object value = values.get(key);
            List<?> items = value instanceof List<?> list ? list : value == null ? List.of() : List.of(value);
            for (Object item : items) {
                Object sql = item instanceof Map<?, ?> map ? map.get("sql") : item;
                if (sql != null && !String.valueOf(sql).isBlank()) {
                    statements.add(String.valueOf(sql).trim());
                }
            }
        }
        return statements;
    }

    /** Every key as configured, secret connector values redacted: what the manifest shows. */
    public Map<String, Object> redactedValues() {
        Map<String, Object> config = new TreeMap<>(values);
        for (String key : List.of("connector_properties", "default_connector_properties")) {
            if (config.get(key) instanceof Map<?, ?> map) {
                Map<String, String> options = new TreeMap<>();
                map.forEach((k, v) -> options.put(String.valueOf(k), String.valueOf(v)));
                config.put(key, Secrets.redact(options, secretConnectorProperties.keySet()));
            }
        }
        return config;
    }

    /** The same config with {@code values} instead (e.g. with its hooks rendered). */
    ModelConfig withValues(Map<String, Object> newValues) {
        return with(uniqueKey, Map.copyOf(newValues));
    }

    /** The same config with this {@code unique_key} (one the planner inferred). */
    ModelConfig withUniqueKey(List<String> key) {
        // values stay as configured: the manifest tells an inferred key apart, state:modified compares configs
        return with(List.copyOf(key), values);
    }

    private ModelConfig with(List<String> newUniqueKey, Map<String, Object> newValues) {
        return new ModelConfig(
                materialized,
                enabled,
                tags,
                alias,
                schema,
                database,
                newUniqueKey,
                partitionBy,
                connectorProperties,
                secretConnectorProperties,
                connectorPositions,
                tableProperties,
                executionConfig,
                incrementalStrategy,
                onStateIncompatible,
                newValues);
    }

    /** Whether the target is an Iceberg table of the project catalog (no connector given). */
    public boolean writesIceberg() {
        return connectorProperties.isEmpty();
    }
}
