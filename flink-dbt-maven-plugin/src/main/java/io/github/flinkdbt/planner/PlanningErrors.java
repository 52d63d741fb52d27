package io.github.flinkdbt.planner;

import io.github.flinkdbt.common.Problem;
import io.github.flinkdbt.common.SourcePosition;
import io.github.flinkdbt.common.Suggestions;
import io.github.flinkdbt.project.FunctionDefinition;
import io.github.flinkdbt.project.SqlText;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.calcite.runtime.CalciteContextException;
import org.apache.calcite.sql.parser.SqlParseException;

/**
 * Turns the planner's exceptions into problems at the model's file and line, with a hint. The
 * planner reports positions in the rendered SQL; {@link SqlText} maps them back through Jinja.
 */
final class PlanningErrors {

    static final String CONNECTOR_HINT = "Add the connector to the project's <dependencies> (e.g. "
            + "org.apache.flink:flink-connector-kafka:5.0.0-2.1 for kafka). Built in: datagen, filesystem, iceberg, "
            + "print, blackhole.";

    private static final Pattern POSITION = Pattern.compile("line (\\d+), column (\\d+)");
    private static final Pattern POSITION_PREFIX = Pattern.compile(
            "^(SQL (validation|parse) failed\\.\\s*)?(From line \\d+, column \\d+ to line \\d+, column \\d+: |At line \\d+, column \\d+: )?");
    private static final Pattern COLUMN_NOT_FOUND =
            Pattern.compile("Column '([^']+)' not found in (any table|table '([^']+)')");
    private static final Pattern OBJECT_NOT_FOUND = Pattern.compile("Object '([^']+)' not found");
    private static final Pattern NO_FUNCTION = Pattern.compile("No match found for function signature ([^(]+)\\(");
    private static final Pattern ENCOUNTERED =
            Pattern.compile("^Encountered \"(.*?)\"( at line \\d+, column \\d+)?\\.?$", Pattern.DOTALL);
    private static final Set<String> STRUCTURAL = Set.of(
            "select",
            "from",
            "where",
            "group",
            "by",
            "order",
            "having",
            "as",
            "on",
            "and",
            "or",
            "not",
            "join",
            "left",
            "right",
            "inner",
            "outer",
            "full",
            "union",
            "all",
            "with",
            "case",
            "when",
            "then",
            "else",
            "end",
            "in",
            "is",
            "null",
            "between",
            "like",
            "distinct",
            "over",
            "partition",
            "limit",
            "cross",
            "lateral",
            "table",
            "interval");
    private static final Pattern EXPECTING = Pattern.compile("(?s)\\s*Was expecting( one of)?:.*");

    private PlanningErrors() {}

    /**
     * What the model's query can read, for hints: {@code ref('x')} / {@code source('s', 't')} to
     * their column names; and the project's models and functions.
     */
    record Context(
            Map<String, List<String>> inputs, Collection<String> modelNames, List<FunctionDefinition> functions) {

        /** The same, with one more input (e.g. {@code {{ this }}} in an incremental branch). */
        Context with(String input, List<String> columns) {
            Map<String, List<String>> more = new LinkedHashMap<>(inputs);
            more.put(input, columns);
            return new Context(more, modelNames, functions);
        }
    }

