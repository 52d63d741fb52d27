package io.github.flinkdbt.project;

import io.github.flinkdbt.common.Problems;
import io.github.flinkdbt.common.SourcePosition;
import io.github.flinkdbt.common.Suggestions;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Pattern;

/**
 * Reads dbt schema files (version 2): sources (with dbt-flink-adapter's connector keys), model
 * properties and the project's Java functions; tests go to {@link TestDefinitionParser}. Every mistake is a
 * problem at its line; parsing continues so all of them are reported.
 */
final class SchemaFileParser {

    private static final Pattern IDENTIFIER = Pattern.compile("[A-Za-z_][A-Za-z0-9_$]*");

    private final ProjectLayout layout;
    private final String catalog;
    private final String database;
    private final YamlValues values;
    private final Set<String> testMacros;
    private final Problems problems;

    private final List<SourceTable> sources = new ArrayList<>();
    private final Map<String, SourcePosition> sourcePositions = new HashMap<>();
    private final Map<String, ModelProperties> models = new TreeMap<>();
    private final List<FunctionDefinition> functions = new ArrayList<>();
    private final List<Exposure> exposures = new ArrayList<>();
    private final Map<String, SourcePosition> functionNames = new HashMap<>();
    private final Set<String> brokenSources = new TreeSet<>();
    private final List<YamlNode> pendingSources = new ArrayList<>();
    private final YamlShape shape;
    private final TestDefinitionParser testParser;
    private FolderConfigs sourceFolders;

    SchemaFileParser(
            ProjectLayout layout,
            String catalog,
            String database,
            YamlValues values,
            Set<String> testMacros,
            Problems problems) {
        this.layout = layout;
        this.catalog = catalog;
        this.database = database;
        this.values = values;
        this.testMacros = testMacros;
        this.problems = problems;
        this.shape = new YamlShape(problems);
        this.testParser = new TestDefinitionParser(values, testMacros, shape, problems);
    }

    /** Parses the files; sources are resolved last, once every source name is known. */
    SchemaDefinitions parse(List<Path> files) {
        for (Path file : files) {
            YamlReader.read(file, layout.display(file), problems).ifPresent(this::file);
        }
        List<List<String>> sourcePaths = new ArrayList<>();
        for (YamlNode source : pendingSources) {
            String name = source.get("name") == null ? null : source.get("name").text();
            YamlNode tables = source.get("tables");
            if (name != null && tables != null && tables.isList()) {
                for (YamlNode table : tables.items()) {
                    if (table.isMap() && table.get("name") != null) {
                        sourcePaths.add(List.of(name, table.get("name").text()));
                    }
                }
            }
        }
        sourceFolders =
                FolderConfigs.read(layout.sourcesConfig(), layout.name(), "sources", sourcePaths, values, problems);
        pendingSources.forEach(this::source);
        return new SchemaDefinitions(
                List.copyOf(sources),
                Map.copyOf(models),
                testParser.dataTests(),
                testParser.unitTests(),
                List.copyOf(functions),
                List.copyOf(exposures),
                Set.copyOf(brokenSources));
    }

    private void file(YamlNode root) {
        if (root.isNull() || (root.isMap() && root.keys().isEmpty())) {
            return;
        }
        if (!root.isMap()) {
            problems.add(
                    root.position(), "A schema file must be a mapping (version: 2, models:, sources:, ...).", null);
            return;
        }
        YamlKeys.SCHEMA_FILE.check(root, problems);
        YamlNode version = root.get("version");
        if (version != null && !"2".equals(version.text())) {
            problems.add(version.position(), "Schema file version must be 2, not " + version.text() + ".", null);
        }
        shape.list(root, "models").forEach(this::model);
        shape.list(root, "sources").forEach(source -> {
            if (shape.expectMap(source, "source")) {
                YamlKeys.SOURCE.check(source, problems);
                pendingSources.add(source);
            }
        });
        shape.list(root, "unit_tests").forEach(testParser::unitTest);
        shape.list(root, "functions").forEach(this::function);
        shape.list(root, "exposures")
                .forEach(exposure ->
                        ExposureParser.parse(exposure, shape, values, problems).ifPresent(exposures::add));
        shape.list(root, "seeds").forEach(seed -> model(seed, "seed", YamlKeys.SEED));
        shape.list(root, "snapshots").forEach(snapshot -> model(snapshot, "snapshot", YamlKeys.SNAPSHOT));
    }

