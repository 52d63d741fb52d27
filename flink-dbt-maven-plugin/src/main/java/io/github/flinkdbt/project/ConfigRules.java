package io.github.flinkdbt.project;

import io.github.flinkdbt.common.Problems;
import io.github.flinkdbt.common.SourcePosition;
import io.github.flinkdbt.common.Suggestions;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Pattern;

/**
 * Which model config keys exist, for which materializations, and what their values may be.
 * Turns merged raw values into a {@link ModelConfig}, reporting every mistake at the place the
 * value was set.
 */
public final class ConfigRules {

    private static final Set<Materialization> ALL = EnumSet.allOf(Materialization.class);
    private static final Set<Materialization> WRITES_TABLE =
            EnumSet.of(Materialization.TABLE, Materialization.STREAMING_TABLE, Materialization.INCREMENTAL);
    private static final Set<Materialization> STREAMING = EnumSet.of(Materialization.STREAMING_TABLE);
    private static final Set<Materialization> INCREMENTAL = EnumSet.of(Materialization.INCREMENTAL);

    private static final Map<String, Set<Materialization>> KEYS = new TreeMap<>();
    private static final Map<String, String> UNSUPPORTED = new TreeMap<>();
    /** Keys of other Flink adapters that mean nothing here: accepted with a warning saying why. */
    private static final Map<String, String> IGNORED = new TreeMap<>();

    private static final Pattern IDENTIFIER = Pattern.compile("[A-Za-z_][A-Za-z0-9_$]*");

    static {
        for (String key : List.of(
                "materialized",
                "enabled",
                "tags",
                "meta",
                "docs",
                "persist_docs",
                "alias",
                "schema",
                "database",
                "contract",
                "group",
                "access",
                "grants",
                "full_refresh",
                "type",
                "event_time",
                "description")) {
            KEYS.put(key, ALL);
        }
        for (String key : List.of(
                "unique_key",
                "primary_key",
                "partition_by",
                "properties",
                "connector_properties",
                "default_connector_properties",
                "execution_config",
                "default_execution_config")) {
            KEYS.put(key, WRITES_TABLE);
        }
        for (String key : List.of("on_state_incompatible", "state_ttl", "parallelism")) {
            KEYS.put(key, STREAMING);
        }
        // other Flink adapters' keys: mapped (type, execution_mode, connector and execution configs) or ignored
        KEYS.put("execution_mode", ALL);
        for (String key : List.of("upgrade_mode", "job_state")) {
            KEYS.put(key, ALL);
        }
        IGNORED.put(
                "statement_set_group",
                "each streaming model runs as its own job here, so that its state can be upgraded alone");
        IGNORED.put("statement_set_leader", IGNORED.get("statement_set_group"));
        IGNORED.put("catalog_managed", "every model is a table of the project's Iceberg catalog here");
        IGNORED.put(
                "watermark",
                "a model's event time comes from its query: the watermark of the source it reads carries through");
        for (String key :
                List.of("incremental_strategy", "on_schema_change", "merge_update_columns", "merge_exclude_columns")) {
            KEYS.put(key, INCREMENTAL);
        }
        for (String key : List.of("pre_hook", "post_hook", "pre-hook", "post-hook")) {
            KEYS.put(key, EnumSet.of(Materialization.VIEW, Materialization.TABLE, Materialization.INCREMENTAL));
        }
        UNSUPPORTED.put(
                "sql_header",
                "Session statements in front of a model are not supported; use "
                        + "execution_config for Flink options.");
    }

    private ConfigRules() {}

    /** Every known key (for "did you mean"). */
    public static Set<String> knownKeys() {
        Set<String> keys = new TreeSet<>(KEYS.keySet());
        keys.addAll(UNSUPPORTED.keySet());
        keys.addAll(IGNORED.keySet());
        return keys;
    }

    public static boolean isKnown(String key) {
        return KEYS.containsKey(key) || UNSUPPORTED.containsKey(key) || IGNORED.containsKey(key);
    }