    static Problem translate(Throwable error, SqlText sql, SourcePosition fallback, Context context) {
        SourcePosition at = position(error, sql);
        if (at == null) {
            at = fallback;
        }
        String message = message(error);
        String hint = null;
        Matcher column = COLUMN_NOT_FOUND.matcher(message);
        Matcher object = OBJECT_NOT_FOUND.matcher(message);
        Matcher function = NO_FUNCTION.matcher(message);
        Matcher encountered = ENCOUNTERED.matcher(message);
        Matcher factory = Pattern.compile("Could not find any factory for identifier '([^']+)'")
                .matcher(chain(error));
        if (factory.find()) {
            message = "No connector '" + factory.group(1) + "' on the classpath.";
            hint = CONNECTOR_HINT;
        } else if (encountered.find()) {
            String token = encountered.group(1).strip();
            if (token.equals("<EOF>")) {
                message = "SQL syntax error: the query ends too early.";
            } else {
                message = "SQL syntax error at \"" + token + "\".";
                if (token.matches("[A-Za-z_][A-Za-z0-9_]*") && !STRUCTURAL.contains(token.toLowerCase(Locale.ROOT))) {
                    hint = "If '" + token + "' is meant as a name, it is a reserved word in Flink SQL: quote it as `"
                            + token + "`.";
                }
            }
        } else if (column.find()) {
            String name = column.group(1);
            List<String> all = new ArrayList<>();
            StringBuilder available = new StringBuilder();
            context.inputs().forEach((input, columns) -> {
                all.addAll(columns);
                available
                        .append(available.length() == 0 ? "" : "\n")
                        .append(input)
                        .append(": ")
                        .append(String.join(", ", columns));
            });
            message = "Column '" + name + "' not found"
                    + (context.inputs().size() == 1
                            ? " in " + context.inputs().keySet().iterator().next()
                            : "") + "." + Suggestions.didYouMean(name, all);
            hint = available.length() == 0
                    ? null
                    : "(columns of " + available.toString().replace("\n", ";\n ") + ")";
        } else if (object.find()) {
            String name = object.group(1);
            if (context.modelNames().contains(name)) {
                message = "Table '" + name + "' is not known; '" + name + "' is a model.";
                hint = "Read it with {{ ref('" + name + "') }}.";
            } else {
                message = "Table '" + name + "' is not known." + Suggestions.didYouMean(name, context.modelNames());
                hint = "Read models with {{ ref('model') }} and sources with {{ source('source', 'table') }}; "
                        + "flink-dbt resolves them to their catalog tables.";
            }
        } else if (function.find()) {
            String name = function.group(1).trim();
            message = message.replaceFirst("^No match found for function signature", "No function matches");
            List<String> names =
                    context.functions().stream().map(FunctionDefinition::name).toList();
            hint = names.isEmpty()
                    ? "To call a Java UDF of this project, declare it in a schema file:\n  functions:\n    - name: "
                            + name + "\n      class: com.example." + className(name)
                    : "Project functions: " + String.join(", ", new TreeSet<>(names))
                            + Suggestions.didYouMean(name, names);
        }
        return Problem.at(at, message, hint);
    }

    private static String chain(Throwable error) {
        StringBuilder all = new StringBuilder();
        for (Throwable t = error; t != null; t = t.getCause()) {
            all.append(t.getMessage()).append('\n');
        }
        return all.toString();
    }

    static boolean anyCauseContains(Throwable error, String text) {
        for (Throwable t = error; t != null; t = t.getCause()) {
            if (String.valueOf(t.getMessage()).contains(text)) {
                return true;
            }
        }
        return false;
    }

    /** {@code to_cents} → {@code ToCents}. */
    private static String className(String function) {
        StringBuilder name = new StringBuilder();
        for (String part : function.split("_")) {
            if (!part.isEmpty()) {
                name.append(Character.toUpperCase(part.charAt(0))).append(part.substring(1));
            }
        }
        return name.toString();
    }

    /** The problem's position in the original files, if the planner gave one. */
    static SourcePosition position(Throwable error, SqlText sql) {
        for (Throwable t = error; t != null; t = t.getCause()) {
            if (t instanceof CalciteContextException context && context.getPosLine() > 0) {
                return sql.positionAt(context.getPosLine(), context.getPosColumn());
            }
            if (t instanceof SqlParseException parse
                    && parse.getPos() != null
                    && parse.getPos().getLineNum() > 0) {
                return sql.positionAt(
                        parse.getPos().getLineNum(), parse.getPos().getColumnNum());
            }
        }
        for (Throwable t = error; t != null; t = t.getCause()) {
            Matcher m = POSITION.matcher(String.valueOf(t.getMessage()));
            if (m.find()) {
                return sql.positionAt(Integer.parseInt(m.group(1)), Integer.parseInt(m.group(2)));
            }
        }
        return null;
    }

    /** The most specific message of the chain, without Flink's position prefix and long lists. */
    static String message(Throwable error) {
        String best = null;
        for (Throwable t = error; t != null; t = t.getCause()) {
            if (t instanceof CalciteContextException) {
                best = t.getCause() != null && t.getCause().getMessage() != null
                        ? t.getCause().getMessage()
                        : t.getMessage();
                break;
            }
            if (t.getMessage() != null && !t.getMessage().isBlank()) {
                best = best == null ? t.getMessage() : best;
            }
        }
        if (best == null) {
            best = error.getClass().getSimpleName();
        }
        String cleaned = POSITION_PREFIX.matcher(best.strip()).replaceFirst("");
        cleaned = EXPECTING.matcher(cleaned).replaceFirst("");
        cleaned = cleaned.replaceAll("\\s+at line \\d+, column \\d+", "");
        String[] lines = cleaned.strip().split("\n");
        return lines.length > 6 ? String.join("\n", List.of(lines).subList(0, 6)) + "\n..." : cleaned.strip();
    }
}
