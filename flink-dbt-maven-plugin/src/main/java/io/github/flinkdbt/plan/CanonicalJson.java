package io.github.flinkdbt.plan;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Set;

/** JSON as one line with object keys sorted: equal content, equal text. */
final class CanonicalJson {

    private CanonicalJson() {}

    static String of(JsonNode node) {
        StringBuilder out = new StringBuilder();
        write(node, out);
        return out.toString();
    }

    /** The node without the given top-level fields. */
    static String without(JsonNode node, Set<String> fields) {
        ObjectNode copy = ((ObjectNode) node).deepCopy();
        copy.remove(fields);
        return of(copy);
    }

    private static void write(JsonNode node, StringBuilder out) {
        if (node.isObject()) {
            List<String> names = new ArrayList<>();
            node.fieldNames().forEachRemaining(names::add);
            names.sort(null);
            out.append('{');
            for (Iterator<String> it = names.iterator(); it.hasNext(); ) {
                String name = it.next();
                out.append(TextNode.valueOf(name)).append(':');
                write(node.get(name), out);
                if (it.hasNext()) {
                    out.append(',');
                }
            }
            out.append('}');
        } else if (node.isArray()) {
            out.append('[');
            for (int i = 0; i < node.size(); i++) {
                if (i > 0) {
                    out.append(',');
                }
                write(node.get(i), out);
            }
            out.append(']');
        } else {
            out.append(node.toString());
        }
    }
}
