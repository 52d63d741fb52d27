package io.github.flinkdbt.planner;

import io.github.flinkdbt.common.Problems;
import io.github.flinkdbt.project.Model;
import io.github.flinkdbt.project.SourceTable;
import java.net.URL;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.flink.table.api.Schema;
import org.apache.flink.table.catalog.CatalogTable;
import org.apache.flink.table.types.DataType;
import org.apache.flink.table.types.logical.LogicalType;
import org.apache.flink.table.types.logical.TimestampKind;
import org.apache.flink.table.types.utils.TypeConversions;

/**
 * The catalog objects a run creates, defined exactly as the planner saw them at compile time:
 * the same source tables, and model tables with the columns the planner inferred.
 */
public final class RuntimeDefinitions {

    private RuntimeDefinitions() {}

    /** The class loader jobs are planned with: the project's classes and libraries over the plugin's. */
    public static ClassLoader classLoader(List<Path> classpath) {
        return PlannerPool.classLoader(classpath);
    }

    /** The project's classpath as URLs (for {@code pipeline.classpaths}). */
    public static List<URL> urls(List<Path> classpath) {
        return PlannerPool.urls(classpath);
    }

    /** A timestamp type as a rowtime, proctime or regular column; other types as they are. */
    public static LogicalType withTimeKind(LogicalType type, TimestampKind kind) {
        return TableDefinitions.withTimeKind(type, kind);
    }

    /** The time attribute kind of a column's type (regular for anything but a time attribute). */
    public static TimestampKind timeKind(LogicalType type) {
        return TableDefinitions.timeKind(type);
    }

    /** A source table as the models were planned against; null with problems recorded. */
    public static CatalogTable source(SourceTable source, ClassLoader classLoader, Problems problems) {
        return new TableDefinitions(null, null).source(source, classLoader, problems);
    }

    /**
     * A source table's columns, computed columns and watermark with other options; its metadata
     * columns are plain columns (tests give their values). Null with problems recorded.
     */
    public static CatalogTable sourceWithOptions(
            SourceTable source, Map<String, String> options, ClassLoader classLoader, Problems problems) {
        CatalogTable table = new TableDefinitions(null, null).source(source, classLoader, problems, true);
        return table == null ? null : table.copy(options);
    }

    /** A model column's type, time attribute included. */
    public static DataType columnType(ColumnInfo column, ClassLoader classLoader) {
        return TableDefinitions.type(column, classLoader);
    }

    /**
     * The table a materialized model writes at run time: an Iceberg table of the project catalog
     * (format v2; the unique key as primary key and Iceberg identifier fields), or a connector table.
     */
    public static CatalogTable modelTable(Model model, List<ColumnInfo> columns, ClassLoader classLoader) {
        List<String> key = model.config().uniqueKey();
        Schema.Builder schema = Schema.newBuilder();
        for (ColumnInfo column : columns) {
            LogicalType type = TableDefinitions.withoutTimeAttribute(
                    TableDefinitions.type(column, classLoader).getLogicalType());
            if (key.contains(column.name())) {
                type = type.copy(false);
            }
            schema.column(column.name(), TypeConversions.fromLogicalToDataType(type));
        }
        if (!key.isEmpty()) {
            schema.primaryKey(key);
        }
        Map<String, String> options = new TreeMap<>();
        if (model.config().writesIceberg()) {
            options.put("format-version", "2");
            options.putAll(model.config().tableProperties());
        } else {
            options.putAll(model.config().connectorProperties());
        }
        return CatalogTable.newBuilder()
                .schema(schema.build())
                .comment(model.description())
                .partitionKeys(new ArrayList<>(model.config().partitionBy()))
                .options(options)
                .build();
    }
}
