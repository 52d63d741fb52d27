package io.github.flinkdbt.common;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.util.DefaultIndenter;
import com.fasterxml.jackson.core.util.DefaultPrettyPrinter;
import com.fasterxml.jackson.core.util.Separators;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectWriter;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.module.SimpleModule;
import java.util.LinkedHashSet;
import java.util.Set;

/**
 * The one JSON style of every file flink-dbt writes: two-space indent, LF, sorted map keys, a
 * trailing newline. Same input, same bytes.
 */
public final class Json {

    public static final ObjectMapper MAPPER =
            new ObjectMapper().configure(SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS, true);

    /** Made on first use: a build that changed nothing forks nothing and must not pay for it. */
    private static final class Lines {
        /** Sets arrive in the order they were written in (maps do by default). */
        static final ObjectMapper MAPPER = new ObjectMapper()
                .registerModule(new SimpleModule().addAbstractTypeMapping(Set.class, LinkedHashSet.class));
    }

    private static final ObjectWriter WRITER;

    static {
        DefaultIndenter indenter = new DefaultIndenter("  ", "\n");
        DefaultPrettyPrinter printer = new DefaultPrettyPrinter()
                .withSeparators(
                        Separators.createDefaultInstance().withObjectFieldValueSpacing(Separators.Spacing.AFTER))
                .withObjectIndenter(indenter)
                .withArrayIndenter(indenter);
        WRITER = MAPPER.writer(printer);
    }

    private Json() {}

    /** Pretty JSON text ending in a newline. */
    public static String write(Object value) {
        try {
            return WRITER.writeValueAsString(value) + "\n";
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * Compact JSON on one line, without a newline: for messages between JVMs, not for files. Maps keep
     * their order (the columns of a unit test's rows are in the order written), where files sort them.
     */
    public static String line(Object value) {
        try {
            return Lines.MAPPER.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Reads what {@link #line} wrote. */
    public static <T> T fromLine(String line, Class<T> type) throws JsonProcessingException {
        return Lines.MAPPER.readValue(line, type);
    }

    public static JsonNode read(String text) {
        try {
            return MAPPER.readTree(text);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("Not valid JSON: " + e.getOriginalMessage(), e);
        }
    }
}
