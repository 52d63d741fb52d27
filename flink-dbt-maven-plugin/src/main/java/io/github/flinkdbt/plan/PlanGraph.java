package io.github.flinkdbt.plan;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.github.flinkdbt.common.Json;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A compiled plan read back as a graph: its nodes, each node's inputs in order, and what the
 * project named each node ({@code table.exec.uid.format}).
 */
public final class PlanGraph {

    private final ObjectNode root;
    private final Map<Integer, ObjectNode> nodes = new LinkedHashMap<>();
    private final Map<Integer, List<Integer>> inputs = new HashMap<>();
    // a verdict asks for the same node's content, upstream and signature several times
    private final Map<Integer, String> contents = new HashMap<>();
    private final Map<Integer, String> upstreams = new HashMap<>();
    private final Map<Integer, StateSignature> signatures = new HashMap<>();

    private PlanGraph(ObjectNode root) {
        this.root = root;
        for (JsonNode node : root.path("nodes")) {
            nodes.put(node.path("id").asInt(), (ObjectNode) node);
        }
        for (JsonNode edge : root.path("edges")) {
            inputs.computeIfAbsent(edge.path("target").asInt(), k -> new ArrayList<>())
                    .add(edge.path("source").asInt());
        }
    }

    public static PlanGraph parse(String json) {
        return new PlanGraph((ObjectNode) Json.read(json));
    }

    public ObjectNode root() {
        return root;
    }

    public Map<Integer, ObjectNode> nodes() {
        return nodes;
    }

    public ObjectNode node(int id) {
        return nodes.get(id);
    }

    public List<Integer> inputs(int id) {
        return inputs.getOrDefault(id, List.of());
    }

    /** Every node {@code id} reads from, directly or not. */
    public Set<Integer> ancestors(int id) {
        Set<Integer> all = new LinkedHashSet<>();
        List<Integer> todo = new ArrayList<>(inputs(id));
        while (!todo.isEmpty()) {
            int next = todo.remove(todo.size() - 1);
            if (all.add(next)) {
                todo.addAll(inputs(next));
            }
        }
        return all;
    }

    public static String type(JsonNode node) {
        return node.path("type").asText();
    }

    /** The table a sink node writes ({@code catalog.database.table}); null for any other node. */
    public static String sinkTable(JsonNode node) {
        if (!ExecNodeTypes.name(type(node)).equals("sink")) {
            return null;
        }
        return node.path("dynamicTableSink")
                .path("table")
                .path("identifier")
                .asText()
                .replace("`", "");
    }

    /** The ids of the nodes that keep state a savepoint carries, in plan order. */
    public List<Integer> stateful() {
        List<Integer> ids = new ArrayList<>();
        nodes.forEach((id, node) -> {
            if (StateSignature.keepsState(node)) {
                ids.add(id);
            }
        });
        return ids;
    }

    /** {@code <model>/<role>/} from {@code <model>/<role>/<transformation>}; empty when not named. */
    public static String uidPrefix(JsonNode node) {
        String format = node.path("configuration").path(PlanUids.UID_FORMAT).asText("");
        return format.endsWith("<transformation>")
                ? format.substring(0, format.length() - "<transformation>".length())
                : format;
    }

    /** The role part of the node's UID prefix, e.g. {@code group-aggregate} or {@code join#2}. */
    public static String role(JsonNode node) {
        String prefix = uidPrefix(node);
        String withoutSlash = prefix.endsWith("/") ? prefix.substring(0, prefix.length() - 1) : prefix;
        int slash = withoutSlash.indexOf('/');
        return slash < 0 ? withoutSlash : withoutSlash.substring(slash + 1);
    }

    /** The node's input rows' columns (of every input, in order). */
    public List<RowTypes.Field> inputFields(int id) {
        List<RowTypes.Field> fields = new ArrayList<>();
        for (int input : inputs(id)) {
            fields.addAll(RowTypes.fields(node(input).path("outputType")));
        }
        return fields;
    }

    /** Input columns of one input. */
    public List<RowTypes.Field> inputFields(int id, int input) {
        List<Integer> all = inputs(id);
        return input < all.size() ? RowTypes.fields(node(all.get(input)).path("outputType")) : List.of();
    }

    /**
     * What a node does, without what only names it (id, description, UID, column names): two
     * nodes with equal content compute the same from equal input.
     */
    public String content(int id) {
        String known = contents.get(id);
        if (known == null) {
            known = computeContent(id);
            contents.put(id, known);
        }
        return known;
    }

    /** The node's state signature (see {@link StateSignature}). */
    public StateSignature signature(int id) {
        StateSignature known = signatures.get(id);
        if (known == null) {
            known = StateSignature.of(this, id);
            signatures.put(id, known);
        }
        return known;
    }

    private String computeContent(int id) {
        ObjectNode copy = node(id).deepCopy();
        copy.remove(List.of("id", "description"));
        if (copy.get("configuration") instanceof ObjectNode configuration) {
            configuration.remove(PlanUids.UID_FORMAT);
        }
        ArrayNode types = copy.putArray("outputType");
        RowTypes.types(node(id).path("outputType")).forEach(types::add);
        if (copy.get("aggCalls") != null) {
            copy.get("aggCalls").forEach(call -> ((ObjectNode) call).remove("name"));
        }
        return CanonicalJson.of(copy);
    }

    /** The content of everything a node reads, recursively: equal when the logic feeding it is equal. */
    public String upstream(int id) {
        String known = upstreams.get(id);
        if (known == null) {
            StringBuilder all = new StringBuilder();
            for (int input : inputs(id)) {
                all.append('[').append(content(input)).append(upstream(input)).append(']');
            }
            known = all.toString();
            upstreams.put(id, known);
        }
        return known;
    }

    /** A node's description as Flink wrote it, shortened for a message. */
    public String describe(int id) {
        String text = node(id).path("description").asText(PlanGraph.type(node(id)));
        return text.length() > 160 ? text.substring(0, 157) + "..." : text;
    }
}
