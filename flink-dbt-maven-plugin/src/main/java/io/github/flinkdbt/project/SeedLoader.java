package io.github.flinkdbt.project;

import io.github.flinkdbt.common.Problems;
import io.github.flinkdbt.common.Suggestions;
import io.github.flinkdbt.project.Csv.Row;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Pattern;

/**
 * Turns a seed CSV ({@code src/main/seeds/*.csv}) into a model: its rows become a
 * {@code VALUES} query with one typed column per CSV column, planned and run like any table
 * model. Column types come from {@code config.column_types} in a schema file, or are inferred
 * from the values (BIGINT, DECIMAL, BOOLEAN, DATE, TIMESTAMP(3) — finer when fractions have more
 * digits —, TIMESTAMP_LTZ(3) when date-times carry offsets, else STRING); date-times are read as
 * dbt reads them (see {@link SeedValues}); an empty cell is NULL. Seeds are for small, slowly
 * changing reference data, as in dbt.
 */
final class SeedLoader {

    static final List<String> CONFIG_KEYS = List.of(
            "column_types",
            "delimiter",
            "enabled",
            "tags",
            "alias",
            "schema",
            "database",
            "docs",
            "meta",
            "quote_columns",
            "full_refresh");

    private static final Pattern INTEGER = Pattern.compile("[-+]?\\d{1,18}");
    private static final Pattern DECIMAL = Pattern.compile("[-+]?\\d*\\.\\d+");
    private static final Pattern BOOLEAN = Pattern.compile("(?i)true|false");
    private static final Pattern DATE = Pattern.compile("\\d{4}-\\d{2}-\\d{2}");
    private static final Pattern COLUMN_NAME = Pattern.compile("[A-Za-z_][A-Za-z0-9_]*");

    private SeedLoader() {}

    /** The seed's query, or null with problems recorded. */
    static SqlText query(SourceText csv, Map<String, ConfigValue> config, Problems problems) {
        char delimiter = ',';
        ConfigValue delimiterValue = config.get("delimiter");
        if (delimiterValue != null && delimiterValue.value() != null) { // a key without a value sets nothing
            String text = String.valueOf(delimiterValue.value());
            if (text.length() != 1) {
                problems.add(
                        delimiterValue.position(),
                        "delimiter must be one character, not '" + text + "'.",
                        "e.g. delimiter: ';'");
                return null;
            }
            delimiter = text.charAt(0);
        }
        for (String key : config.keySet()) {
            if (!CONFIG_KEYS.contains(key)) {
                problems.add(
                        config.get(key).position(),
                        "Unknown config key '" + key + "' for a seed." + Suggestions.didYouMean(key, CONFIG_KEYS),
                        "Seed config keys: " + String.join(", ", CONFIG_KEYS));
            }
        }
        List<Row> rows = Csv.parse(csv, delimiter, problems);
        if (rows == null) {
            return null;
        }
        if (rows.isEmpty()) {
            problems.add(
                    csv.start(), "Seed " + csv.path() + " is empty.", "Its first line names the columns, e.g. id,name");
            return null;
        }
        List<String> header = rows.get(0).cells();
        for (String column : header) {
            if (!COLUMN_NAME.matcher(column).matches()) {
                problems.add(
                        rows.get(0).position(),
                        "Seed column '" + column + "' is not a plain identifier.",
                        "Name columns with letters, digits and underscores in the first line of " + csv.path());
                return null;
            }
        }
        List<Row> data = rows.subList(1, rows.size());
        for (Row row : data) {
            if (row.cells().size() != header.size()) {
                problems.add(
                        row.position(),
                        "This row has " + row.cells().size() + " values; the header has " + header.size() + " columns ("
                                + String.join(", ", header) + ").",
                        "Fix the row, or quote values that contain '" + delimiter + "' with double quotes.");
                return null;
            }
        }
        Map<String, String> types = types(header, data, config.get("column_types"), problems);
        if (types == null || !dateTimesParse(header, data, types, csv, problems)) {
            return null;
        }
        return new SqlText.Builder()
                .appendGenerated(sql(header, data, types), csv, 0)
                .build();
    }

    private static Map<String, String> types(
            List<String> header, List<Row> data, ConfigValue declared, Problems problems) {
        Map<String, String> types = new LinkedHashMap<>();
        Map<String, Object> given = new TreeMap<>();
        if (declared != null && declared.value() != null) {
            if (!(declared.value() instanceof Map<?, ?> map)) {
                problems.add(
                        declared.position(),
                        "column_types must map column names to Flink SQL types.",
                        "e.g. column_types: {product_id: BIGINT, price: DECIMAL(10, 2)}");
                return null;
            }
            map.forEach((k, v) -> given.put(String.valueOf(k), v));
            for (String column : given.keySet()) {
                if (!header.contains(column)) {
                    problems.add(
                            declared.position(),
                            "column_types names '" + column + "', which is not a column of " + "the seed."
                                    + Suggestions.didYouMean(column, header),
                            "Its columns: " + String.join(", ", header));
                    return null;
                }
            }
        }
        for (int i = 0; i < header.size(); i++) {
            String column = header.get(i);
            Object type = given.get(column);
            types.put(column, type != null ? String.valueOf(type) : infer(data, i));
        }
        return types;
    }