    private void model(YamlNode node) {
        model(node, "model", YamlKeys.MODEL);
    }

    /** A model's or a seed's properties: both are nodes other models ref(). */
    private void model(YamlNode node, String kind, YamlKeys keys) {
        if (!shape.expectMap(node, kind)) {
            return;
        }
        keys.check(node, problems);
        String name = shape.requiredName(node, kind);
        if (name == null) {
            return;
        }
        ModelProperties previous = models.get(name);
        if (previous != null) {
            problems.add(
                    node.position(),
                    "'" + name + "' is described twice (also at " + previous.position() + ").",
                    "Keep one entry for '" + name + "' under models:, seeds: or snapshots:.");
            return;
        }
        Map<String, ConfigValue> config = values.config(node.get("config"));
        List<ColumnDefinition> columns = columns(node.get("columns"), false);
        models.put(
                name,
                new ModelProperties(
                        name,
                        values.string(node.get("description")),
                        config,
                        columns,
                        node.position(),
                        node.get("relation") == null
                                ? null
                                : node.get("relation").text()));
        testParser.tests(node, name, false, null);
        YamlNode columnList = node.get("columns");
        if (columnList != null && columnList.isList()) {
            for (YamlNode column : columnList.items()) {
                if (column.isMap() && column.get("name") != null) {
                    testParser.tests(column, name, false, column.get("name").text());
                }
            }
        }
    }

    private void source(YamlNode node) {
        String sourceName = shape.requiredName(node, "source");
        if (sourceName == null) {
            return;
        }
        Map<String, ConfigValue> sourceConfig = values.config(node.get("config"));
        checkSourceConfig(node.get("config"));
        String sourceCatalog = identifierOr(node.get("database"), catalog);
        String sourceDatabase = identifierOr(node.get("schema"), sourceName);
        for (YamlNode table : shape.list(node, "tables")) {
            if (!shape.expectMap(table, "source table")) {
                continue;
            }
            YamlKeys.SOURCE_TABLE.check(table, problems);
            String tableName = shape.requiredName(table, "source table");
            if (tableName == null) {
                continue;
            }
            String unique = sourceName + "." + tableName;
            SourcePosition previous = sourcePositions.putIfAbsent(unique, table.position());
            if (previous != null) {
                problems.add(
                        table.position(),
                        "Source table '" + unique + "' is declared twice (also at " + previous + ").",
                        null);
                continue;
            }
            int before = problems.size();
            checkSourceConfig(table.get("config"));
            Map<String, ConfigValue> config = ConfigRules.merge(
                    sourceFolders.forPath(List.of(sourceName, tableName)),
                    sourceConfig,
                    values.config(table.get("config")));
            sources.add(sourceTable(sourceName, tableName, table, config, sourceCatalog, sourceDatabase));
            if (problems.size() > before) {
                brokenSources.add(unique);
            }
            testParser.tests(table, unique, true, null);
            YamlNode columnList = table.get("columns");
            if (columnList != null && columnList.isList()) {
                for (YamlNode column : columnList.items()) {
                    if (column.isMap() && column.get("name") != null) {
                        testParser.tests(
                                column, unique, true, column.get("name").text());
                    }
                }
            }
        }
    }

    private void checkSourceConfig(YamlNode config) {
        if (config != null && config.isMap()) {
            YamlKeys.SOURCE_CONFIG.check(config, problems);
            YamlNode watermark = config.get("watermark");
            if (watermark != null && watermark.isMap()) {
                YamlKeys.WATERMARK.check(watermark, problems);
            }
        }
    }

