package io.github.flinkdbt.plan;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;

/** A rank or dedup node's order as SQL reads it: {@code ROW_NUMBER by amount DESC, top 2}. */
final class Ranks {

    private Ranks() {}

    static String display(JsonNode node, List<RowTypes.Field> input) {
        if (node.has("keepLastRow")) {
            return "keeps the " + (node.path("keepLastRow").asBoolean() ? "last" : "first") + " row by "
                    + (node.path("isRowtime").asBoolean() ? "event time" : "processing time");
        }
        List<String> order = new ArrayList<>();
        for (JsonNode field : node.path("orderBy").path("fields")) {
            int index = field.path("index").asInt();
            order.add((index < input.size() ? input.get(index).name() : "$" + index)
                    + (field.path("isAscending").asBoolean() ? " ASC" : " DESC"));
        }
        JsonNode range = node.path("rankRange");
        String rows = range.path("type").asText().equals("Constant")
                ? (range.path("start").asLong() == 1
                        ? "top " + range.path("end").asLong()
                        : "ranks " + range.path("start").asLong() + " to "
                                + range.path("end").asLong())
                : "rank range " + CanonicalJson.of(range);
        return node.path("rankType").asText("rank") + " by " + String.join(", ", order) + ", " + rows;
    }
}
