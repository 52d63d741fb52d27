package io.github.flinkdbt.project;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads dbt schema files (version 2): sources (with dbt-flink-adapter's connector keys), model
 * properties, data tests, unit tests, and the project's Java functions. Every mistake is a
 * problem at its line; parsing continues so all of them are reported.
 */
final class SchemaFileParser {

    static final Set<String> BUILT_IN_TESTS = Set.of("not_null", "unique", "accepted_values", "relationships");

    private static final Pattern REF = Pattern.compile("^\\s*ref\\(\\s*['\"]([^'\"]+)['\"]\\s*\\)\\s*$");
    private static final Pattern SOURCE =
            Pattern.compile("^\\s*source\\(\\s*['\"]([^'\"]+)['\"]\\s*,\\s*['\"]([^'\"]+)['\"]\\s*\\)\\s*$");
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
    private final List<DataTest> dataTests = new ArrayList<>();
    private final List<UnitTest> unitTests = new ArrayList<>();
    private final List<FunctionDefinition> functions = new ArrayList<>();
    private final Map<String, SourcePosition> unitTestNames = new HashMap<>();
    private final Map<String, SourcePosition> functionNames = new HashMap<>();
    private final Set<String> testNames = new LinkedHashSet<>();
    private final Set<String> brokenSources = new TreeSet<>();
    private final List<YamlNode> pendingSources = new ArrayList<>();
    private FolderConfigs sourceFolders;

    SchemaFileParser(
            ProjectLayout layout, String catalog, String database, YamlValues values, Set<String> testMacros,
            Problems problems) {
        this.layout = layout;
        this.catalog = catalog;
        this.database = database;
        this.values = values;
        this.testMacros = testMacros;
        this.problems = problems;
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
        sourceFolders = FolderConfigs.read(layout.sourcesConfig(), layout.name(), "sources", sourcePaths, values, problems);
        pendingSources.forEach(this::source);
        return new SchemaDefinitions(List.copyOf(sources), Map.copyOf(models), List.copyOf(dataTests),
                List.copyOf(unitTests), List.copyOf(functions), Set.copyOf(brokenSources));
    }

    private void file(YamlNode root) {
        if (root.isNull() || (root.isMap() && root.keys().isEmpty())) {
            return;
        }
        if (!root.isMap()) {
            problems.add(root.position(), "A schema file must be a mapping (version: 2, models:, sources:, ...).", null);
            return;
        }
        YamlKeys.SCHEMA_FILE.check(root, problems);
        YamlNode version = root.get("version");
        if (version != null && !"2".equals(version.text())) {
            problems.add(version.position(), "Schema file version must be 2, not " + version.text() + ".", null);
        }
        list(root, "models").forEach(this::model);
        list(root, "sources").forEach(source -> {
            if (expectMap(source, "source")) {
                YamlKeys.SOURCE.check(source, problems);
                pendingSources.add(source);
            }
        });
        list(root, "unit_tests").forEach(this::unitTest);
        list(root, "functions").forEach(this::function);
        list(root, "seeds").forEach(seed -> {
            if (expectMap(seed, "seed")) {
                YamlKeys.SEED.check(seed, problems);
            }
        });
    }

    private void model(YamlNode node) {
        if (!expectMap(node, "model")) {
            return;
        }
        YamlKeys.MODEL.check(node, problems);
        String name = requiredName(node, "model");
        if (name == null) {
            return;
        }
        ModelProperties previous = models.get(name);
        if (previous != null) {
            problems.add(node.position(), "Model '" + name + "' is described twice (also at " + previous.position() + ").",
                    "Keep one entry for '" + name + "' under models:.");
            return;
        }
        Map<String, ConfigValue> config = values.config(node.get("config"));
        List<ColumnDefinition> columns = columns(node.get("columns"), false);
        models.put(name, new ModelProperties(name, values.string(node.get("description")), config, columns, node.position()));
        tests(node, name, false, null);
        YamlNode columnList = node.get("columns");
        if (columnList != null && columnList.isList()) {
            for (YamlNode column : columnList.items()) {
                if (column.isMap() && column.get("name") != null) {
                    tests(column, name, false, column.get("name").text());
                }
            }
        }
    }

    private void source(YamlNode node) {
        String sourceName = requiredName(node, "source");
        if (sourceName == null) {
            return;
        }
        Map<String, ConfigValue> sourceConfig = values.config(node.get("config"));
        checkSourceConfig(node.get("config"));
        String sourceCatalog = identifierOr(node.get("database"), catalog);
        String sourceDatabase = identifierOr(node.get("schema"), sourceName);
        for (YamlNode table : list(node, "tables")) {
            if (!expectMap(table, "source table")) {
                continue;
            }
            YamlKeys.SOURCE_TABLE.check(table, problems);
            String tableName = requiredName(table, "source table");
            if (tableName == null) {
                continue;
            }
            String unique = sourceName + "." + tableName;
            SourcePosition previous = sourcePositions.putIfAbsent(unique, table.position());
            if (previous != null) {
                problems.add(table.position(), "Source table '" + unique + "' is declared twice (also at " + previous + ").",
                        null);
                continue;
            }
            int before = problems.size();
            checkSourceConfig(table.get("config"));
            Map<String, ConfigValue> config = ConfigRules.merge(sourceFolders.forPath(List.of(sourceName, tableName)),
                    sourceConfig, values.config(table.get("config")));
            sources.add(sourceTable(sourceName, tableName, table, config, sourceCatalog, sourceDatabase));
            if (problems.size() > before) {
                brokenSources.add(unique);
            }
            tests(table, unique, true, null);
            YamlNode columnList = table.get("columns");
            if (columnList != null && columnList.isList()) {
                for (YamlNode column : columnList.items()) {
                    if (column.isMap() && column.get("name") != null) {
                        tests(column, unique, true, column.get("name").text());
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
            String sourceName, String tableName, YamlNode table, Map<String, ConfigValue> config, String sourceCatalog,
            String sourceDatabase) {
        String identifier = identifierOr(table.get("identifier"), tableName);
        Map<String, String> connector = new TreeMap<>();
        Set<String> secrets = new TreeSet<>();
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
                }
            });
            secrets.addAll(value.secretKeys());
        }
        connector.keySet().stream().filter(Secrets::isSecretKey).forEach(secrets::add);
        List<ColumnDefinition> columns = columns(table.get("columns"), true);
        String display = "source '" + sourceName + "." + tableName + "'";
        if (connector.isEmpty()) {
            problems.add(table.position(), display + " has no connector properties, so Flink cannot read it.",
                    "Add under the table:\n  config:\n    connector_properties:\n      connector: kafka   # or "
                            + "datagen, filesystem, ...\n      ...");
        } else if (!connector.containsKey("connector")) {
            problems.add(config.get("connector_properties") != null ? config.get("connector_properties").position()
                    : table.position(), display + ": connector_properties has no 'connector' option.",
                    "Add connector: <name>, e.g. connector: kafka");
        }
        if (columns.isEmpty()) {
            problems.add(table.position(), display + " declares no columns; Flink needs its schema.",
                    "List them under columns: with a data_type each, e.g.\n  - name: id\n    data_type: BIGINT");
        }
        Watermark watermark = watermark(config.get("watermark"), columns, display);
        List<String> primaryKey = stringList(config.get("primary_key"));
        for (String key : primaryKey) {
            if (columns.stream().noneMatch(c -> c.name().equals(key))) {
                problems.add(config.get("primary_key").position(), display + ": primary_key column '" + key
                        + "' is not a declared column." + Suggestions.didYouMean(key, columns.stream().map(ColumnDefinition::name).toList()),
                        null);
            }
        }
        String mode = config.get("type") == null ? null : String.valueOf(config.get("type").value());
        if (mode != null && !mode.equals("streaming") && !mode.equals("batch")) {
            problems.add(config.get("type").position(), display + ": type must be 'streaming' or 'batch'.", null);
        }
        return new SourceTable(sourceName, tableName, new Relation(sourceCatalog, sourceDatabase, identifier),
                values.string(table.get("description")), connector, Set.copyOf(secrets), watermark, primaryKey, columns,
                mode, stringList(config.get("tags")), table.position());
    }

    private Watermark watermark(ConfigValue value, List<ColumnDefinition> columns, String display) {
        if (value == null || value.value() == null) {
            return null;
        }
        if (!(value.value() instanceof Map<?, ?> map) || map.get("column") == null || map.get("strategy") == null) {
            problems.add(value.position(), display + ": watermark needs a column and a strategy.",
                    "watermark:\n  column: event_time\n  strategy: event_time - INTERVAL '5' SECOND");
            return null;
        }
        String column = String.valueOf(map.get("column"));
        if (columns.stream().noneMatch(c -> c.name().equals(column))) {
            problems.add(value.position(), display + ": watermark column '" + column + "' is not a declared column."
                    + Suggestions.didYouMean(column, columns.stream().map(ColumnDefinition::name).toList()), null);
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
            if (!expectMap(column, "column")) {
                continue;
            }
            YamlKeys.COLUMN.check(column, problems);
            String name = requiredName(column, "column");
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
                    problems.add(kindNode.position(), "column_type must be physical, metadata or computed, not '"
                            + kindNode.text() + "'.", null);
                    kind = ColumnDefinition.Kind.PHYSICAL;
                }
            }
            String dataType = values.string(column.get("data_type"));
            String expression = values.string(column.get("expression"));
            if (source && kind != ColumnDefinition.Kind.COMPUTED && dataType == null) {
                problems.add(column.position(), "Source column '" + name + "' needs a data_type (a Flink SQL type).",
                        "e.g. data_type: BIGINT, STRING, TIMESTAMP(3), DECIMAL(10, 2)");
            }
            if (kind == ColumnDefinition.Kind.COMPUTED && expression == null) {
                problems.add(column.position(), "Computed column '" + name + "' needs an expression.",
                        "e.g. expression: price * quantity");
            }
            out.add(new ColumnDefinition(name, dataType, values.string(column.get("description")), kind, expression,
                    column.position()));
        }
        return out;
    }

    private void tests(YamlNode owner, String attachedTo, boolean onSource, String column) {
        for (String key : List.of("data_tests", "tests")) {
            YamlNode list = owner.get(key);
            if (list == null || list.isNull()) {
                continue;
            }
            if (!list.isList()) {
                problems.add(list.position(), key + " must be a list of tests.", null);
                continue;
            }
            for (YamlNode entry : list.items()) {
                DataTest test = dataTest(entry, attachedTo, onSource, column);
                if (test != null) {
                    dataTests.add(test);
                }
            }
        }
    }

    private DataTest dataTest(YamlNode entry, String attachedTo, boolean onSource, String column) {
        String testName;
        Map<String, Object> arguments = new TreeMap<>();
        String customName = null;
        String severity = "error";
        String where = null;
        if (entry.isScalar() && entry.text() != null) {
            testName = entry.text();
        } else if (entry.isMap() && entry.keys().size() == 1) {
            testName = entry.keys().iterator().next();
            YamlNode body = entry.get(testName);
            if (body != null && body.isMap()) {
                for (Map.Entry<String, YamlNode> argument : body.entries().entrySet()) {
                    String key = argument.getKey();
                    YamlNode value = argument.getValue();
                    switch (key) {
                        case "name" -> customName = value.text();
                        case "arguments" -> {
                            if (value.isMap()) {
                                value.entries().forEach((k, v) -> arguments.put(k, v.toPlain()));
                            }
                        }
                        case "config" -> {
                            if (value.isMap()) {
                                if (value.get("severity") != null) {
                                    severity = value.get("severity").text();
                                }
                                if (value.get("where") != null) {
                                    where = value.get("where").text();
                                }
                            }
                        }
                        case "severity" -> severity = value.text();
                        case "where" -> where = value.text();
                        default -> {
                            if (!YamlKeys.TEST_SPECIAL.contains(key)) {
                                arguments.put(key, value.toPlain());
                            }
                        }
                    }
                }
            } else if (body != null && !body.isNull()) {
                problems.add(body.position(), "Arguments of test '" + testName + "' must be a mapping.", null);
                return null;
            }
        } else {
            problems.add(entry.position(), "A data test is a name (- not_null) or a mapping with one test name "
                    + "(- accepted_values: {values: [...]}).", null);
            return null;
        }
        severity = severity == null ? "error" : severity.toLowerCase(java.util.Locale.ROOT);
        if (!severity.equals("error") && !severity.equals("warn")) {
            problems.add(entry.position(), "Test severity must be 'warn' or 'error', not '" + severity + "'.", null);
        }
        if (!BUILT_IN_TESTS.contains(testName) && !testMacros.contains("test_" + testName)) {
            Set<String> known = new TreeSet<>(BUILT_IN_TESTS);
            testMacros.stream().filter(m -> m.startsWith("test_")).forEach(m -> known.add(m.substring(5)));
            problems.add(entry.position(), "Unknown data test '" + testName + "'." + Suggestions.didYouMean(testName, known),
                    "Built-in tests: not_null, unique, accepted_values, relationships; define others with "
                            + "{% test " + testName + "(model, column_name) %} in the macro path.");
            return null;
        }
        if (testName.equals("accepted_values") && !arguments.containsKey("values")) {
            problems.add(entry.position(), "accepted_values needs values: [...].", null);
        }
        if (testName.equals("relationships") && (!arguments.containsKey("to") || !arguments.containsKey("field"))) {
            problems.add(entry.position(), "relationships needs to: ref('model') and field: column.", null);
        }
        if ((testName.equals("not_null") || testName.equals("unique") || testName.equals("accepted_values")
                || testName.equals("relationships")) && column == null && !arguments.containsKey("column_name")) {
            problems.add(entry.position(), "Test '" + testName + "' checks a column; list it under that column.", null);
        }
        String unique = customName != null ? customName : uniqueTestName(testName, attachedTo, onSource, column, arguments);
        return new DataTest(testName, unique, attachedTo, onSource, column, arguments, severity, where, entry.position());
    }

    private String uniqueTestName(
            String testName, String attachedTo, boolean onSource, String column, Map<String, Object> arguments) {
        StringBuilder name = new StringBuilder(onSource ? "source_" : "").append(testName).append('_')
                .append(attachedTo.replace('.', '_'));
        if (column != null) {
            name.append('_').append(column);
        }
        for (Object value : arguments.values()) {
            List<?> parts = value instanceof List<?> list ? list : List.of(String.valueOf(value));
            for (Object part : parts) {
                name.append("__").append(String.valueOf(part).replaceAll("[^A-Za-z0-9_]+", "_"));
            }
        }
        String base = name.toString().replaceAll("_+$", "");
        if (base.length() > 120) {
            base = base.substring(0, 100) + "_" + SourceText.sha256(base).substring(0, 12);
        }
        String candidate = base;
        for (int n = 2; !testNames.add(candidate); n++) {
            candidate = base + "_" + n;
        }
        return candidate;
    }

    private void unitTest(YamlNode node) {
        if (!expectMap(node, "unit test")) {
            return;
        }
        YamlKeys.UNIT_TEST.check(node, problems);
        String name = requiredName(node, "unit test");
        String model = node.get("model") == null ? null : node.get("model").text();
        if (model == null) {
            problems.add(node.position(), "Unit test '" + name + "' needs model: <model name>.", null);
        }
        if (name == null || model == null) {
            return;
        }
        SourcePosition previous = unitTestNames.putIfAbsent(name, node.position());
        if (previous != null) {
            problems.add(node.position(), "Unit test '" + name + "' is defined twice (also at " + previous + ").", null);
            return;
        }
        List<UnitTest.Input> given = new ArrayList<>();
        for (YamlNode input : list(node, "given")) {
            if (!expectMap(input, "given input")) {
                continue;
            }
            YamlKeys.UNIT_TEST_GIVEN.check(input, problems);
            String text = input.get("input") == null ? null : input.get("input").text();
            if (text == null) {
                problems.add(input.position(), "A given input needs input: ref('model') or source('name', 'table').", null);
                continue;
            }
            Matcher ref = REF.matcher(text);
            Matcher src = SOURCE.matcher(text);
            String refName = ref.matches() ? ref.group(1) : null;
            String sourceName = src.matches() ? src.group(1) + "." + src.group(2) : null;
            if (refName == null && sourceName == null) {
                problems.add(input.get("input").position(), "input must be ref('model') or source('name', 'table'), not '"
                        + text + "'.", null);
                continue;
            }
            Map<String, Object> data = new LinkedHashMap<>();
            input.entries().forEach((k, v) -> {
                if (!k.equals("input")) {
                    data.put(k, v.toPlain());
                }
            });
            given.add(new UnitTest.Input(text, refName, sourceName, data, input.position()));
        }
        Map<String, Object> expect = new LinkedHashMap<>();
        YamlNode expectNode = node.get("expect");
        if (expectNode == null || !expectNode.isMap()) {
            problems.add(node.position(), "Unit test '" + name + "' needs expect: with rows.", null);
        } else {
            YamlKeys.UNIT_TEST_EXPECT.check(expectNode, problems);
            expectNode.entries().forEach((k, v) -> expect.put(k, v.toPlain()));
        }
        Map<String, Object> overrides = new LinkedHashMap<>();
        YamlNode overridesNode = node.get("overrides");
        if (overridesNode != null && overridesNode.isMap()) {
            overridesNode.entries().forEach((k, v) -> overrides.put(k, v.toPlain()));
        }
        unitTests.add(new UnitTest(name, model, values.string(node.get("description")), given, expect, overrides,
                node.position()));
    }

    private void function(YamlNode node) {
        if (!expectMap(node, "function")) {
            return;
        }
        YamlKeys.FUNCTION.check(node, problems);
        String name = requiredName(node, "function");
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
            problems.add(node.position(), "Function '" + name + "' is declared twice (also at " + previous + ").", null);
            return;
        }
        functions.add(new FunctionDefinition(name, className, values.string(node.get("description")), node.position()));
    }

    private List<YamlNode> list(YamlNode map, String key) {
        YamlNode node = map.get(key);
        if (node == null || node.isNull()) {
            return List.of();
        }
        if (!node.isList()) {
            problems.add(node.position(), key + " must be a list ('- name: ...' entries), found " + node.describeKind() + ".",
                    null);
            return List.of();
        }
        return node.items();
    }

    private boolean expectMap(YamlNode node, String what) {
        if (node.isMap()) {
            return true;
        }
        problems.add(node.position(), "Each " + what + " must be a mapping with a name, found " + node.describeKind() + ".",
                null);
        return false;
    }

    private String requiredName(YamlNode node, String what) {
        YamlNode name = node.get("name");
        if (name == null || name.text() == null) {
            problems.add(node.position(), "This " + what + " has no name.", "Add name: <" + what.replace(' ', '_') + "_name>");
            return null;
        }
        return name.text();
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
