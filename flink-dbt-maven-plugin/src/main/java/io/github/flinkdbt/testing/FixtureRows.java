package io.github.flinkdbt.testing;

import io.github.flinkdbt.common.Problems;
import io.github.flinkdbt.common.SourcePosition;
import io.github.flinkdbt.common.Suggestions;
import io.github.flinkdbt.project.Csv;
import io.github.flinkdbt.project.SourceText;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.flink.table.types.logical.LogicalType;

/**
 * Rows written in a test: dbt's {@code rows} as a list of mappings ({@code format: dict}), as CSV
 * text ({@code format: csv}), as a query ({@code format: sql}, read on the cluster when the test
 * runs), or a {@code fixture} file of either; or a source fixture file. Every column must be one
 * the input (or the model's output) has.
 *
 * @param columns the columns the rows name, in order of first appearance
 * @param query with {@code format: sql}, the query the rows are still to be read from; else null
 */
record FixtureRows(List<Map<String, Object>> rows, Set<String> columns, Query query) {

    static final FixtureRows EMPTY = new FixtureRows(List.of(), Set.of(), null);

    /** A {@code format: sql} fixture: its query, and what its columns are checked against once it ran. */
    record Query(String sql, String what, SourcePosition at, List<String> known, String knownOwner) {}

    /**
     * The rows of a {@code given} entry or of {@code expect}; null with problems recorded.
     *
     * @param what how messages name it, e.g. {@code given source('shop', 'orders')}
     * @param known the columns allowed, or null for any
     */
    static FixtureRows of(
            Map<String, Object> data,
            String what,
            SourcePosition at,
            Path fixturesDir,
            String fixturesDisplay,
            List<String> known,
            String knownOwner,
            Problems problems) {
        String format = data.get("format") == null ? "dict" : String.valueOf(data.get("format"));
        Object rows = data.get("rows");
        Object fixture = data.get("fixture");
        if (!format.equals("dict") && !format.equals("csv") && !format.equals("sql")) {
            problems.add(
                    at,
                    what + ": format '" + format + "' is not supported.",
                    "Write rows as a list of mappings (format: dict, the default), as CSV (format: csv) or as a"
                            + " query (format: sql).");
            return null;
        }
        if (rows != null && fixture != null) {
            problems.add(at, what + " has both rows and fixture.", "Keep one of them.");
            return null;
        }
        FixtureRows result;
        if (fixture != null) {
            String extension = format.equals("sql") ? ".sql" : ".csv";
            Path file = fixturesDir.resolve(fixture + extension);
            String display = fixturesDisplay + "/" + fixture + extension;
            if (!Files.isRegularFile(file)) {
                problems.add(
                        at,
                        what + ": fixture '" + fixture + "' not found.",
                        "Create " + display
                                + (format.equals("sql")
                                        ? " (a query selecting the rows)."
                                        : " (CSV with a header line)."));
                return null;
            }
            if (format.equals("sql")) {
                String sql = read(file, display, problems);
                return sql == null ? null : query(sql, what, at, known, knownOwner);
            }
            result = csv(file, display, problems);
        } else if (rows == null) {
            problems.add(at, what + " needs rows.", "Add rows: [] for no rows, or rows: [{column: value}, ...].");
            return null;
        } else if (format.equals("sql")) {
            if (!(rows instanceof String sql)) {
                problems.add(
                        at,
                        what + ": with format: sql, rows is a query.",
                        "Write rows: |\n  select 1 as id, 'a' as name\n  union all select 2, 'b'");
                return null;
            }
            return query(sql, what, at, known, knownOwner);
        } else if (format.equals("csv")) {
            if (!(rows instanceof String text)) {
                problems.add(
                        at,
                        what + ": with format: csv, rows is CSV text.",
                        "Write rows: |\n  column_a,column_b\n  1,x");
                return null;
            }
            // positions of the inline CSV: the lines after the entry's own line
            String lead = "\n".repeat(Math.max(0, at.line()));
            result = csv(SourceText.of(at.file(), lead + text), lead.length(), problems);
        } else {
            result = dict(rows, what, at, problems);
        }
        return result == null ? null : result.checked(what, at, known, knownOwner, problems);
    }

    private static FixtureRows query(
            String sql, String what, SourcePosition at, List<String> known, String knownOwner) {
        return new FixtureRows(List.of(), Set.of(), new Query(sql.strip(), what, at, known, knownOwner));
    }

    /**
     * These rows, with a {@code format: sql} query's rows read from it on the session's cluster;
     * throws {@code IllegalStateException} when they name a column the input does not have.
     */
    FixtureRows resolved(TestSession session) {
        if (query == null) {
            return this;
        }
        TestSession.QueryResult result = session.query(session.batch(), query.sql(), "flink-dbt:fixture");
        List<Map<String, Object>> read = new ArrayList<>();
        for (List<Object> values : result.rows()) {
            Map<String, Object> row = new LinkedHashMap<>();
            for (int i = 0; i < values.size(); i++) {
                row.put(
                        result.columns().get(i),
                        value(values.get(i), result.types().get(i)));
            }
            read.add(row);
        }
        Problems problems = new Problems();
        FixtureRows checked = new FixtureRows(read, new LinkedHashSet<>(result.columns()), null)
                .checked(query.what(), query.at(), query.known(), query.knownOwner(), problems);
        if (checked == null) {
            throw new IllegalStateException(problems.sorted().get(0).message());
        }
        return checked;
    }

