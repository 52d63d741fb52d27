package io.github.flinkdbt.project;

import io.github.flinkdbt.common.SourcePosition;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A YAML value that remembers where it was written, so every complaint about a schema file can
 * name its line. Maps keep their key order and the position of each key.
 */
public final class YamlNode {

    public enum Kind {
        MAP,
        LIST,
        SCALAR
    }

    private final Kind kind;
    private final SourcePosition position;
    private final Map<String, YamlNode> entries;
    private final Map<String, SourcePosition> keyPositions;
    private final List<YamlNode> items;
    private final Object value;

    private YamlNode(
            Kind kind,
            SourcePosition position,
            Map<String, YamlNode> entries,
            Map<String, SourcePosition> keyPositions,
            List<YamlNode> items,
            Object value) {
        this.kind = kind;
        this.position = position;
        this.entries = entries;
        this.keyPositions = keyPositions;
        this.items = items;
        this.value = value;
    }

    static YamlNode map(SourcePosition position, Map<String, YamlNode> entries, Map<String, SourcePosition> keys) {
        return new YamlNode(Kind.MAP, position, Collections.unmodifiableMap(entries), keys, List.of(), null);
    }

    static YamlNode list(SourcePosition position, List<YamlNode> items) {
        return new YamlNode(Kind.LIST, position, Map.of(), Map.of(), Collections.unmodifiableList(items), null);
    }

    static YamlNode scalar(SourcePosition position, Object value) {
        return new YamlNode(Kind.SCALAR, position, Map.of(), Map.of(), List.of(), value);
    }

    /** An empty map at the given position, for files that hold nothing. */
    public static YamlNode emptyMap(SourcePosition position) {
        return map(position, new LinkedHashMap<>(), new LinkedHashMap<>());
    }

    public Kind kind() {
        return kind;
    }

    public boolean isMap() {
        return kind == Kind.MAP;
    }

    public boolean isList() {
        return kind == Kind.LIST;
    }

    public boolean isScalar() {
        return kind == Kind.SCALAR;
    }

    public boolean isNull() {
        return kind == Kind.SCALAR && value == null;
    }

    public SourcePosition position() {
        return position;
    }

    public Set<String> keys() {
        return entries.keySet();
    }

    public YamlNode get(String key) {
        return entries.get(key);
    }

    public boolean has(String key) {
        return entries.containsKey(key);
    }

    /** Where a key was written (falls back to the map itself). */
    public SourcePosition keyPosition(String key) {
        return keyPositions.getOrDefault(key, position);
    }

    public Map<String, YamlNode> entries() {
        return entries;
    }

    public List<YamlNode> items() {
        return items;
    }

    /** The scalar's value: String, Boolean, Long, Double, BigInteger or null. */
    public Object value() {
        return value;
    }

    /** A scalar as text (numbers and booleans as written); null for null or non-scalars. */
    public String text() {
        return kind == Kind.SCALAR && value != null ? String.valueOf(value) : null;
    }

    /** Plain Java: LinkedHashMap, ArrayList, or the scalar value. */
    public Object toPlain() {
        switch (kind) {
            case MAP:
                Map<String, Object> map = new LinkedHashMap<>();
                entries.forEach((k, v) -> map.put(k, v.toPlain()));
                return map;
            case LIST:
                List<Object> list = new ArrayList<>();
                items.forEach(i -> list.add(i.toPlain()));
                return list;
            default:
                return value;
        }
    }

    public String describeKind() {
        switch (kind) {
            case MAP:
                return "a mapping";
            case LIST:
                return "a list";
            default:
                return value == null ? "empty" : "'" + value + "'";
        }
    }

    @Override
    public String toString() {
        return position + " " + toPlain();
    }
}