    /**
     * Merges config layers, lowest priority first. Tags accumulate and meta maps merge, as in dbt;
     * any other key set later replaces the earlier value.
     */
    @SafeVarargs
    public static Map<String, ConfigValue> merge(Map<String, ConfigValue>... layers) {
        Map<String, ConfigValue> merged = new LinkedHashMap<>();
        for (Map<String, ConfigValue> layer : layers) {
            layer.forEach((key, value) -> {
                ConfigValue previous = merged.get(key);
                if (previous != null && key.equals("tags")) {
                    Set<Object> tags = new LinkedHashSet<>(asList(previous.value()));
                    tags.addAll(asList(value.value()));
                    merged.put(key, new ConfigValue(new ArrayList<>(tags), value.position()));
                } else if (previous != null
                        && key.equals("meta")
                        && previous.value() instanceof Map<?, ?> before
                        && value.value() instanceof Map<?, ?> after) {
                    Map<Object, Object> meta = new LinkedHashMap<>(before);
                    meta.putAll(after);
                    merged.put(key, new ConfigValue(meta, value.position()));
                } else {
                    merged.put(key, value);
                }
            });
        }
        return merged;
    }

    /** Validates and types a model's merged config. */
    public static ModelConfig resolve(String model, Map<String, ConfigValue> config, Problems problems) {
        Reader read = new Reader(config, problems);
        Materialization materialized = Materialization.VIEW;
        ConfigValue materializedValue = config.get("materialized");
        if (materializedValue != null) {
            String name = String.valueOf(materializedValue.value());
            materialized = Materialization.fromConfig(name)
                    .filter(m -> m != Materialization.SEED && m != Materialization.SNAPSHOT)
                    .orElse(null);
            if (materialized == null) {
                String hint = name.equals("seed")
                        ? "Seeds are CSV files: put it in src/main/seeds/ (or the dbt "
                                + "project's seed-paths) and ref() it by file name."
                        : name.equals("snapshot")
                                ? "Snapshots are {% snapshot name %} blocks in src/main/snapshots/ (or the dbt project's "
                                        + "snapshot-paths), or snapshots: entries of a YAML file there."
                                : "Use one of: " + String.join(", ", Materialization.configNames());
                problems.add(
                        materializedValue.position(),
                        "Unknown materialization '" + name + "' for model '" + model + "'."
                                + Suggestions.didYouMean(name, Materialization.configNames()),
                        hint);
            }
        }
        String typeKey = config.containsKey("type") ? "type" : "execution_mode"; // dbt-flink-adapter, its forks
        String type = read.string(typeKey);
        if (type != null) {
            String mode = type.toLowerCase(Locale.ROOT);
            if (!mode.equals("streaming") && !mode.equals("batch")) {
                problems.add(
                        config.get(typeKey).position(),
                        "config '" + typeKey + "' must be 'streaming' or 'batch', not '" + type + "'.",
                        null);
            } else if (mode.equals("streaming") && materialized == Materialization.TABLE) {
                // dbt-flink-adapter's spelling of a streaming table.
                materialized = Materialization.STREAMING_TABLE;
            } else if (mode.equals("streaming") && materialized == Materialization.INCREMENTAL) {
                problems.add(
                        config.get(typeKey).position(),
                        "An incremental model runs as a bounded job; " + typeKey + ": streaming does not apply.",
                        "Use materialized='streaming_table' for a continuous job.");
            }
        }
        for (Map.Entry<String, ConfigValue> entry : config.entrySet()) {
            checkKey(model, entry.getKey(), entry.getValue().position(), materialized, problems);
        }
        Materialization effective = materialized == null ? Materialization.VIEW : materialized;

        List<String> uniqueKey = read.stringList("unique_key");
        if (uniqueKey.isEmpty()) {
            uniqueKey = read.stringList("primary_key");
        }
        Map<String, String> connector = new TreeMap<>(read.stringMap("default_connector_properties"));
        connector.putAll(read.stringMap("connector_properties"));
        List<ConfigValue> layers = new ArrayList<>();
        Map<String, SourcePosition> connectorPositions = new TreeMap<>();
        for (String key : List.of("default_connector_properties", "connector_properties")) {
            ConfigValue value = config.get(key);
            if (value != null) {
                layers.add(value);
                if (value.value() instanceof Map<?, ?> options) {
                    options.keySet()
                            .forEach(option -> connectorPositions.put(
                                    String.valueOf(option), value.positionOf(String.valueOf(option))));
                }
            }
        }
        Map<String, String> secrets = Secrets.templates(connector, layers);
        Map<String, String> execution = new TreeMap<>(read.stringMap("default_execution_config"));
        execution.putAll(read.stringMap("execution_config"));
        String stateTtl = read.string("state_ttl");
        if (stateTtl != null) {
            execution.put("table.exec.state.ttl", stateTtl);
        }
        String parallelism = read.string("parallelism");
        if (parallelism != null) {
            if (!parallelism.matches("[1-9][0-9]*")) {
                problems.add(
                        config.get("parallelism").position(),
                        "config 'parallelism' must be a positive number, not '" + parallelism + "'.",
                        null);
            }
            execution.put("parallelism.default", parallelism);
        }
        String strategy = read.choice("incremental_strategy", "append", "append", "merge", "insert_overwrite");
        if (effective == Materialization.INCREMENTAL
                && strategy.equals("insert_overwrite")
                && read.stringList("partition_by").isEmpty()) {
            problems.add(
                    config.get("incremental_strategy").position(),
                    "incremental_strategy 'insert_overwrite' of '" + model + "' needs partition_by: it replaces the "
                            + "partitions its new rows fall in (without partitions it would replace the whole table).",
                    "Add partition_by=['<column>'] to the config of '" + model
                            + "', or use 'merge' with a unique_key.");
        }
        if (effective == Materialization.INCREMENTAL && strategy.equals("merge") && uniqueKey.isEmpty()) {
            problems.add(
                    config.get("incremental_strategy").position(),
                    "incremental_strategy 'merge' needs a unique_key " + "to know which rows to replace.",
                    "Add unique_key='<column>' to the config of '" + model + "'.");
        }
        checkMergeColumns(model, config, read, strategy, problems);
        String policy = read.choice("on_state_incompatible", "fail", "fail", "reprocess", "allow_state_loss");
        if (!read.choice("upgrade_mode", "savepoint", "savepoint", "stateless", "last-state")
                .equals("savepoint")) {
            problems.warn(
                    config.get("upgrade_mode").position(),
                    "config 'upgrade_mode' (another Flink adapter's) is ignored: deploy always stops a streaming model with a"
                            + " savepoint and restores it when the new plan can; on_state_incompatible says what"
                            + " happens when it cannot.");
        }
        if (read.choice("job_state", "running", "running", "suspended").equals("suspended")) {
            problems.warn(
                    config.get("job_state").position(),
                    "config 'job_state: suspended' (another Flink adapter's) is ignored: deploy runs every selected"
                            + " streaming model; exclude a model from the deploy's selection to leave its job as it"
                            + " is.");
        }
        read.choice("on_schema_change", "ignore", "ignore", "fail", "append_new_columns", "sync_all_columns");
        for (String key : List.of("alias", "schema", "database")) {
            String value = read.string(key);
            if (value != null && !IDENTIFIER.matcher(value).matches()) {
                problems.add(
                        config.get(key).position(),
                        "config '" + key + "' must be a plain identifier, not '" + value + "'.",
                        "Use letters, digits and underscores.");
            }
        }
        Map<String, Object> values = new TreeMap<>();
        config.forEach((key, value) -> values.put(key, value.value()));
        values.put("materialized", effective.configName());
        return new ModelConfig(
                effective,
                read.bool("enabled", true),
                read.stringList("tags"),
                read.string("alias"),
                read.string("schema"),
                read.string("database"),
                uniqueKey,
                read.stringList("partition_by"),
                connector,
                secrets,
                Map.copyOf(connectorPositions),
                read.stringMap("properties"),
                execution,
                strategy,
                policy,
                values);
    }

