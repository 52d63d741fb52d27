package io.github.flinkdbt.common;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.RecordComponent;
import java.util.Collection;
import java.util.Map;
import java.util.TreeMap;

/**
 * A record as one canonical text: every component by name, records within it the same way, maps in
 * key order, strings quoted (so {@code 10} and {@code "10"} differ). Equal records, equal texts,
 * whatever order their maps were filled in. A component added to a record is in its text without
 * being named anywhere: what the build fingerprint hashes. (Jackson would give the same guarantee,
 * at the price of its serializers' start-up in a build that changed nothing.)
 */
public final class RecordText {

    private RecordText() {}

    public static String of(Record record) {
        StringBuilder text = new StringBuilder();
        append(record, text);
        return text.toString();
    }

    private static void append(Object value, StringBuilder text) {
        if (value instanceof Record record) {
            text.append(record.getClass().getSimpleName()).append('[');
            for (RecordComponent component : record.getClass().getRecordComponents()) {
                text.append(component.getName()).append('=');
                append(read(component, record), text);
                text.append(", ");
            }
            text.append(']');
        } else if (value instanceof Map<?, ?> map) {
            text.append('{');
            Map<String, Object> sorted = new TreeMap<>();
            map.forEach((key, entry) -> sorted.put(String.valueOf(key), entry));
            sorted.forEach((key, entry) -> {
                text.append(quoted(key)).append(": ");
                append(entry, text);
                text.append(", ");
            });
            text.append('}');
        } else if (value instanceof Collection<?> values) {
            text.append('[');
            values.forEach(entry -> {
                append(entry, text);
                text.append(", ");
            });
            text.append(']');
        } else {
            text.append(value instanceof String string ? quoted(string) : String.valueOf(value));
        }
    }

    private static Object read(RecordComponent component, Record record) {
        try {
            return component.getAccessor().invoke(record);
        } catch (IllegalAccessException | InvocationTargetException e) {
            throw new IllegalStateException("cannot read " + component, e);
        }
    }

    private static String quoted(String string) {
        return '"' + string.replace("\\", "\\\\").replace("\"", "\\\"") + '"';
    }
}
