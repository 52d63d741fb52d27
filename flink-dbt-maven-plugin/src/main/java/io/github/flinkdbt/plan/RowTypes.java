package io.github.flinkdbt.plan;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;

/**
 * Row types as compiled plans write them: either Flink's type string
 * ({@code ROW<`user_id` BIGINT, `n` BIGINT NOT NULL>}) or, for types a string cannot carry (time
 * attributes, RAW), a JSON object {@code {"type":"ROW","fields":[{"name","fieldType"}]}}.
 */
public final class RowTypes {

    /** One column: its name and its type as written (a JSON type in compact form). */
    public record Field(String name, String type) {}

    private RowTypes() {}

    public static List<Field> fields(JsonNode rowType) {
        List<Field> fields = new ArrayList<>();
        if (rowType.isTextual()) {
            String text = rowType.asText().trim();
            if (!text.startsWith("ROW<") || !text.endsWith(">")) {
                return List.of(new Field("", text));
            }
            for (String part : splitTopLevel(text.substring(4, text.length() - 1))) {
                fields.add(field(part.trim()));
            }
        } else if (rowType.isObject()) {
            for (JsonNode field : rowType.path("fields")) {
                JsonNode type = field.path("fieldType");
                fields.add(new Field(field.path("name").asText(), type.isTextual() ? type.asText() : type.toString()));
            }
        }
        return fields;
    }

    public static List<String> types(JsonNode rowType) {
        return fields(rowType).stream().map(Field::type).toList();
    }

    private static Field field(String part) {
        if (!part.startsWith("`")) {
            int space = part.indexOf(' ');
            return space < 0 ? new Field("", part) : new Field(part.substring(0, space), part.substring(space + 1));
        }
        StringBuilder name = new StringBuilder();
        int i = 1;
        while (i < part.length()) {
            char c = part.charAt(i);
            if (c == '`') {
                if (i + 1 < part.length() && part.charAt(i + 1) == '`') {
                    name.append('`');
                    i += 2;
                    continue;
                }
                break;
            }
            name.append(c);
            i++;
        }
        return new Field(
                name.toString(), part.substring(Math.min(i + 1, part.length())).trim());
    }

    /** Splits on commas outside of {@code <>}, {@code ()}, quotes and backticks. */
    private static List<String> splitTopLevel(String text) {
        List<String> parts = new ArrayList<>();
        int depth = 0;
        char quote = 0;
        int start = 0;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (quote != 0) {
                if (c == quote) {
                    quote = 0;
                }
            } else if (c == '`' || c == '\'') {
                quote = c;
            } else if (c == '<' || c == '(') {
                depth++;
            } else if (c == '>' || c == ')') {
                depth--;
            } else if (c == ',' && depth == 0) {
                parts.add(text.substring(start, i));
                start = i + 1;
            }
        }
        if (start < text.length()) {
            parts.add(text.substring(start));
        }
        return parts;
    }
}
