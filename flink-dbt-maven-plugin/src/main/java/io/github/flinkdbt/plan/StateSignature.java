package io.github.flinkdbt.plan;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * What decides whether a stateful node's savepoint state can be read by another node: its type
 * and version, the state it declares (names; TTL on or off), its key fields, aggregate calls,
 * window, join, rank or dedup spec, its input and output column types, and every other setting
 * the node carries. Two nodes with equal signatures (every aspect but the TTL's length) read
 * each other's state. The comparison errs on the side of "different": a difference that would
 * not matter costs a state rebuild, a missed one would restore wrong state.
 *
 * <p>Column <em>names</em> are not part of it (state is positional), nor node ids, descriptions
 * or UIDs. Aggregate arguments are input positions, so with equal input types they mean the
 * same columns.
 *
 * @param type the node type with its version, e.g. {@code stream-exec-group-aggregate_1}
 * @param aspects canonical text of each aspect, in a fixed order
 * @param displays the same aspects as a reader sees them (column names resolved)
 */
public record StateSignature(String type, Map<String, String> aspects, Map<String, String> displays) {

    /** The TTL's length: a change restores (entries expire by the new length), so it is not matched on. */
    static final String TTL = "ttl";

    private static final Set<String> NOT_STATE = Set.of(
            "id",
            "type",
            "description",
            "configuration",
            "outputType",
            "inputProperties",
            "state",
            "grouping",
            "aggCalls",
            "windowing",
            "window",
            "partitionSpec",
            "uniqueKeys",
            "joinSpec",
            "intervalJoinSpec",
            "namedWindowProperties",
            "generateUpdateBefore",
            "rankType",
            "partition",
            "orderBy",
            "rankRange",
            "rankStrategy",
            "outputRowNumber",
            "keepLastRow",
            "isRowtime");

    /** Aspects that say what changed in the state's meaning; the others only back them up. */
    private static final Set<String> SPECIFIC =
            Set.of("table", "state", TTL, "keys", "aggregates", "window", "join", "order");

    /** Whether the node keeps state a savepoint carries: by type; a sink only when it lists state. */
    public static boolean keepsState(JsonNode node) {
        String type = PlanGraph.type(node);
        if (ExecNodeTypes.name(type).equals("sink")) {
            return node.path("state").size() > 0;
        }
        return ExecNodeTypes.isStateful(type);
    }

    static StateSignature of(PlanGraph plan, int id) {
        ObjectNode node = plan.node(id);
        String type = PlanGraph.type(node);
        String name = ExecNodeTypes.name(type);
        Map<String, String> aspects = new LinkedHashMap<>();
        Map<String, String> displays = new LinkedHashMap<>();
        if (name.equals("table-source-scan")) {
            String table = node.path("scanTableSource")
                    .path("table")
                    .path("identifier")
                    .asText();
            put(aspects, displays, "table", table, PlanUids.tableName(table));
            return new StateSignature(type, aspects, displays);
        }
        List<RowTypes.Field> input = plan.inputFields(id);
        put(aspects, displays, "state", stateCanonical(node), stateDisplay(node));
        put(aspects, displays, TTL, ttls(node), ttls(node));
        put(aspects, displays, "keys", CanonicalJson.of(keys(node)), names(keys(node), input, plan, id));
        if (node.has("aggCalls")) {
            put(
                    aspects,
                    displays,
                    "aggregates",
                    aggregatesCanonical(node),
                    String.join(", ", Aggregates.display(node.path("aggCalls"), input)));
        }
        JsonNode window = node.has("windowing") ? node.get("windowing") : node.path("window");
        if (!window.isMissingNode()) {
            put(aspects, displays, "window", CanonicalJson.of(window), Windows.display(window));
        }
        JsonNode join = node.has("intervalJoinSpec") ? node.get("intervalJoinSpec") : node.path("joinSpec");
        if (!join.isMissingNode()) {
            put(aspects, displays, "join", CanonicalJson.of(withoutKeys(join)), Joins.display(join, plan, id));
        }
        if (node.has("rankType") || node.has("keepLastRow")) {
            ObjectNode order = JsonNodeFactory.instance.objectNode();
            for (String field : List.of(
                    "rankType",
                    "orderBy",
                    "rankRange",
                    "rankStrategy",
                    "outputRowNumber",
                    "keepLastRow",
                    "isRowtime")) {
                if (node.has(field)) {
                    order.set(field, node.get(field));
                }
            }
            put(aspects, displays, "order", CanonicalJson.of(order), Ranks.display(node, input));
        }
        put(aspects, displays, "input", String.join(", ", types(input)), columns(input));
        List<RowTypes.Field> output = RowTypes.fields(node.path("outputType"));
        put(aspects, displays, "output", String.join(", ", types(output)), columns(output));
        ObjectNode configuration = node.path("configuration").isObject()
                ? ((ObjectNode) node.get("configuration")).deepCopy()
                : ObjectNode.class.cast(JsonNodeFactory.instance.objectNode());
        configuration.remove(List.of(PlanUids.UID_FORMAT, "table.exec.state.ttl"));
        put(aspects, displays, "settings", CanonicalJson.of(configuration), CanonicalJson.of(configuration));
        String rest = CanonicalJson.without(node, NOT_STATE);
        put(aspects, displays, "spec", rest, rest);
        return new StateSignature(type, aspects, displays);
    }

    /** Whether state written by a node with this signature restores into a node with {@code other}. */
    public boolean restoresInto(StateSignature other) {
        if (!type.equals(other.type) || !aspects.keySet().equals(other.aspects.keySet())) {
            return false;
        }
        for (Map.Entry<String, String> aspect : aspects.entrySet()) {
            if (!aspect.getKey().equals(TTL) && !aspect.getValue().equals(other.aspects.get(aspect.getKey()))) {
                return false;
            }
        }
        return true;
    }

    /** A short stable hash of the matched aspects, to tell apart fresh UIDs. */
    public String fingerprint() {
        StringBuilder all = new StringBuilder(type);
        aspects.forEach((k, v) -> {
            if (!k.equals(TTL)) {
                all.append('\n').append(k).append('=').append(v);
            }
        });
        return String.format("%08x", all.toString().hashCode());
    }

    /** What differs from {@code newer}, as a reader would put it; empty when nothing does. */
    public List<String> differences(StateSignature newer) {
        List<String> reasons = new ArrayList<>();
        String what = ExecNodeTypes.name(type);
        if (!type.equals(newer.type)) {
            reasons.add(
                    what.equals(ExecNodeTypes.name(newer.type))
                            ? what + " version " + ExecNodeTypes.version(type) + " → "
                                    + ExecNodeTypes.version(newer.type)
                            : what + " → " + ExecNodeTypes.name(newer.type));
            return reasons;
        }
        List<String> changed = new ArrayList<>();
        for (String aspect : aspects.keySet()) {
            if (!Objects.equals(aspects.get(aspect), newer.aspects.get(aspect))) {
                changed.add(aspect);
            }
        }
        if (changed.stream().anyMatch(SPECIFIC::contains)) {
            changed.removeIf(aspect -> !SPECIFIC.contains(aspect));
        }
        for (String aspect : changed) {
            String shown = displays.get(aspect);
            String shownAfter = newer.displays.getOrDefault(aspect, "none");
            if (shown.equals(shownAfter) && changed.size() > 1) {
                continue;
            }
            switch (aspect) {
                case "aggregates" -> reasons.addAll(Aggregates.differences(shown, shownAfter));
                case "keys" -> reasons.add(keyLabel(what) + " " + shown + " → " + shownAfter);
                case TTL -> reasons.add("state TTL " + shown + " → " + shownAfter);
                case "state" -> reasons.add("state " + shown + " → " + shownAfter);
                case "window" -> reasons.add("window " + shown + " → " + shownAfter);
                case "join" -> reasons.add("join " + shown + " → " + shownAfter);
                case "order" -> reasons.add(shown + " → " + shownAfter);
                case "input" -> reasons.add("input columns (" + shown + ") → (" + shownAfter + ")");
                case "output" -> reasons.add("output columns (" + shown + ") → (" + shownAfter + ")");
                case "table" -> reasons.add("reads " + shown + " → " + shownAfter);
                case "settings" -> reasons.add("settings " + shown + " → " + shownAfter);
                default -> reasons.add(what + " changed: " + shown + " → " + shownAfter);
            }
        }
        return reasons;
    }

    private static String keyLabel(String type) {
        if (type.contains("rank") || type.contains("over-aggregate") || type.contains("limit")) {
            return "partition keys";
        }
        if (type.contains("deduplicate") || type.contains("changelog-normalize")) {
            return "unique keys";
        }
        if (type.contains("join")) {
            return "join keys";
        }
        return "group keys";
    }

    private static void put(
            Map<String, String> aspects,
            Map<String, String> displays,
            String aspect,
            String canonical,
            String display) {
        aspects.put(aspect, canonical);
        displays.put(aspect, display);
    }

    private static String stateCanonical(JsonNode node) {
        List<String> state = new ArrayList<>();
        for (JsonNode s : node.path("state")) {
            state.add(s.path("index").asInt() + ":" + s.path("name").asText() + ":"
                    + (ttlMillis(s.path("ttl").asText()) > 0 ? "ttl" : "no-ttl"));
        }
        return String.join(",", state);
    }

    private static String stateDisplay(JsonNode node) {
        if (node.path("state").isEmpty()) {
            return "(not listed)";
        }
        List<String> state = new ArrayList<>();
        for (JsonNode s : node.path("state")) {
            String ttl = s.path("ttl").asText();
            state.add(s.path("name").asText() + (ttlMillis(ttl) > 0 ? " with TTL" : " without TTL"));
        }
        return String.join(", ", state);
    }

    private static String ttls(JsonNode node) {
        List<String> ttl = new ArrayList<>();
        for (JsonNode s : node.path("state")) {
            ttl.add(s.path("ttl").asText());
        }
        return ttl.isEmpty()
                ? "none"
                : String.join(", ", ttl.stream().distinct().toList());
    }

    /** {@code 7 d}, {@code 0 ms}, {@code 3600000 ms} → milliseconds (0 when off). */
    static long ttlMillis(String ttl) {
        String[] parts = ttl.trim().split("\\s+");
        if (parts.length == 0 || parts[0].isEmpty()) {
            return 0;
        }
        long value;
        try {
            value = Long.parseLong(parts[0]);
        } catch (NumberFormatException e) {
            return 1; // present, length unknown
        }
        return value;
    }

    /** The key field indices the node declares, whatever the node type calls them. */
    private static JsonNode keys(JsonNode node) {
        if (node.has("grouping")) {
            return node.get("grouping");
        }
        if (node.has("partitionSpec")) {
            return node.get("partitionSpec").path("fields");
        }
        if (node.has("partition")) {
            return node.get("partition").path("fields");
        }
        if (node.has("uniqueKeys")) {
            return node.get("uniqueKeys");
        }
        JsonNode join =
                node.has("intervalJoinSpec") ? node.get("intervalJoinSpec").path("joinSpec") : node.path("joinSpec");
        if (!join.isMissingNode()) {
            ArrayNode both = JsonNodeFactory.instance.arrayNode();
            both.add(join.path("leftKeys"));
            both.add(join.path("rightKeys"));
            return both;
        }
        return JsonNodeFactory.instance.arrayNode();
    }

    private static JsonNode withoutKeys(JsonNode join) {
        ObjectNode copy = ((ObjectNode) join).deepCopy();
        copy.remove(List.of("leftKeys", "rightKeys"));
        if (copy.get("joinSpec") instanceof ObjectNode inner) {
            inner.remove(List.of("leftKeys", "rightKeys"));
        }
        return copy;
    }

    private static String names(JsonNode keys, List<RowTypes.Field> input, PlanGraph plan, int id) {
        if (keys.size() == 2 && keys.get(0).isArray()) {
            return "[" + String.join(", ", names(keys.get(0), plan.inputFields(id, 0))) + "] = ["
                    + String.join(", ", names(keys.get(1), plan.inputFields(id, 1))) + "]";
        }
        return "[" + String.join(", ", names(keys, input)) + "]";
    }

    static List<String> names(JsonNode indices, List<RowTypes.Field> fields) {
        List<String> names = new ArrayList<>();
        for (JsonNode index : indices) {
            int i = index.asInt();
            names.add(i >= 0 && i < fields.size() ? fields.get(i).name() : "$" + i);
        }
        return names;
    }

    private static String aggregatesCanonical(JsonNode node) {
        ObjectNode calls = JsonNodeFactory.instance.objectNode();
        ArrayNode list = calls.putArray("calls");
        for (JsonNode call : node.path("aggCalls")) {
            ObjectNode copy = ((ObjectNode) call).deepCopy();
            copy.remove("name");
            list.add(copy);
        }
        calls.set("retractions", node.path("aggCallNeedRetractions"));
        calls.set("needRetraction", node.path("needRetraction"));
        return CanonicalJson.of(calls);
    }

    private static List<String> types(List<RowTypes.Field> fields) {
        return fields.stream().map(RowTypes.Field::type).toList();
    }

    private static String columns(List<RowTypes.Field> fields) {
        return String.join(
                ", ", fields.stream().map(f -> f.name() + " " + f.type()).toList());
    }
}