    /** Every value of a TIMESTAMP column is a date or date-time the run can cast, else a problem at its row. */
    private static boolean dateTimesParse(
            List<String> header, List<Row> data, Map<String, String> types, SourceText csv, Problems problems) {
        boolean parse = true;
        for (int i = 0; i < header.size(); i++) {
            String type = types.get(header.get(i));
            if (!SeedValues.isTimestamp(type) && !SeedValues.isLocalZoned(type)) {
                continue;
            }
            for (Row row : data) {
                String value = row.cells().get(i);
                if (!value.isEmpty() && SeedValues.timestamp(value) == null) {
                    problems.add(
                            row.position(),
                            "'" + value + "' in column " + header.get(i) + " of " + csv.path() + " is no " + type
                                    + " value.",
                            "Write it as 2026-01-02 10:00:00 or in ISO 8601 (2026-01-02T10:00:00.250,"
                                    + " 2026-01-02T10:00:00Z), or declare the column another type in column_types.");
                    parse = false;
                }
            }
        }
        return parse;
    }

    private static String infer(List<Row> data, int column) {
        List<String> values = new ArrayList<>();
        data.forEach(row -> {
            String value = row.cells().get(column);
            if (!value.isEmpty()) {
                values.add(value);
            }
        });
        if (values.isEmpty()) {
            return "STRING";
        }
        if (values.stream().allMatch(v -> INTEGER.matcher(v).matches())) {
            return "BIGINT";
        }
        if (values.stream()
                .allMatch(
                        v -> INTEGER.matcher(v).matches() || DECIMAL.matcher(v).matches())) {
            int scale = 0;
            int integerDigits = 1;
            for (String v : values) {
                String digits = v.replaceAll("[-+]", "");
                int dot = digits.indexOf('.');
                scale = Math.max(scale, dot < 0 ? 0 : digits.length() - dot - 1);
                integerDigits = Math.max(integerDigits, dot < 0 ? digits.length() : Math.max(1, dot));
            }
            return "DECIMAL(" + Math.min(38, integerDigits + scale) + ", " + scale + ")";
        }
        if (values.stream().allMatch(v -> BOOLEAN.matcher(v).matches())) {
            return "BOOLEAN";
        }
        if (values.stream().allMatch(v -> DATE.matcher(v).matches())) {
            return "DATE";
        }
        if (values.stream().allMatch(SeedValues::isDateTime)) {
            if (values.stream().anyMatch(SeedValues::hasOffset)) {
                return "TIMESTAMP_LTZ(3)"; // instants: those without an offset are read as UTC
            }
            int digits =
                    values.stream().mapToInt(SeedValues::fractionDigits).max().orElse(0);
            return "TIMESTAMP(" + Math.max(3, digits) + ")";
        }
        return "STRING";
    }

    private static String sql(List<String> header, List<Row> data, Map<String, String> types) {
        StringBuilder sql = new StringBuilder("-- generated from the seed's CSV\nSELECT ");
        for (int i = 0; i < header.size(); i++) {
            String type = types.get(header.get(i));
            String value = SeedValues.isLocalZoned(type) ? "TO_TIMESTAMP_LTZ(CAST(c" + i + " AS BIGINT), 3)" : "c" + i;
            sql.append(i == 0 ? "" : ", ")
                    .append("CAST(")
                    .append(value)
                    .append(" AS ")
                    .append(type)
                    .append(") AS ")
                    .append(Relation.quote(header.get(i)));
        }
        sql.append("\nFROM (VALUES");
        List<Row> rows =
                data.isEmpty() ? List.of(new Row(header.stream().map(h -> "").toList(), null)) : data;
        for (int r = 0; r < rows.size(); r++) {
            sql.append(r == 0 ? "\n  (" : ",\n  (");
            List<String> cells = rows.get(r).cells();
            for (int i = 0; i < cells.size(); i++) {
                String value = cell(cells.get(i), types.get(header.get(i)));
                sql.append(i == 0 ? "" : ", ")
                        .append(value.isEmpty() ? "CAST(NULL AS STRING)" : "'" + value.replace("'", "''") + "'");
            }
            sql.append(')');
        }
        sql.append("\n) AS seed_rows(");
        for (int i = 0; i < header.size(); i++) {
            sql.append(i == 0 ? "" : ", ").append('c').append(i);
        }
        sql.append(")");
        if (data.isEmpty()) {
            sql.append("\nWHERE FALSE");
        }
        return sql.append('\n').toString();
    }

    /** A cell as its column's type is cast from a string: date-times as Flink reads them. */
    private static String cell(String value, String type) {
        if (value.isEmpty()) {
            return value;
        }
        if (SeedValues.isLocalZoned(type)) {
            return String.valueOf(SeedValues.epochMillis(value));
        }
        return SeedValues.isTimestamp(type) ? SeedValues.timestamp(value) : value;
    }

    static String lower(String s) {
        return s.toLowerCase(Locale.ROOT);
    }
}
