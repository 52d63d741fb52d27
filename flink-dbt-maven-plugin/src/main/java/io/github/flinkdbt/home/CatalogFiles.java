package io.github.flinkdbt.home;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.github.flinkdbt.common.FlinkFiles;
import io.github.flinkdbt.common.Json;
import io.github.flinkdbt.planner.RuntimeDefinitions;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.flink.core.fs.FileStatus;
import org.apache.flink.core.fs.Path;
import org.apache.flink.table.api.Schema;
import org.apache.flink.table.catalog.CatalogBaseTable;
import org.apache.flink.table.catalog.CatalogFunction;
import org.apache.flink.table.catalog.CatalogFunctionImpl;
import org.apache.flink.table.catalog.CatalogPropertiesUtil;
import org.apache.flink.table.catalog.CatalogView;
import org.apache.flink.table.catalog.Column;
import org.apache.flink.table.catalog.FunctionLanguage;
import org.apache.flink.table.catalog.ObjectPath;
import org.apache.flink.table.catalog.ResolvedCatalogTable;
import org.apache.flink.table.catalog.ResolvedCatalogView;
import org.apache.flink.table.expressions.DefaultSqlFactory;
import org.apache.flink.table.types.logical.LogicalType;
import org.apache.flink.table.types.logical.TimestampKind;
import org.apache.flink.table.types.logical.utils.LogicalTypeParser;
import org.apache.flink.table.types.utils.TypeConversions;

/**
 * The definitions of the catalog objects Iceberg does not store — connector tables (sources,
 * Kafka sinks), views and functions — one JSON file each under {@code home/catalog/<database>/}.
 * Tables use Flink's own property format; files are replaced atomically and readable by the owner
 * only, since connector options may hold credentials.
 */
final class CatalogFiles {

    private final Path root;

    CatalogFiles(Path root) {
        this.root = root;
    }

    boolean exists(ObjectPath path) {
        return FlinkFiles.exists(file(path));
    }

    List<String> names(String database, String kind) {
        return FlinkFiles.list(new Path(root, database)).stream()
                .filter(status -> !status.isDir())
                .map(FileStatus::getPath)
                .filter(file ->
                        file.getName().endsWith(".json") && !file.getName().startsWith("."))
                .filter(file -> kind.equals(Json.read(read(file)).path("kind").asText()))
                .map(file -> file.getName().replaceFirst("\\.json$", ""))
                .sorted()
                .toList();
    }

    /** The Iceberg table a logical name points to, when it was replaced by another; else null. */
    String aliasTarget(ObjectPath path) {
        if (!exists(path)) {
            return null;
        }
        JsonNode json = Json.read(read(file(path)));
        return json.path("kind").asText().equals("alias") ? json.path("target").asText() : null;
    }

    void writeAlias(ObjectPath path, String target) {
        ObjectNode json = Json.MAPPER.createObjectNode();
        json.put("kind", "alias");
        json.put("target", target);
        write(file(path), json);
    }

    CatalogBaseTable read(ObjectPath path, ClassLoader classLoader) {
        JsonNode json = Json.read(read(file(path)));
        if (json.path("kind").asText().equals("view")) {
            Schema.Builder schema = Schema.newBuilder();
            for (JsonNode column : json.path("columns")) {
                schema.column(
                        column.path("name").asText(),
                        TypeConversions.fromLogicalToDataType(RuntimeDefinitions.withTimeKind(
                                LogicalTypeParser.parse(column.path("type").asText(), classLoader),
                                TimestampKind.valueOf(column.path("time").asText("REGULAR")))));
            }
            return CatalogView.of(
                    schema.build(),
                    text(json, "comment"),
                    json.path("originalQuery").asText(),
                    json.path("expandedQuery").asText(),
                    Map.of());
        }
        Map<String, String> properties = new TreeMap<>();
        json.path("properties")
                .fields()
                .forEachRemaining(e -> properties.put(e.getKey(), e.getValue().asText()));
        return CatalogPropertiesUtil.deserializeCatalogTable(properties);
    }

    void writeTable(ObjectPath path, ResolvedCatalogTable table) {
        ObjectNode json = Json.MAPPER.createObjectNode();
        json.put("kind", "table");
        ObjectNode properties = json.putObject("properties");
        new TreeMap<>(CatalogPropertiesUtil.serializeCatalogTable(table, DefaultSqlFactory.INSTANCE))
                .forEach(properties::put);
        write(file(path), json);
    }

    void writeView(ObjectPath path, ResolvedCatalogView view) {
        ObjectNode json = Json.MAPPER.createObjectNode();
        json.put("kind", "view");
        json.put("comment", view.getComment());
        json.put("originalQuery", view.getOriginalQuery());
        json.put("expandedQuery", view.getExpandedQuery());
        ArrayNode columns = json.putArray("columns");
        for (Column column : view.getResolvedSchema().getColumns()) {
            LogicalType type = column.getDataType().getLogicalType();
            columns.addObject()
                    .put("name", column.getName())
                    .put("type", type.asSerializableString())
                    .put("time", RuntimeDefinitions.timeKind(type).name());
        }
        write(file(path), json);
    }

    /** Gives the definition at {@code from} the name {@code to} (same database), replacing it atomically. */
    void move(ObjectPath from, ObjectPath to) {
        FlinkFiles.move(file(from), file(to));
    }

    void delete(ObjectPath path) {
        FlinkFiles.delete(file(path));
    }

    boolean functionExists(ObjectPath path) {
        return FlinkFiles.exists(functionFile(path));
    }

    List<String> functions(String database) {
        return FlinkFiles.list(new Path(new Path(root, database), "functions")).stream()
                .map(f -> f.getPath().getName())
                .filter(name -> name.endsWith(".json") && !name.startsWith("."))
                .map(name -> name.replaceFirst("\\.json$", ""))
                .sorted()
                .toList();
    }

    CatalogFunction readFunction(ObjectPath path) {
        JsonNode json = Json.read(read(functionFile(path)));
        return new CatalogFunctionImpl(
                json.path("className").asText(),
                FunctionLanguage.valueOf(json.path("language").asText("JAVA")));
    }

    void writeFunction(ObjectPath path, CatalogFunction function) {
        ObjectNode json = Json.MAPPER.createObjectNode();
        json.put("kind", "function");
        json.put("className", function.getClassName());
        json.put("language", function.getFunctionLanguage().name());
        write(functionFile(path), json);
    }

    void deleteFunction(ObjectPath path) {
        FlinkFiles.delete(functionFile(path));
    }

    private Path file(ObjectPath path) {
        return new Path(new Path(root, path.getDatabaseName()), path.getObjectName() + ".json");
    }

    private Path functionFile(ObjectPath path) {
        return new Path(new Path(new Path(root, path.getDatabaseName()), "functions"), path.getObjectName() + ".json");
    }

    private static String read(Path file) {
        return FlinkFiles.read(file);
    }

    private static void write(Path file, JsonNode json) {
        FlinkFiles.write(file, Json.write(json), true);
    }

    private static String text(JsonNode json, String field) {
        return json.path(field).isTextual() ? json.path(field).asText() : null;
    }

    static List<String> union(List<String> a, List<String> b) {
        List<String> all = new ArrayList<>(a);
        b.stream().filter(name -> !all.contains(name)).forEach(all::add);
        all.sort(null);
        return all;
    }
}
