package io.github.flinkdbt.plan;

import com.fasterxml.jackson.databind.JsonNode;

/** A plan's join spec beyond its keys: type, extra condition, interval bounds. */
final class Joins {

    private Joins() {}

    static String display(JsonNode spec, PlanGraph plan, int id) {
        JsonNode join = spec.has("joinSpec") ? spec.get("joinSpec") : spec;
        StringBuilder shown = new StringBuilder(join.path("joinType").asText("?"));
        JsonNode condition = join.path("nonEquiCondition");
        if (!condition.isMissingNode() && !condition.isNull()) {
            shown.append(" with condition ")
                    .append(
                            CanonicalJson.of(condition).length() > 120
                                    ? "("
                                            + Integer.toHexString(
                                                    CanonicalJson.of(condition).hashCode()) + ")"
                                    : CanonicalJson.of(condition));
        }
        JsonNode bounds = spec.path("windowBounds");
        if (!bounds.isMissingNode()) {
            shown.append(" between ")
                    .append(bounds.path("leftLowerBound").asLong())
                    .append(" ms and ")
                    .append(bounds.path("leftUpperBound").asLong())
                    .append(" ms")
                    .append(bounds.path("isEventTime").asBoolean() ? " (event time)" : " (processing time)");
        }
        return shown.toString();
    }
}