    private SourceTable sourceTable(
            String sourceName,
            String tableName,
            YamlNode table,
            Map<String, ConfigValue> config,
            String sourceCatalog,
            String sourceDatabase) {
        String identifier = identifierOr(table.get("identifier"), tableName);
        Map<String, String> connector = new TreeMap<>();
        Map<String, SourcePosition> optionPositions = new TreeMap<>();
        List<ConfigValue> layers = new ArrayList<>();
        for (String key : List.of("default_connector_properties", "connector_properties")) {
            ConfigValue value = config.get(key);
            if (value == null || value.value() == null) {
                continue;
            }
            if (!(value.value() instanceof Map<?, ?> map)) {
                problems.add(value.position(), key + " must be a mapping of Flink option: value.", null);
                continue;
            }
            map.forEach((k, v) -> {
                if (v instanceof Map || v instanceof List) {
                    problems.add(value.position(), key + "." + k + " must be a single value.", null);
                } else if (v != null) {
                    connector.put(String.valueOf(k), String.valueOf(v));
                    optionPositions.put(String.valueOf(k), value.positionOf(String.valueOf(k)));
                }
            });
            layers.add(value);
        }
        Map<String, String> secrets = Secrets.templates(connector, layers);
        // over a table of the catalog, columns document and test it: their types come from the catalog
        List<ColumnDefinition> columns = columns(table.get("columns"), !connector.isEmpty());
        String display = "source '" + sourceName + "." + tableName + "'";
        if (connector.isEmpty()) {
            for (String key : List.of("watermark", "primary_key")) {
                if (config.get(key) != null && config.get(key).value() != null) {
                    problems.add(
                            config.get(key).position(),
                            display + " reads a table of the catalog as it is, so it cannot declare " + key + ".",
                            "Declare it on the table itself, or give the source connector_properties "
                                    + "(connector: kafka, filesystem, ...) to read the data directly.");
                }
            }
        } else if (!connector.containsKey("connector")) {
            problems.add(
                    config.get("connector_properties") != null
                            ? config.get("connector_properties").position()
                            : table.position(),
                    display + ": connector_properties has no 'connector' option.",
                    "Add connector: <name>, e.g. connector: kafka");
        }
        if (columns.isEmpty() && !connector.isEmpty()) {
            problems.add(
                    table.position(),
                    display + " declares no columns; Flink needs its schema.",
                    "List them under columns: with a data_type each, e.g.\n  - name: id\n    data_type: BIGINT");
        }
        Watermark watermark = connector.isEmpty() ? null : watermark(config.get("watermark"), columns, display);
        List<String> primaryKey = connector.isEmpty() ? List.of() : stringList(config.get("primary_key"));
        for (String key : primaryKey) {
            if (columns.stream().noneMatch(c -> c.name().equals(key))) {
                problems.add(
                        config.get("primary_key").position(),
                        display + ": primary_key column '" + key + "' is not a declared column."
                                + Suggestions.didYouMean(
                                        key,
                                        columns.stream()
                                                .map(ColumnDefinition::name)
                                                .toList()),
                        null);
            }
        }
        String mode = config.get("type") == null
                ? null
                : String.valueOf(config.get("type").value());
        if (mode != null && !mode.equals("streaming") && !mode.equals("batch")) {
            problems.add(config.get("type").position(), display + ": type must be 'streaming' or 'batch'.", null);
        }
        return new SourceTable(
                sourceName,
                tableName,
                new Relation(sourceCatalog, sourceDatabase, identifier),
                values.string(table.get("description")),
                connector,
                secrets,
                Map.copyOf(optionPositions),
                watermark,
                primaryKey,
                columns,
                mode,
                stringList(config.get("tags")),
                table.position(),
                null);
    }

    private Watermark watermark(ConfigValue value, List<ColumnDefinition> columns, String display) {
        if (value == null || value.value() == null) {
            return null;
        }
        if (!(value.value() instanceof Map<?, ?> map) || map.get("column") == null || map.get("strategy") == null) {
            problems.add(
                    value.position(),
                    display + ": watermark needs a column and a strategy.",
                    "watermark:\n  column: event_time\n  strategy: event_time - INTERVAL '5' SECOND");
            return null;
        }
        String column = String.valueOf(map.get("column"));
        if (columns.stream().noneMatch(c -> c.name().equals(column))) {
            problems.add(
                    value.position(),
                    display + ": watermark column '" + column + "' is not a declared column."
                            + Suggestions.didYouMean(
                                    column,
                                    columns.stream().map(ColumnDefinition::name).toList()),
                    null);
        }
        return new Watermark(column, String.valueOf(map.get("strategy")), value.position());
    }

