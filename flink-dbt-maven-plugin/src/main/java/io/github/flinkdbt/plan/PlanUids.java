package io.github.flinkdbt.plan;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.github.flinkdbt.common.Json;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * Takes ownership of a compiled plan's identity. Flink numbers plan nodes from one JVM-wide
 * counter and, by default, derives operator UIDs from those numbers ({@code <id>_<transformation>}),
 * so the same query compiled in another order or JVM restores wrongly or not at all. Here:
 * <ul>
 *   <li>node ids are renumbered 1..n in the plan's own order;</li>
 *   <li>each node gets a role from its place in the plan: its type, plus the table for sources,
 *       plus {@code #2}, {@code #3} for repeated types, counted from the sources in input order;</li>
 *   <li>each node's {@code table.exec.uid.format} becomes {@code <model>/<role>/<transformation>},
 *       which Flink applies when it restores the plan.</li>
 * </ul>
 */
public final class PlanUids {

    public static final String UID_FORMAT = "table.exec.uid.format";

    private PlanUids() {}

    public static ProjectPlan assign(String model, String planJson) {
        ObjectNode root = (ObjectNode) Json.read(planJson);
        ArrayNode nodes = (ArrayNode) root.get("nodes");
        ArrayNode edges = (ArrayNode) root.get("edges");

        Map<Integer, Integer> newIds = new HashMap<>();
        Map<Integer, ObjectNode> byNewId = new LinkedHashMap<>();
        for (int i = 0; i < nodes.size(); i++) {
            ObjectNode node = (ObjectNode) nodes.get(i);
            newIds.put(node.get("id").asInt(), i + 1);
            byNewId.put(i + 1, node);
        }
        Map<Integer, List<Integer>> inputs = new HashMap<>();
        for (JsonNode edge : edges) {
            ObjectNode e = (ObjectNode) edge;
            int source = newIds.get(e.get("source").asInt());
            int target = newIds.get(e.get("target").asInt());
            e.put("source", source);
            e.put("target", target);
            inputs.computeIfAbsent(target, k -> new ArrayList<>()).add(source);
        }

        Set<Integer> consumed = new LinkedHashSet<>();
        inputs.values().forEach(consumed::addAll);
        List<Integer> order = new ArrayList<>();
        Set<Integer> visited = new LinkedHashSet<>();
        for (Integer id : byNewId.keySet()) {
            if (!consumed.contains(id)) {
                visit(id, inputs, visited, order);
            }
        }
        for (Integer id : byNewId.keySet()) {
            visit(id, inputs, visited, order);
        }

        Map<String, Integer> seen = new HashMap<>();
        Map<Integer, String> roles = new TreeMap<>();
        for (int id : order) {
            String base = baseRole(byNewId.get(id));
            int count = seen.merge(base, 1, Integer::sum);
            roles.put(id, count == 1 ? base : base + "#" + count);
        }

        List<PlanOperator> operators = new ArrayList<>();
        for (int id : order) {
            ObjectNode node = byNewId.get(id);
            String type = node.get("type").asText();
            String uidPrefix = model + "/" + roles.get(id) + "/";
            rebuild(node, id, uidPrefix + "<transformation>");
            List<String> stateNames = new ArrayList<>();
            if (node.get("state") instanceof ArrayNode state) {
                state.forEach(s -> stateNames.add(s.path("name").asText()));
            }
            operators.add(new PlanOperator(
                    id,
                    type,
                    roles.get(id),
                    ExecNodeTypes.isStateful(type),
                    uidPrefix,
                    List.copyOf(stateNames),
                    inputs.getOrDefault(id, List.of())));
        }
        return new ProjectPlan(model, Json.write(root), List.copyOf(operators));
    }

    /** Post-order from the sinks: inputs before the node, inputs in order. */
    private static void visit(int id, Map<Integer, List<Integer>> inputs, Set<Integer> visited, List<Integer> order) {
        if (!visited.add(id)) {
            return;
        }
        for (int input : inputs.getOrDefault(id, List.of())) {
            visit(input, inputs, visited, order);
        }
        order.add(id);
    }

    private static String baseRole(ObjectNode node) {
        String name = ExecNodeTypes.name(node.get("type").asText());
        if (name.equals("table-source-scan")) {
            return "source["
                    + tableName(node.path("scanTableSource")
                            .path("table")
                            .path("identifier")
                            .asText()) + "]";
        }
        if (name.equals("lookup-join")) {
            return "lookup-join["
                    + tableName(node.path("temporalTable")
                            .path("table")
                            .path("identifier")
                            .asText()) + "]";
        }
        return name;
    }

    /** {@code `catalog`.`db`.`table`} → {@code db.table}. */
    static String tableName(String identifier) {
        String[] parts = identifier.replace("`", "").split("\\.");
        return parts.length >= 2
                ? parts[parts.length - 2] + "." + parts[parts.length - 1]
                : identifier.replace("`", "");
    }

    /** Writes id, type, configuration (with the UID format) first, then the node's other fields. */
    private static void rebuild(ObjectNode node, int id, String uidFormat) {
        Map<String, JsonNode> rest = new LinkedHashMap<>();
        for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> field = it.next();
            rest.put(field.getKey(), field.getValue());
        }
        JsonNode type = rest.remove("type");
        rest.remove("id");
        TreeMap<String, JsonNode> configuration = new TreeMap<>();
        JsonNode existing = rest.remove("configuration");
        if (existing != null) {
            existing.fields().forEachRemaining(f -> configuration.put(f.getKey(), f.getValue()));
        }
        configuration.put(UID_FORMAT, Json.MAPPER.getNodeFactory().textNode(uidFormat));
        node.removeAll();
        node.put("id", id);
        node.set("type", type);
        ObjectNode config = node.putObject("configuration");
        configuration.forEach(config::set);
        rest.forEach(node::set);
    }
}
