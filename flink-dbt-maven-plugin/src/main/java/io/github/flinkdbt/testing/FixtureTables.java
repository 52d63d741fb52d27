package io.github.flinkdbt.testing;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.github.flinkdbt.common.Json;
import io.github.flinkdbt.common.Problems;
import io.github.flinkdbt.planner.ColumnInfo;
import io.github.flinkdbt.planner.RuntimeDefinitions;
import io.github.flinkdbt.project.Relation;
import io.github.flinkdbt.project.SourceTable;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.apache.flink.table.api.Schema;
import org.apache.flink.table.api.TableEnvironment;
import org.apache.flink.table.catalog.CatalogTable;
import org.apache.flink.table.catalog.Column;
import org.apache.flink.table.catalog.ResolvedSchema;
import org.apache.flink.table.types.logical.LogicalType;
import org.apache.flink.table.types.logical.LogicalTypeRoot;
import org.apache.flink.table.types.logical.TimestampKind;
import org.apache.flink.table.types.utils.TypeConversions;

/**
 * Bounded tables holding given rows: a JSON file read by Flink's filesystem connector, so that the
 * rows are parsed as Flink parses any input and the job ends when the file does. A source keeps its
 * computed columns and watermark, so event-time windows fire at the end of the input; a model's
 * event-time column gets a watermark that only the end of the input moves (no given row is late).
 */
final class FixtureTables {

    private final TestSession session;

    FixtureTables(TestSession session) {
        this.session = session;
    }

    /** A source as a bounded table over {@code file}; null with problems recorded. */
    CatalogTable source(SourceTable source, Path file, Problems problems) {
        return RuntimeDefinitions.sourceWithOptions(source, options(file), session.classLoader(), problems);
    }

    /** A model's output (columns as planned) as a bounded table over {@code file}. */
    CatalogTable model(List<ColumnInfo> columns, Path file) {
        Schema.Builder schema = Schema.newBuilder();
        for (ColumnInfo column : columns) {
            LogicalType type =
                    RuntimeDefinitions.columnType(column, session.classLoader()).getLogicalType();
            TimestampKind kind = RuntimeDefinitions.timeKind(type);
            if (kind == TimestampKind.PROCTIME) {
                schema.columnByExpression(column.name(), "PROCTIME()");
                continue;
            }
            // nullable: given rows may leave any column out (NULL, as in dbt), whatever the model guarantees
            LogicalType regular =
                    RuntimeDefinitions.withTimeKind(type, TimestampKind.REGULAR).copy(true);
            schema.column(column.name(), TypeConversions.fromLogicalToDataType(regular));
            if (kind == TimestampKind.ROWTIME) {
                // a NULL watermark is never emitted: only the end of the input moves time, no given row is late
                schema.watermark(column.name(), "CAST(NULL AS " + regular.asSerializableString() + ")");
            }
        }
        return CatalogTable.newBuilder()
                .schema(schema.build())
                .options(options(file))
                .build();
    }

    /** Registers {@code table} at {@code relation} and writes {@code rows} to its file. */
    void create(TableEnvironment environment, Relation relation, CatalogTable table, Path file, FixtureRows rows) {
        session.createTemporaryTable(environment, relation, table);
        ResolvedSchema schema = session.inProjectLoader(
                () -> environment.from(relation.quoted()).getResolvedSchema());
        StringBuilder lines = new StringBuilder();
        for (Map<String, Object> row : rows.rows()) {
            ObjectNode json = Json.MAPPER.createObjectNode();
            for (Column column : schema.getColumns()) {
                if (!column.isPhysical() || !row.containsKey(column.getName())) {
                    continue;
                }
                json.putPOJO(
                        column.getName(),
                        jsonValue(
                                row.get(column.getName()), column.getDataType().getLogicalType()));
            }
            lines.append(json).append('\n');
        }
        try {
            Files.createDirectories(file.getParent());
            Files.writeString(file, lines.toString(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot write fixture " + file, e);
        }
    }

    /** Values as the JSON format reads them: timestamps in SQL form ({@code 2026-01-01 10:00:00[Z]}). */
    private static Object jsonValue(Object value, LogicalType type) {
        if (value == null) {
            return null;
        }
        LogicalTypeRoot root = type.getTypeRoot();
        if (root == LogicalTypeRoot.TIMESTAMP_WITHOUT_TIME_ZONE) {
            return String.valueOf(value).replace('T', ' ');
        }
        if (root == LogicalTypeRoot.TIMESTAMP_WITH_LOCAL_TIME_ZONE) {
            String text = String.valueOf(value).replace('T', ' ');
            return text.endsWith("Z") ? text : text + "Z";
        }
        return value;
    }

    private static Map<String, String> options(Path file) {
        return Map.of(
                "connector",
                "filesystem",
                "path",
                file.toUri().toString(),
                "format",
                "json",
                "json.fail-on-missing-field",
                "false");
    }
}