    /** A value a query read, as a given row holds it: times in SQL form, numbers exact. */
    private static Object value(Object value, LogicalType type) {
        if (value == null || value instanceof Number || value instanceof Boolean || value instanceof String) {
            return value;
        }
        return RowComparison.canonical(value, type);
    }

    /** These rows if every column is one of {@code known} (matched case-insensitively, as dbt does); else null. */
    private FixtureRows checked(
            String what, SourcePosition at, List<String> known, String knownOwner, Problems problems) {
        FixtureRows result = this;
        if (known != null) {
            Map<String, String> spelled = new LinkedHashMap<>();
            for (String column : result.columns()) {
                // compared case-insensitively, as dbt does: the input's own spelling when it differs
                String match = known.contains(column)
                        ? column
                        : known.stream()
                                .filter(name -> name.equalsIgnoreCase(column))
                                .findFirst()
                                .orElse(null);
                if (match == null) {
                    problems.add(
                            at,
                            what + " names column '" + column + "', which " + knownOwner + " does not have."
                                    + Suggestions.didYouMean(column, known),
                            "Its columns: " + String.join(", ", known));
                    return null;
                }
                spelled.put(column, match);
            }
            return result.spelled(spelled);
        }
        return result;
    }

    /** These rows with their columns named as {@code spelled} maps them. */
    private FixtureRows spelled(Map<String, String> spelled) {
        List<Map<String, Object>> renamed = new ArrayList<>();
        for (Map<String, Object> row : rows) {
            Map<String, Object> named = new LinkedHashMap<>();
            row.forEach((column, value) -> named.put(spelled.getOrDefault(column, column), value));
            renamed.add(named);
        }
        Set<String> names = new LinkedHashSet<>();
        columns.forEach(column -> names.add(spelled.getOrDefault(column, column)));
        return new FixtureRows(renamed, names, null);
    }

    /** A source fixture file ({@code sources/<source>/<table>.csv}). */
    static FixtureRows csv(Path file, String display, Problems problems) {
        String text = read(file, display, problems);
        return text == null ? null : csv(SourceText.of(display, text), 0, problems);
    }

    private static String read(Path file, String display, Problems problems) {
        try {
            return Files.readString(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            problems.add(SourcePosition.of(display), "Cannot read fixture " + display + ": " + e.getMessage(), null);
            return null;
        }
    }

    private static FixtureRows csv(SourceText text, int skip, Problems problems) {
        List<Csv.Row> lines = Csv.parse(text, ',', problems);
        if (lines == null) {
            return null;
        }
        if (lines.isEmpty()) {
            problems.add(text.position(skip), "The CSV has no header line.", "Start it with the column names: a,b,c");
            return null;
        }
        List<String> header = lines.get(0).cells();
        List<Map<String, Object>> rows = new ArrayList<>();
        for (Csv.Row line : lines.subList(1, lines.size())) {
            if (line.cells().size() != header.size()) {
                problems.add(
                        line.position(),
                        "This CSV row has " + line.cells().size() + " values; the header has " + header.size()
                                + " columns (" + String.join(", ", header) + ").",
                        "Give every row one value per column; leave a value empty for NULL.");
                return null;
            }
            Map<String, Object> row = new LinkedHashMap<>();
            for (int i = 0; i < header.size(); i++) {
                String cell = line.cells().get(i);
                row.put(header.get(i), cell.isEmpty() ? null : cell);
            }
            rows.add(row);
        }
        return new FixtureRows(rows, new LinkedHashSet<>(header), null);
    }

    private static FixtureRows dict(Object rows, String what, SourcePosition at, Problems problems) {
        if (!(rows instanceof List<?> list)) {
            problems.add(at, what + ": rows must be a list of mappings.", "e.g. rows:\n  - {id: 1, name: a}");
            return null;
        }
        List<Map<String, Object>> result = new ArrayList<>();
        Set<String> columns = new LinkedHashSet<>();
        for (Object item : list) {
            if (!(item instanceof Map<?, ?> map)) {
                problems.add(
                        at,
                        what + ": row '" + item + "' is not a mapping of column: value.",
                        "e.g. - {id: 1, name: a}");
                return null;
            }
            Map<String, Object> row = new LinkedHashMap<>();
            map.forEach((k, v) -> row.put(String.valueOf(k), v));
            columns.addAll(row.keySet());
            result.add(row);
        }
        return new FixtureRows(result, columns, null);
    }
}