    private List<ColumnDefinition> columns(YamlNode list, boolean source) {
        List<ColumnDefinition> out = new ArrayList<>();
        if (list == null || list.isNull()) {
            return out;
        }
        if (!list.isList()) {
            problems.add(list.position(), "columns must be a list of '- name: ...' entries.", null);
            return out;
        }
        Set<String> seen = new LinkedHashSet<>();
        for (YamlNode column : list.items()) {
            if (!shape.expectMap(column, "column")) {
                continue;
            }
            YamlKeys.COLUMN.check(column, problems);
            String name = shape.requiredName(column, "column");
            if (name == null) {
                continue;
            }
            if (!seen.add(name)) {
                problems.add(column.position(), "Column '" + name + "' is listed twice.", null);
                continue;
            }
            ColumnDefinition.Kind kind = ColumnDefinition.Kind.PHYSICAL;
            YamlNode kindNode = column.get("column_type");
            if (kindNode != null && kindNode.text() != null) {
                kind = ColumnDefinition.Kind.fromConfig(kindNode.text()).orElse(null);
                if (kind == null) {
                    problems.add(
                            kindNode.position(),
                            "column_type must be physical, metadata or computed, not '" + kindNode.text() + "'.",
                            null);
                    kind = ColumnDefinition.Kind.PHYSICAL;
                }
            }
            String dataType = values.string(column.get("data_type"));
            String expression = values.string(column.get("expression"));
            if (source && kind != ColumnDefinition.Kind.COMPUTED && dataType == null) {
                problems.add(
                        column.position(),
                        "Source column '" + name + "' needs a data_type (a Flink SQL type).",
                        "e.g. data_type: BIGINT, STRING, TIMESTAMP(3), DECIMAL(10, 2)");
            }
            if (kind == ColumnDefinition.Kind.COMPUTED && expression == null) {
                problems.add(
                        column.position(),
                        "Computed column '" + name + "' needs an expression.",
                        "e.g. expression: price * quantity");
            }
            out.add(new ColumnDefinition(
                    name, dataType, values.string(column.get("description")), kind, expression, column.position()));
        }
        return out;
    }

    private void function(YamlNode node) {
        if (!shape.expectMap(node, "function")) {
            return;
        }
        YamlKeys.FUNCTION.check(node, problems);
        String name = shape.requiredName(node, "function");
        String className = node.get("class") == null ? null : node.get("class").text();
        if (name == null) {
            return;
        }
        if (className == null) {
            problems.add(node.position(), "Function '" + name + "' needs class: <fully qualified Java class>.", null);
            return;
        }
        SourcePosition previous = functionNames.putIfAbsent(name, node.position());
        if (previous != null) {
            problems.add(
                    node.position(), "Function '" + name + "' is declared twice (also at " + previous + ").", null);
            return;
        }
        functions.add(new FunctionDefinition(name, className, values.string(node.get("description")), node.position()));
    }

    private String identifierOr(YamlNode node, String fallback) {
        if (node == null || node.text() == null) {
            return fallback;
        }
        String value = values.string(node);
        if (value == null || !IDENTIFIER.matcher(value).matches()) {
            problems.add(node.position(), "'" + value + "' must be a plain identifier.", null);
            return fallback;
        }
        return value;
    }

    private static List<String> stringList(ConfigValue value) {
        if (value == null || value.value() == null) {
            return List.of();
        }
        if (value.value() instanceof List<?> list) {
            return list.stream().map(String::valueOf).toList();
        }
        List<String> out = new ArrayList<>();
        for (String part : String.valueOf(value.value()).split(",")) {
            if (!part.isBlank()) {
                out.add(part.trim());
            }
        }
        return out;
    }
}
