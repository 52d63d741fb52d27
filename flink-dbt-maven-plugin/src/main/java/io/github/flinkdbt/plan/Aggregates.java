package io.github.flinkdbt.plan;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;

/** Aggregate calls of a plan node as SQL reads them: {@code COUNT(DISTINCT product_id)}. */
final class Aggregates {

    private Aggregates() {}

    static List<String> display(JsonNode calls, List<RowTypes.Field> input) {
        List<String> shown = new ArrayList<>();
        for (JsonNode call : calls) {
            shown.add(call(call, input));
        }
        return shown;
    }

    private static String call(JsonNode call, List<RowTypes.Field> input) {
        String function = function(call);
        List<String> args = StateSignature.names(call.path("argList"), input);
        String inner = args.isEmpty() && call.path("syntax").asText().equals("FUNCTION_STAR")
                ? "*"
                : (call.path("distinct").asBoolean() ? "DISTINCT " : "") + String.join(", ", args);
        String text = function + "(" + inner + ")";
        int filter = call.path("filterArg").asInt(-1);
        if (filter >= 0) {
            text += " FILTER (WHERE "
                    + (filter < input.size() ? input.get(filter).name() : "$" + filter) + ")";
        }
        return text;
    }

    /** {@code $COUNT$1} → COUNT; a catalog function keeps its name. */
    private static String function(JsonNode call) {
        String internal = call.path("internalName").asText("");
        if (internal.startsWith("$")) {
            String name = internal.substring(1);
            int dollar = name.indexOf('$');
            return dollar < 0 ? name : name.substring(0, dollar);
        }
        if (call.has("catalogName")) {
            String catalog = call.path("catalogName").asText();
            return catalog.substring(catalog.lastIndexOf('.') + 1).replace("`", "");
        }
        if (call.has("systemName")) {
            return call.path("systemName").asText();
        }
        return internal.isEmpty() ? "aggregate" : internal;
    }

    /** "aggregate added: MAX(amount)", "aggregate changed: MAX(amount) → MIN(amount)", ... */
    static List<String> differences(String before, String after) {
        List<String> old = split(before);
        List<String> now = split(after);
        List<String> reasons = new ArrayList<>();
        if (old.size() == now.size()) {
            for (int i = 0; i < old.size(); i++) {
                if (!old.get(i).equals(now.get(i))) {
                    reasons.add("aggregate changed: " + old.get(i) + " → " + now.get(i));
                }
            }
            if (reasons.isEmpty()) {
                reasons.add("aggregates " + before + ": accumulators differ (argument types or retraction)");
            }
            return reasons;
        }
        List<String> added = new ArrayList<>(now);
        old.forEach(added::remove);
        List<String> removed = new ArrayList<>(old);
        now.forEach(removed::remove);
        added.forEach(a -> reasons.add("aggregate added: " + a));
        removed.forEach(r -> reasons.add("aggregate removed: " + r));
        if (reasons.isEmpty()) {
            reasons.add("aggregates " + before + " → " + after);
        }
        return reasons;
    }

    /** Splits a display on commas outside parentheses. */
    private static List<String> split(String shown) {
        List<String> parts = new ArrayList<>();
        int depth = 0;
        int start = 0;
        for (int i = 0; i < shown.length(); i++) {
            char c = shown.charAt(i);
            if (c == '(') {
                depth++;
            } else if (c == ')') {
                depth--;
            } else if (c == ',' && depth == 0) {
                parts.add(shown.substring(start, i).trim());
                start = i + 1;
            }
        }
        if (start < shown.length()) {
            parts.add(shown.substring(start).trim());
        }
        return parts;
    }
}
