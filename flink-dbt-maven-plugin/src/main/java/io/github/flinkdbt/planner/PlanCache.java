package io.github.flinkdbt.planner;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.github.flinkdbt.common.AtomicFiles;
import io.github.flinkdbt.common.Json;
import io.github.flinkdbt.plan.PlanUids;
import io.github.flinkdbt.project.Materialization;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/**
 * Planner results of earlier builds, one file per model under {@code target/flink-dbt-cache},
 * keyed by the checksum of everything planning depends on. A hit means the planner is not called.
 * A damaged or foreign entry is a miss, never an error.
 */
final class PlanCache {

    private static final int FORMAT = 2; // 2: with column lineage

    private final Path directory;
    private final boolean enabled;

    PlanCache(Path directory, boolean enabled) {
        this.directory = directory;
        this.enabled = enabled;
    }

    Optional<PlannedModel> lookup(String model, String key) {
        if (!enabled) {
            return Optional.empty();
        }
        Path file = directory.resolve("models").resolve(model + ".json");
        if (!Files.isRegularFile(file)) {
            return Optional.empty();
        }
        try {
            JsonNode entry = Json.read(Files.readString(file, StandardCharsets.UTF_8));
            if (entry.path("format").asInt() != FORMAT
                    || !key.equals(entry.path("key").asText())) {
                return Optional.empty();
            }
            List<ColumnInfo> columns = columns(entry.path("columns"));
            JsonNode plan = entry.get("plan");
            return Optional.of(new PlannedModel(
                    model,
                    Materialization.valueOf(entry.path("materialization").asText()),
                    columns,
                    entry.path("tableDefinition").isTextual()
                            ? entry.get("tableDefinition").asText()
                            : null,
                    plan == null || plan.isNull() ? null : PlanUids.assign(model, plan.asText()),
                    key,
                    true,
                    inferredKey(entry),
                    columns(entry.path("incrementalColumns")),
                    lineage(entry.path("lineage"))));
        } catch (IOException | RuntimeException e) {
            return Optional.empty();
        }
    }

    void store(PlannedModel planned) {
        if (!enabled) {
            return;
        }
        ObjectNode entry = Json.MAPPER.createObjectNode();
        entry.put("format", FORMAT);
        entry.put("key", planned.cacheKey());
        entry.put("materialization", planned.materialization().name());
        putColumns(entry.putArray("columns"), planned.columns());
        putColumns(entry.putArray("incrementalColumns"), planned.incrementalColumns());
        entry.put("tableDefinition", planned.tableDefinition());
        entry.put("plan", planned.plan() == null ? null : planned.plan().json());
        ArrayNode inferredKey = entry.putArray("inferredKey");
        planned.inferredKey().forEach(inferredKey::add);
        ObjectNode lineage = entry.putObject("lineage");
        planned.lineage().forEach((column, origins) -> {
            ArrayNode array = lineage.putArray(column);
            origins.forEach(o -> array.addObject()
                    .put("relation", o.relation())
                    .put("column", o.column())
                    .put("derived", o.derived()));
        });
        write(directory.resolve("models").resolve(planned.name() + ".json"), Json.write(entry));
    }

    private static List<ColumnInfo> columns(JsonNode array) {
        List<ColumnInfo> columns = new ArrayList<>();
        for (JsonNode column : array) {
            columns.add(new ColumnInfo(
                    column.path("name").asText(),
                    column.path("type").asText(),
                    column.path("serializedType").asText()));
        }
        return List.copyOf(columns);
    }

    private static void putColumns(ArrayNode array, List<ColumnInfo> columns) {
        for (ColumnInfo column : columns) {
            array.addObject()
                    .put("name", column.name())
                    .put("type", column.type())
                    .put("serializedType", column.serializedType());
        }
    }

    private static Map<String, List<ColumnOrigin>> lineage(JsonNode object) {
        Map<String, List<ColumnOrigin>> lineage = new LinkedHashMap<>();
        object.fields().forEachRemaining(field -> {
            List<ColumnOrigin> origins = new ArrayList<>();
            field.getValue()
                    .forEach(o -> origins.add(new ColumnOrigin(
                            o.path("relation").asText(),
                            o.path("column").asText(),
                            o.path("derived").asBoolean())));
            lineage.put(field.getKey(), origins);
        });
        return lineage;
    }

    private static List<String> inferredKey(JsonNode entry) {
        List<String> key = new ArrayList<>();
        entry.path("inferredKey").forEach(column -> key.add(column.asText()));
        return List.copyOf(key);
    }

    /** Source definitions already checked by the planner. */
    Set<String> validatedSources() {
        Path file = directory.resolve("sources.json");
        Set<String> out = new TreeSet<>();
        if (enabled && Files.isRegularFile(file)) {
            try {
                Json.read(Files.readString(file, StandardCharsets.UTF_8)).forEach(n -> out.add(n.asText()));
            } catch (IOException | RuntimeException e) {
                out.clear();
            }
        }
        return out;
    }

    void storeValidatedSources(Set<String> keys) {
        if (enabled) {
            write(directory.resolve("sources.json"), Json.write(new TreeSet<>(keys)));
        }
    }

    private static void write(Path file, String content) {
        try {
            AtomicFiles.write(file, content);
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot write the plan cache " + file + ": " + e.getMessage(), e);
        }
    }
}
