package io.github.flinkdbt.project;

import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Date-times in seed cells as dbt reads them — ISO 8601 with a {@code T} or a space, with or
 * without seconds and fractions, with or without an offset — written the way Flink casts them: a
 * TIMESTAMP as {@code yyyy-MM-dd HH:mm:ss[.f]}, a TIMESTAMP_LTZ as its epoch milliseconds.
 */
final class SeedValues {

    private static final Pattern DATE_TIME = Pattern.compile(
            "(\\d{4}-\\d{2}-\\d{2})(?:[ Tt](\\d{2}):(\\d{2})(?::(\\d{2})(?:\\.(\\d{1,9}))?)?(Z|z|[+-]\\d{2}(?::?\\d{2})?)?)?");

    private SeedValues() {}

    /** Whether {@code value} is a date-time (not a bare date). */
    static boolean isDateTime(String value) {
        Matcher m = DATE_TIME.matcher(value);
        return m.matches() && m.group(2) != null;
    }

    /** Whether {@code value} is a date-time with an offset ({@code Z}, {@code +02:00}). */
    static boolean hasOffset(String value) {
        Matcher m = DATE_TIME.matcher(value);
        return m.matches() && m.group(6) != null;
    }

    /** The digits of {@code value}'s fraction of a second. */
    static int fractionDigits(String value) {
        Matcher m = DATE_TIME.matcher(value);
        return m.matches() && m.group(5) != null ? m.group(5).length() : 0;
    }

    /** Whether a declared or inferred type is a TIMESTAMP with a local time zone. */
    static boolean isLocalZoned(String type) {
        String upper = type.toUpperCase(Locale.ROOT);
        return upper.startsWith("TIMESTAMP_LTZ") || upper.contains("WITH LOCAL TIME ZONE");
    }

    /** Whether a declared or inferred type is a TIMESTAMP without a time zone. */
    static boolean isTimestamp(String type) {
        return type.toUpperCase(Locale.ROOT).startsWith("TIMESTAMP") && !isLocalZoned(type);
    }

    /**
     * {@code value} as Flink casts a string to TIMESTAMP; one with an offset as the same instant in
     * UTC. Null when it is no date or date-time.
     */
    static String timestamp(String value) {
        LocalDateTime utc = utc(value);
        if (utc == null) {
            return null;
        }
        String text = String.format(
                Locale.ROOT, "%s %02d:%02d:%02d", utc.toLocalDate(), utc.getHour(), utc.getMinute(), utc.getSecond());
        if (utc.getNano() > 0) {
            text += ("." + String.format(Locale.ROOT, "%09d", utc.getNano())).replaceAll("0+$", "");
        }
        return text;
    }

    /** The instant {@code value} names, in epoch milliseconds (UTC when it has no offset); null when it is none. */
    static Long epochMillis(String value) {
        LocalDateTime utc = utc(value);
        return utc == null ? null : utc.toInstant(ZoneOffset.UTC).toEpochMilli();
    }

    private static LocalDateTime utc(String value) {
        Matcher m = DATE_TIME.matcher(value);
        if (!m.matches()) {
            return null;
        }
        try {
            String fraction = m.group(5) == null ? "" : "." + m.group(5);
            LocalDateTime local = LocalDateTime.parse(m.group(1) + "T"
                    + (m.group(2) == null ? "00" : m.group(2)) + ":"
                    + (m.group(3) == null ? "00" : m.group(3)) + ":"
                    + (m.group(4) == null ? "00" : m.group(4)) + fraction);
            String offset = m.group(6);
            if (offset == null) {
                return local;
            }
            return local.atOffset(ZoneOffset.of(offset.toUpperCase(Locale.ROOT)))
                    .withOffsetSameInstant(ZoneOffset.UTC)
                    .toLocalDateTime();
        } catch (RuntimeException invalid) {
            return null; // 2026-02-30, 25:00, an offset past 18 hours
        }
    }
}
