package io.github.flinkdbt.project;

import io.github.flinkdbt.common.Problems;
import io.github.flinkdbt.common.SourcePosition;
import io.github.flinkdbt.common.Suggestions;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The tests of schema files: data tests under models, columns and source tables (generic, with
 * dbt's names), and dbt 1.8 {@code unit_tests}.
 */
final class TestDefinitionParser {

    static final Set<String> BUILT_IN_TESTS = Set.of("not_null", "unique", "accepted_values", "relationships");

    static final Pattern REF = Pattern.compile("^\\s*ref\\(\\s*['\"]([^'\"]+)['\"]\\s*\\)\\s*$");
    static final Pattern SOURCE =
            Pattern.compile("^\\s*source\\(\\s*['\"]([^'\"]+)['\"]\\s*,\\s*['\"]([^'\"]+)['\"]\\s*\\)\\s*$");

    private final YamlValues values;
    private final Set<String> testMacros;
    private final YamlShape shape;
    private final Problems problems;
    private final List<DataTest> dataTests = new ArrayList<>();
    private final List<UnitTest> unitTests = new ArrayList<>();
    private final Map<String, SourcePosition> unitTestNames = new HashMap<>();
    private final Set<String> testNames = new LinkedHashSet<>();

    TestDefinitionParser(YamlValues values, Set<String> testMacros, YamlShape shape, Problems problems) {
        this.values = values;
        this.testMacros = testMacros;
        this.shape = shape;
        this.problems = problems;
    }

    List<DataTest> dataTests() {
        return List.copyOf(dataTests);
    }

    List<UnitTest> unitTests() {
        return List.copyOf(unitTests);
    }

    void tests(YamlNode owner, String attachedTo, boolean onSource, String column) {
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
            problems.add(
                    entry.position(),
                    "A data test is a name (- not_null) or a mapping with one test name "
                            + "(- accepted_values: {values: [...]}).",
                    null);
            return null;
        }
        severity = severity == null ? "error" : severity.toLowerCase(Locale.ROOT);
        if (!severity.equals("error") && !severity.equals("warn")) {
            problems.add(entry.position(), "Test severity must be 'warn' or 'error', not '" + severity + "'.", null);
        }
        if (!BUILT_IN_TESTS.contains(testName) && !testMacros.contains("test_" + testName)) {
            Set<String> known = new TreeSet<>(BUILT_IN_TESTS);
            testMacros.stream().filter(m -> m.startsWith("test_")).forEach(m -> known.add(m.substring(5)));
            problems.add(
                    entry.position(),
                    "Unknown data test '" + testName + "'." + Suggestions.didYouMean(testName, known),
                    "Built-in tests: not_null, unique, accepted_values, relationships; define others with " + "{% test "
                            + testName + "(model, column_name) %} in the macro path.");
            return null;
        }
        if (testName.equals("accepted_values") && !arguments.containsKey("values")) {
            problems.add(entry.position(), "accepted_values needs values: [...].", null);
        }
        if (testName.equals("relationships") && (!arguments.containsKey("to") || !arguments.containsKey("field"))) {
            problems.add(entry.position(), "relationships needs to: ref('model') and field: column.", null);
        }
        if ((testName.equals("not_null")
                        || testName.equals("unique")
                        || testName.equals("accepted_values")
                        || testName.equals("relationships"))
                && column == null
                && !arguments.containsKey("column_name")) {
            problems.add(entry.position(), "Test '" + testName + "' checks a column; list it under that column.", null);
        }
        String unique =
                customName != null ? customName : uniqueTestName(testName, attachedTo, onSource, column, arguments);
        return new DataTest(
                testName,
                unique,
                attachedTo,
                onSource,
                column,
                arguments,
                severity,
                where,
                entry.position(),
                null,
                List.of());
    }

    private String uniqueTestName(
            String testName, String attachedTo, boolean onSource, String column, Map<String, Object> arguments) {
        StringBuilder name = new StringBuilder(onSource ? "source_" : "")
                .append(testName)
                .append('_')
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

    void unitTest(YamlNode node) {
        if (!shape.expectMap(node, "unit test")) {
            return;
        }
        YamlKeys.UNIT_TEST.check(node, problems);
        String name = shape.requiredName(node, "unit test");
        String model = node.get("model") == null ? null : node.get("model").text();
        if (model == null) {
            problems.add(node.position(), "Unit test '" + name + "' needs model: <model name>.", null);
        }
        if (name == null || model == null) {
            return;
        }
        SourcePosition previous = unitTestNames.putIfAbsent(name, node.position());
        if (previous != null) {
            problems.add(
                    node.position(), "Unit test '" + name + "' is defined twice (also at " + previous + ").", null);
            return;
        }
        List<UnitTest.Input> given = new ArrayList<>();
        for (YamlNode input : shape.list(node, "given")) {
            if (!shape.expectMap(input, "given input")) {
                continue;
            }
            YamlKeys.UNIT_TEST_GIVEN.check(input, problems);
            String text = input.get("input") == null ? null : input.get("input").text();
            if (text == null) {
                problems.add(
                        input.position(), "A given input needs input: ref('model') or source('name', 'table').", null);
                continue;
            }
            Matcher ref = REF.matcher(text);
            Matcher src = SOURCE.matcher(text);
            String refName = ref.matches() ? ref.group(1) : null;
            String sourceName = src.matches() ? src.group(1) + "." + src.group(2) : null;
            if (refName == null && sourceName == null && !text.strip().equals("this")) {
                problems.add(
                        input.get("input").position(),
                        "input must be ref('model'), source('name', 'table') or this, not '" + text + "'.",
                        null);
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
        if (overridesNode != null && shape.expectMap(overridesNode, "overrides")) {
            YamlKeys.UNIT_TEST_OVERRIDES.check(overridesNode, problems);
            overridesNode.entries().forEach((k, v) -> overrides.put(k, v.toPlain()));
        }
        List<String> tags = new ArrayList<>();
        YamlNode config = node.get("config");
        if (config != null && shape.expectMap(config, "unit test config")) {
            YamlKeys.UNIT_TEST_CONFIG.check(config, problems);
            Object configured =
                    config.get("tags") == null ? null : config.get("tags").toPlain();
            if (configured instanceof List<?> list) {
                list.forEach(tag -> tags.add(String.valueOf(tag)));
            } else if (configured != null) {
                tags.add(String.valueOf(configured));
            }
            if (config.get("enabled") != null
                    && "false".equalsIgnoreCase(config.get("enabled").text())) {
                return;
            }
        }
        unitTests.add(new UnitTest(
                name,
                model,
                values.string(node.get("description")),
                given,
                expect,
                overrides,
                List.copyOf(tags),
                node.position()));
    }
}
