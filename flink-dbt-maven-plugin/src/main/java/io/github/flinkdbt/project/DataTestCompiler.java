package io.github.flinkdbt.project;

import io.github.flinkdbt.common.Problem;
import io.github.flinkdbt.common.Problems;
import io.github.flinkdbt.common.SourcePosition;
import io.github.flinkdbt.common.Suggestions;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * Turns each data test into the query dbt would run: its rows are the failures. The built-in tests
 * are written out here (in Flink SQL); custom generic tests render their {@code {% test %}} macro
 * with {@code model} and {@code column_name}, as dbt calls them.
 */
final class DataTestCompiler {

    private static final Pattern RELATION_CALL = Pattern.compile("^\\s*(ref|source)\\(.*\\)\\s*$");

    private final JinjaEnvironment jinja;
    private final ProjectSymbols symbols;
    private final SqlAssembler assembler;
    private final Map<String, Relation> relations;
    private final Map<String, SourceTable> sources;
    private final Problems problems;

    DataTestCompiler(
            JinjaEnvironment jinja,
            ProjectSymbols symbols,
            SqlAssembler assembler,
            Map<String, Relation> relations,
            Map<String, SourceTable> sources,
            Problems problems) {
        this.jinja = jinja;
        this.symbols = symbols;
        this.assembler = assembler;
        this.relations = relations;
        this.sources = sources;
        this.problems = problems;
    }

    List<DataTest> compile(List<DataTest> tests) {
        List<DataTest> compiled = new ArrayList<>();
        for (DataTest test : tests) {
            DataTest withSql = compile(test);
            if (withSql != null) {
                compiled.add(withSql);
            }
        }
        return compiled;
    }

    private DataTest compile(DataTest test) {
        Relation tested = test.onSource()
                ? (sources.get(test.attachedTo()) == null
                        ? null
                        : sources.get(test.attachedTo()).relation())
                : relations.get(test.attachedTo());
        if (tested == null) {
            return test; // reported by the loader's checks
        }
        Set<String> reads = new LinkedHashSet<>();
        if (!test.onSource()) {
            reads.add(test.attachedTo());
        } else if (sources.get(test.attachedTo()).node() != null) {
            reads.add(sources.get(test.attachedTo()).node());
        }
        if (!TestDefinitionParser.BUILT_IN_TESTS.contains(test.testName())) {
            return custom(test, reads);
        }
        String model = test.where() == null
                ? tested.quoted()
                : "(SELECT * FROM " + tested.quoted() + " WHERE " + test.where() + ")";
        String column = test.column() != null
                ? test.column()
                : String.valueOf(test.arguments().get("column_name"));
        String col = Relation.quote(column);
        String sql = switch (test.testName()) {
            case "not_null" -> "SELECT *\nFROM " + model + " AS dbt_model\nWHERE " + col + " IS NULL";
            case "unique" ->
                "SELECT " + col + " AS unique_field, COUNT(*) AS n_records\nFROM " + model + " AS dbt_model\nWHERE "
                        + col + " IS NOT NULL\nGROUP BY " + col + "\nHAVING COUNT(*) > 1";
            case "accepted_values" ->
                "SELECT " + col + " AS value_field, COUNT(*) AS n_records\nFROM " + model + " AS dbt_model\nWHERE "
                        + col + " NOT IN (" + acceptedValues(test) + ")\nGROUP BY " + col;
            case "relationships" -> relationships(test, model, col, reads);
            default -> throw new IllegalStateException(test.testName());
        };
        if (sql == null) {
            return null;
        }
        return test.withSql(generated(test, sql), List.copyOf(reads));
    }