    /** merge_update_columns or merge_exclude_columns: one of them, lists of names, for a merge only. */
    private static void checkMergeColumns(
            String model, Map<String, ConfigValue> config, Reader read, String strategy, Problems problems) {
        ConfigValue update = config.get("merge_update_columns");
        ConfigValue exclude = config.get("merge_exclude_columns");
        read.stringList("merge_update_columns");
        read.stringList("merge_exclude_columns");
        if (update != null && exclude != null) {
            problems.add(
                    exclude.position(),
                    "'" + model + "' sets both merge_update_columns and merge_exclude_columns.",
                    "Keep one: the columns a merge updates, or the columns it leaves as they are.");
        } else if ((update != null || exclude != null) && !strategy.equals("merge")) {
            ConfigValue set = update != null ? update : exclude;
            problems.add(
                    set.position(),
                    (update != null ? "merge_update_columns" : "merge_exclude_columns") + " of '" + model
                            + "' applies to incremental_strategy 'merge', not '" + strategy + "'.",
                    "Add incremental_strategy='merge' (with a unique_key) to the config of '" + model + "'.");
        }
    }

    private static void checkKey(
            String model, String key, SourcePosition at, Materialization materialized, Problems problems) {
        if (UNSUPPORTED.containsKey(key)) {
            problems.add(at, "config '" + key + "' is not supported (model '" + model + "').", UNSUPPORTED.get(key));
            return;
        }
        if (IGNORED.containsKey(key)) {
            problems.warn(at, "config '" + key + "' (another Flink adapter's) is ignored: " + IGNORED.get(key) + ".");
            return;
        }
        Set<Materialization> allowed = KEYS.get(key);
        if (allowed == null) {
            String suggestion = Suggestions.didYouMean(key, KEYS.keySet());
            problems.add(
                    at,
                    "Unknown config key '" + key + "'." + suggestion,
                    suggestion.isEmpty() ? "Model config keys: " + String.join(", ", KEYS.keySet()) : null);
            return;
        }
        if (materialized != null && !allowed.contains(materialized)) {
            List<String> names =
                    allowed.stream().map(Materialization::configName).toList();
            if (at.file().endsWith(ProjectLayout.DBT_PROJECT_FILE)) {
                // a folder's +key reaches every model below it; dbt ignores it where it does not apply
                problems.warn(
                        at,
                        "+" + key + " reaches " + materialized.configName() + " models, to which it does not apply;"
                                + " it is ignored for them (it applies to: " + String.join(", ", names) + ").");
                return;
            }
            problems.add(
                    at,
                    "config '" + key + "' does not apply to materialized='" + materialized.configName() + "' (model '"
                            + model + "').",
                    "It applies to: " + String.join(", ", names));
        }
    }

