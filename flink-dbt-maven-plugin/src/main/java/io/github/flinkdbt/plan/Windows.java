package io.github.flinkdbt.plan;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.time.format.DateTimeParseException;

/** A plan's window spec as SQL reads it: {@code TUMBLE(1 min)}, {@code HOP(10 s, 1 min)}. */
final class Windows {

    private Windows() {}

    static String display(JsonNode windowing) {
        JsonNode window = windowing.has("window") ? windowing.get("window") : windowing;
        String type = window.path("type").asText(window.path("kind").asText(""));
        String shown;
        if (type.startsWith("Tumbl") || type.equals("TUMBLING")) {
            shown = "TUMBLE(" + duration(window.path("size")) + ")";
        } else if (type.startsWith("Hop") || type.equals("SLIDING")) {
            shown = "HOP(" + duration(window.path("slide")) + ", " + duration(window.path("size")) + ")";
        } else if (type.startsWith("Cumul")) {
            shown = "CUMULATE(" + duration(window.path("step")) + ", " + duration(window.path("maxSize")) + ")";
        } else if (type.startsWith("Session") || type.equals("SESSION")) {
            shown = "SESSION(" + duration(window.path("gap")) + ")";
        } else {
            return CanonicalJson.of(windowing);
        }
        JsonNode offset = window.path("offset");
        if (offset.isTextual() && !Duration.ZERO.toString().equals(offset.asText())) {
            shown += " offset " + duration(offset);
        }
        return shown;
    }

    /** {@code PT1M} → {@code 1 min}; other forms as written. */
    static String duration(JsonNode value) {
        String text = value.asText("?");
        try {
            Duration d = Duration.parse(text);
            long ms = d.toMillis();
            if (ms % 86_400_000 == 0 && ms > 0) {
                return ms / 86_400_000 + " d";
            }
            if (ms % 3_600_000 == 0 && ms > 0) {
                return ms / 3_600_000 + " h";
            }
            if (ms % 60_000 == 0 && ms > 0) {
                return ms / 60_000 + " min";
            }
            if (ms % 1000 == 0) {
                return ms / 1000 + " s";
            }
            return ms + " ms";
        } catch (DateTimeParseException e) {
            return value.isNumber() ? value.asLong() + " ms" : text;
        }
    }
}
