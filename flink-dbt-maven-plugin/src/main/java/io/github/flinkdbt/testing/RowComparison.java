package io.github.flinkdbt.testing;

import java.math.BigDecimal;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.apache.flink.table.types.logical.LogicalType;
import org.apache.flink.table.types.logical.LogicalTypeFamily;
import org.apache.flink.table.types.logical.LogicalTypeRoot;

/**
 * Compares a model's final rows with the expected ones as dbt does: order does not matter, and
 * only the columns the expectation names are compared. Values are compared by the column's type
 * ({@code 2.50} equals {@code 2.5} in a DECIMAL column, {@code 2026-01-01T10:00} equals
 * {@code 2026-01-01 10:00:00} in a TIMESTAMP column).
 */
final class RowComparison {

    /** The differences; {@code missing} expected rows not produced, {@code unexpected} produced rows not expected. */
    record Diff(List<String> columns, List<List<String>> missing, List<List<String>> unexpected) {
        boolean matches() {
            return missing.isEmpty() && unexpected.isEmpty();
        }

        String describe() {
            StringBuilder text = new StringBuilder();
            text.append(missing.size())
                    .append(missing.size() == 1 ? " expected row missing, " : " expected rows missing, ")
                    .append(unexpected.size())
                    .append(unexpected.size() == 1 ? " unexpected row" : " unexpected rows")
                    .append("\n    ")
                    .append(String.join(" | ", columns));
            missing.forEach(row -> text.append("\n  - ").append(String.join(" | ", row)));
            unexpected.forEach(row -> text.append("\n  + ").append(String.join(" | ", row)));
            return text.toString();
        }
    }

    private RowComparison() {}

    static Diff compare(FixtureRows expected, TestSession.QueryResult actual) {
        List<String> columns = new ArrayList<>(expected.columns());
        int[] index = columns.stream().mapToInt(actual.columns()::indexOf).toArray();
        Map<List<String>, Integer> remaining = new HashMap<>();
        List<List<String>> actualRows = new ArrayList<>();
        for (List<Object> row : actual.rows()) {
            List<String> values = new ArrayList<>();
            for (int i : index) {
                values.add(canonical(row.get(i), actual.types().get(i)));
            }
            actualRows.add(values);
            remaining.merge(values, 1, Integer::sum);
        }
        List<List<String>> missing = new ArrayList<>();
        for (Map<String, Object> row : expected.rows()) {
            List<String> values = new ArrayList<>();
            for (int c = 0; c < columns.size(); c++) {
                values.add(canonical(row.get(columns.get(c)), actual.types().get(index[c])));
            }
            Integer count = remaining.get(values);
            if (count == null) {
                missing.add(values);
            } else if (count == 1) {
                remaining.remove(values);
            } else {
                remaining.put(values, count - 1);
            }
        }
        List<List<String>> unexpected = new ArrayList<>();
        for (List<String> row : actualRows) {
            Integer count = remaining.get(row);
            if (count != null) {
                unexpected.add(row);
                if (count == 1) {
                    remaining.remove(row);
                } else {
                    remaining.put(row, count - 1);
                }
            }
        }
        return new Diff(columns, missing, unexpected);
    }

    /** One text per value: numbers without trailing zeros, timestamps as {@code yyyy-MM-dd HH:mm:ss[.fff]}. */
    static String canonical(Object value, LogicalType type) {
        if (value == null) {
            return "NULL";
        }
        if (value instanceof String text
                && text.equalsIgnoreCase("null")
                && !type.is(LogicalTypeFamily.CHARACTER_STRING)) {
            return "NULL";
        }
        if (type.is(LogicalTypeFamily.NUMERIC)) {
            try {
                BigDecimal number = value instanceof Double d
                        ? BigDecimal.valueOf(d)
                        : value instanceof Float f
                                ? new BigDecimal(Float.toString(f))
                                : new BigDecimal(String.valueOf(value).trim());
                return number.signum() == 0 ? "0" : number.stripTrailingZeros().toPlainString();
            } catch (NumberFormatException e) {
                return String.valueOf(value);
            }
        }
        if (type.getTypeRoot() == LogicalTypeRoot.BOOLEAN) {
            return String.valueOf(value).trim().toLowerCase(Locale.ROOT);
        }
        if (type.is(LogicalTypeFamily.TIMESTAMP)) {
            String text = value instanceof Instant instant
                    ? LocalDateTime.ofInstant(instant, ZoneOffset.UTC).toString()
                    : String.valueOf(value);
            return timestamp(text);
        }
        return String.valueOf(value);
    }

    private static String timestamp(String text) {
        String normalized = text.trim().replace('T', ' ');
        if (normalized.endsWith("Z")) {
            normalized = normalized.substring(0, normalized.length() - 1);
        }
        if (normalized.length() == 16) { // LocalDateTime.toString() drops zero seconds
            normalized += ":00";
        }
        int dot = normalized.indexOf('.');
        if (dot > 0) {
            String fraction = normalized.substring(dot + 1).replaceAll("0+$", "");
            normalized = normalized.substring(0, dot) + (fraction.isEmpty() ? "" : "." + fraction);
        }
        return normalized;
    }
}