    private static List<Object> asList(Object value) {
        if (value instanceof List<?> list) {
            return new ArrayList<>(list);
        }
        return value == null ? List.of() : List.of(value);
    }

    /** Typed access to raw values, each mistake reported at its position. */
    static final class Reader {
        private final Map<String, ConfigValue> config;
        private final Problems problems;

        Reader(Map<String, ConfigValue> config, Problems problems) {
            this.config = config;
            this.problems = problems;
        }

        String string(String key) {
            ConfigValue value = config.get(key);
            if (value == null || value.value() == null) {
                return null;
            }
            if (value.value() instanceof Map || value.value() instanceof List) {
                problems.add(value.position(), "config '" + key + "' must be a single value.", null);
                return null;
            }
            return String.valueOf(value.value());
        }

        boolean bool(String key, boolean fallback) {
            ConfigValue value = config.get(key);
            if (value == null || value.value() == null) {
                return fallback;
            }
            if (value.value() instanceof Boolean b) {
                return b;
            }
            String text = String.valueOf(value.value()).toLowerCase(Locale.ROOT);
            if (text.equals("true") || text.equals("false")) {
                return Boolean.parseBoolean(text);
            }
            problems.add(
                    value.position(), "config '" + key + "' must be true or false, not '" + value.value() + "'.", null);
            return fallback;
        }

        List<String> stringList(String key) {
            ConfigValue value = config.get(key);
            if (value == null || value.value() == null) {
                return List.of();
            }
            if (value.value() instanceof List<?> list) {
                List<String> out = new ArrayList<>();
                for (Object item : list) {
                    if (item instanceof Map || item instanceof List) {
                        problems.add(value.position(), "config '" + key + "' must be a list of names.", null);
                        return List.of();
                    }
                    out.add(String.valueOf(item).trim());
                }
                return out;
            }
            if (value.value() instanceof Map) {
                problems.add(value.position(), "config '" + key + "' must be a name or a list of names.", null);
                return List.of();
            }
            List<String> out = new ArrayList<>();
            for (String part : String.valueOf(value.value()).split(",")) {
                if (!part.isBlank()) {
                    out.add(part.trim());
                }
            }
            return out;
        }

        Map<String, String> stringMap(String key) {
            ConfigValue value = config.get(key);
            if (value == null || value.value() == null) {
                return Map.of();
            }
            if (!(value.value() instanceof Map<?, ?> map)) {
                problems.add(value.position(), "config '" + key + "' must be a mapping of option: value.", null);
                return Map.of();
            }
            Map<String, String> out = new TreeMap<>();
            map.forEach((k, v) -> {
                if (v instanceof Map || v instanceof List) {
                    problems.add(value.position(), "config '" + key + "." + k + "' must be a single value.", null);
                } else if (v != null) {
                    out.put(String.valueOf(k), String.valueOf(v));
                }
            });
            return out;
        }

        String choice(String key, String fallback, String... allowed) {
            String value = string(key);
            if (value == null) {
                return fallback;
            }
            for (String option : allowed) {
                if (option.equals(value)) {
                    return value;
                }
            }
            problems.add(
                    config.get(key).position(),
                    "config '" + key + "' must be one of " + String.join(", ", allowed) + ", not '" + value + "'."
                            + Suggestions.didYouMean(value, List.of(allowed)),
                    null);
            return fallback;
        }
    }
}
