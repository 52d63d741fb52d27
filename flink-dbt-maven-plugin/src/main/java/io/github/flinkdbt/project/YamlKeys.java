package io.github.flinkdbt.project;

import io.github.flinkdbt.common.Problems;
import io.github.flinkdbt.common.Suggestions;
import java.util.Set;
import java.util.TreeSet;

/** The keys allowed in one kind of YAML mapping; unknown keys are reported with a suggestion. */
final class YamlKeys {

    static final YamlKeys SCHEMA_FILE = of(
            "schema file",
            "version",
            "models",
            "sources",
            "seeds",
            "snapshots",
            "analyses",
            "macros",
            "exposures",
            "metrics",
            "semantic_models",
            "saved_queries",
            "groups",
            "unit_tests",
            "data_tests",
            "functions");
    static final YamlKeys SOURCE = of(
            "source",
            "name",
            "description",
            "database",
            "schema",
            "loader",
            "loaded_at_field",
            "meta",
            "tags",
            "config",
            "overrides",
            "freshness",
            "quoting",
            "tables");
    static final YamlKeys SOURCE_TABLE = of(
            "source table",
            "name",
            "identifier",
            "description",
            "meta",
            "tags",
            "config",
            "columns",
            "data_tests",
            "tests",
            "freshness",
            "loaded_at_field",
            "external",
            "quoting",
            "docs");
    static final YamlKeys SOURCE_CONFIG = of(
            "source config",
            "connector_properties",
            "default_connector_properties",
            "watermark",
            "type",
            "primary_key",
            "enabled",
            "tags",
            "meta",
            "event_time",
            "freshness",
            "loaded_at_field");
    static final YamlKeys WATERMARK = of("watermark", "column", "strategy");
    static final YamlKeys COLUMN = of(
            "column",
            "name",
            "description",
            "data_type",
            "meta",
            "tags",
            "quote",
            "constraints",
            "data_tests",
            "tests",
            "policy_tags",
            "granularity",
            "config",
            "column_type",
            "expression");
    static final YamlKeys MODEL = of(
            "model",
            "name",
            "description",
            "docs",
            "config",
            "constraints",
            "columns",
            "data_tests",
            "tests",
            "meta",
            "tags",
            "access",
            "group",
            "latest_version",
            "deprecation_date",
            "versions",
            "time_spine");
    static final YamlKeys SNAPSHOT = of(
            "snapshot",
            "name",
            "relation",
            "description",
            "docs",
            "config",
            "columns",
            "data_tests",
            "tests",
            "meta",
            "tags");
    static final YamlKeys SEED =
            of("seed", "name", "description", "docs", "config", "columns", "data_tests", "tests", "meta", "tags");
    static final YamlKeys UNIT_TEST =
            of("unit test", "name", "model", "description", "given", "expect", "overrides", "config", "versions");
    static final YamlKeys UNIT_TEST_OVERRIDES = of("overrides", "vars", "macros", "env_vars");
    static final YamlKeys UNIT_TEST_CONFIG = of("unit test config", "tags", "meta", "enabled");
    static final YamlKeys UNIT_TEST_GIVEN = of("given input", "input", "rows", "format", "fixture");
    static final YamlKeys UNIT_TEST_EXPECT = of("expect", "rows", "format", "fixture");
    static final YamlKeys FUNCTION = of("function", "name", "class", "description");
    static final YamlKeys EXPOSURE = of(
            "exposure",
            "name",
            "type",
            "label",
            "owner",
            "description",
            "url",
            "maturity",
            "tags",
            "meta",
            "depends_on",
            "config");
    static final YamlKeys TEST_SPECIAL = of(
            "data test",
            "name",
            "config",
            "arguments",
            "where",
            "severity",
            "tags",
            "meta",
            "description",
            "limit",
            "warn_if",
            "error_if",
            "fail_calc",
            "store_failures",
            "enabled");

    private final String context;
    private final Set<String> keys;

    private YamlKeys(String context, Set<String> keys) {
        this.context = context;
        this.keys = keys;
    }

    static YamlKeys of(String context, String... keys) {
        return new YamlKeys(context, new TreeSet<>(Set.of(keys)));
    }

    boolean contains(String key) {
        return keys.contains(key);
    }

    /** Reports every key of {@code map} not in this set. */
    void check(YamlNode map, Problems problems) {
        if (map == null || !map.isMap()) {
            return;
        }
        for (String key : map.keys()) {
            if (!keys.contains(key)) {
                problems.add(
                        map.keyPosition(key),
                        "Unknown key '" + key + "' in " + context + "." + Suggestions.didYouMean(key, keys),
                        "Allowed here: " + String.join(", ", keys));
            }
        }
    }
}