    private String relationships(DataTest test, String model, String col, Set<String> reads) {
        String to = String.valueOf(test.arguments().get("to"));
        Matcher ref = TestDefinitionParser.REF.matcher(to);
        Relation parent = null;
        if (ref.matches()) {
            parent = relations.get(ref.group(1));
            reads.add(ref.group(1));
        } else {
            SourceTable source = sourceCall(to);
            parent = source == null ? null : source.relation();
            if (source != null && source.node() != null) {
                reads.add(source.node());
            }
        }
        if (parent == null) {
            problems.add(
                    test.position(),
                    "relationships: to: " + to + " names no model or source."
                            + (ref.matches() ? Suggestions.didYouMean(ref.group(1), relations.keySet()) : ""),
                    "Write to: ref('model') or to: source('name', 'table').");
            return null;
        }
        String field = Relation.quote(String.valueOf(test.arguments().get("field")));
        return "SELECT child." + col + " AS from_field\nFROM " + model + " AS child\nLEFT JOIN " + parent.quoted()
                + " AS parent ON child." + col + " = parent." + field + "\nWHERE child." + col
                + " IS NOT NULL AND parent." + field + " IS NULL";
    }

    private SourceTable sourceCall(String text) {
        Matcher call = TestDefinitionParser.SOURCE.matcher(text);
        return call.matches() ? sources.get(call.group(1) + "." + call.group(2)) : null;
    }

    private static String acceptedValues(DataTest test) {
        Object values = test.arguments().get("values");
        List<?> list = values instanceof List<?> l ? l : List.of(String.valueOf(values));
        boolean quote = !Boolean.FALSE.equals(test.arguments().get("quote"))
                && !"false".equals(String.valueOf(test.arguments().get("quote")));
        return list.stream()
                .map(v -> quote ? "'" + String.valueOf(v).replace("'", "''") + "'" : String.valueOf(v))
                .collect(Collectors.joining(", "));
    }

    /** A custom generic test: its macro, called with model and column_name as dbt does. */
    private DataTest custom(DataTest test, Set<String> reads) {
        String relationCall = test.onSource()
                ? "source('" + test.attachedTo().replace(".", "', '") + "')"
                : "ref('" + test.attachedTo() + "')";
        String model = test.where() == null
                ? relationCall
                : "('(SELECT * FROM ' ~ " + relationCall + " ~ ' WHERE ' ~ " + literal(test.where()) + " ~ ')')";
        StringBuilder call = new StringBuilder("{{ test_")
                .append(test.testName())
                .append("(model=")
                .append(model);
        if (test.column() != null) {
            call.append(", column_name=").append(literal(test.column()));
        }
        test.arguments()
                .forEach((name, value) ->
                        call.append(", ").append(name).append('=').append(literal(value)));
        call.append(") }}");
        SourceText template = SourceText.of(test.position().file(), call.toString());
        RenderedTemplate rendered = jinja.render(template, symbols, test.attachedTo(), false, state -> null);
        for (Problem problem : rendered.state().problems()) {
            problems.add(
                    test.position(), "Data test '" + test.uniqueName() + "': " + problem.message(), problem.hint());
        }
        if (!rendered.state().problems().isEmpty()) {
            return null;
        }
        reads.addAll(rendered.state().refs());
        SqlText sql = assembler.assemble(rendered);
        return test.withSql(generated(test, sql.text().strip()), List.copyOf(reads));
    }

    /** A Jinja literal of a YAML value; {@code ref(...)}/{@code source(...)} strings stay calls. */
    private static String literal(Object value) {
        if (value == null) {
            return "none";
        }
        if (value instanceof String text) {
            return RELATION_CALL.matcher(text).matches()
                    ? text
                    : "'" + text.replace("\\", "\\\\").replace("'", "\\'") + "'";
        }
        if (value instanceof List<?> list) {
            return list.stream().map(DataTestCompiler::literal).collect(Collectors.joining(", ", "[", "]"));
        }
        if (value instanceof Map<?, ?> map) {
            return map.entrySet().stream()
                    .map(e -> literal(String.valueOf(e.getKey())) + ": " + literal(e.getValue()))
                    .collect(Collectors.joining(", ", "{", "}"));
        }
        return String.valueOf(value);
    }

    /** Generated SQL: every position in it is the test's line in the schema file. */
    private static SqlText generated(DataTest test, String sql) {
        SourcePosition position = test.position();
        String lead = "\n".repeat(Math.max(0, position.line() - 1)) + " ".repeat(Math.max(0, position.column() - 1));
        SourceText at = SourceText.of(position.file(), lead);
        return new SqlText.Builder().appendGenerated(sql, at, lead.length()).build();
    }
}
