package io.github.flinkdbt.planner;

import io.github.flinkdbt.common.Problems;
import io.github.flinkdbt.common.Suggestions;
import io.github.flinkdbt.project.ColumnDefinition;
import io.github.flinkdbt.project.Model;
import io.github.flinkdbt.project.Secrets;
import io.github.flinkdbt.project.SourceTable;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.flink.table.api.Schema;
import org.apache.flink.table.catalog.CatalogTable;
import org.apache.flink.table.catalog.CatalogView;
import org.apache.flink.table.catalog.Column;
import org.apache.flink.table.catalog.ResolvedCatalogView;
import org.apache.flink.table.catalog.ResolvedSchema;
import org.apache.flink.table.catalog.UniqueConstraint;
import org.apache.flink.table.types.DataType;
import org.apache.flink.table.types.logical.LocalZonedTimestampType;
import org.apache.flink.table.types.logical.LogicalType;
import org.apache.flink.table.types.logical.TimestampKind;
import org.apache.flink.table.types.logical.TimestampType;
import org.apache.flink.table.types.logical.UnresolvedUserDefinedType;
import org.apache.flink.table.types.logical.utils.LogicalTypeParser;
import org.apache.flink.table.types.utils.TypeConversions;
import org.apache.iceberg.flink.FlinkSchemaUtil;

/** Builds the Flink catalog objects for sources, views and model tables. */
final class TableDefinitions {

    private final String icebergCatalogName;
    private final String compileSession;

    TableDefinitions(String icebergCatalogName, String compileSession) {
        this.icebergCatalogName = icebergCatalogName;
        this.compileSession = compileSession;
    }

    /** A source's table, or null when its columns have problems (recorded). */
    CatalogTable source(SourceTable source, ClassLoader classLoader, Problems problems) {
        return source(source, classLoader, problems, false);
    }

    /** With {@code metadataAsPhysical}, metadata columns become plain columns (for tables that hold given rows). */
    CatalogTable source(SourceTable source, ClassLoader classLoader, Problems problems, boolean metadataAsPhysical) {
        Schema.Builder schema = Schema.newBuilder();
        boolean ok = true;
        for (ColumnDefinition column : source.columns()) {
            switch (column.kind()) {
                case COMPUTED -> schema.columnByExpression(column.name(), column.expression());
                case METADATA, PHYSICAL -> {
                    LogicalType type = parseType(column, classLoader, problems);
                    if (type == null) {
                        ok = false;
                        continue;
                    }
                    if (source.primaryKey().contains(column.name())) {
                        type = type.copy(false);
                    }
                    DataType dataType = TypeConversions.fromLogicalToDataType(type);
                    if (column.kind() == ColumnDefinition.Kind.METADATA && !metadataAsPhysical) {
                        schema.columnByMetadata(column.name(), dataType, column.expression(), false);
                    } else {
                        schema.column(column.name(), dataType);
                    }
                }
                default -> throw new IllegalStateException(column.kind().name());
            }
        }
        if (!ok) {
            return null;
        }
        if (source.watermark() != null) {
            schema.watermark(source.watermark().column(), source.watermark().strategy());
        }
        if (!source.primaryKey().isEmpty()) {
            schema.primaryKey(source.primaryKey());
        }
        return CatalogTable.newBuilder()
                .schema(schema.build())
                .comment(source.description())
                .options(source.connectorProperties())
                .build();
    }

    private static final List<String> TYPE_NAMES = List.of(
            "BIGINT",
            "INT",
            "INTEGER",
            "SMALLINT",
            "TINYINT",
            "STRING",
            "VARCHAR",
            "CHAR",
            "BOOLEAN",
            "DOUBLE",
            "FLOAT",
            "DECIMAL",
            "DATE",
            "TIME",
            "TIMESTAMP",
            "TIMESTAMP_LTZ",
            "BYTES",
            "BINARY",
            "VARBINARY",
            "ARRAY",
            "MAP",
            "MULTISET",
            "ROW");

    private static LogicalType parseType(ColumnDefinition column, ClassLoader classLoader, Problems problems) {
        LogicalType type;
        try {
            type = LogicalTypeParser.parse(column.dataType(), classLoader);
        } catch (RuntimeException e) {
            type = null;
        }
        if (type == null || hasUnresolved(type)) {
            String word = column.dataType().replaceAll("[^A-Za-z_].*$", "");
            problems.add(
                    column.position(),
                    "Column '" + column.name() + "': '" + column.dataType() + "' is not a Flink SQL type."
                            + Suggestions.didYouMean(word, TYPE_NAMES),
                    "e.g. BIGINT, STRING, VARCHAR(20), DECIMAL(10, 2), TIMESTAMP(3), TIMESTAMP_LTZ(3), BOOLEAN, "
                            + "ARRAY<STRING>, ROW<a INT, b STRING>");
            return null;
        }
        return type;
    }

    /** The parser reads unknown names as user-defined types; a source column cannot use one. */
    private static boolean hasUnresolved(LogicalType type) {
        if (type instanceof UnresolvedUserDefinedType) {
            return true;
        }
        return type.getChildren().stream().anyMatch(TableDefinitions::hasUnresolved);
    }

    /** The table a materialized model writes; null when its unique_key is wrong (recorded). */
    CatalogTable modelTable(Model model, ResolvedSchema query, Problems problems) {
        List<String> columns = query.getColumnNames();
        List<String> key = model.config().uniqueKey();
        for (String column : key) {
            if (!columns.contains(column)) {
                problems.add(
                        model.position(),
                        "unique_key column '" + column + "' is not a column of model '" + model.name() + "'."
                                + Suggestions.didYouMean(column, columns),
                        "Its columns: " + String.join(", ", columns));
                return null;
            }
        }
        Map<String, List<String>> merged = Map.of(
                "merge_update_columns", model.config().mergeUpdateColumns(),
                "merge_exclude_columns", model.config().mergeExcludeColumns());
        for (Map.Entry<String, List<String>> option : merged.entrySet()) {
            for (String column : option.getValue()) {
                if (!columns.contains(column)) {
                    problems.add(
                            model.position(),
                            option.getKey() + " names '" + column + "', which is not a column of model '" + model.name()
                                    + "'." + Suggestions.didYouMean(column, columns),
                            "Its columns: " + String.join(", ", columns));
                    return null;
                }
            }
        }
        Schema.Builder schema = Schema.newBuilder();
        for (Column column : query.getColumns()) {
            LogicalType type = withoutTimeAttribute(column.getDataType().getLogicalType());
            if (model.config().writesIceberg()) {
                type = asStoredInIceberg(type);
            }
            if (key.contains(column.getName())) {
                type = type.copy(false);
            }
            schema.column(column.getName(), TypeConversions.fromLogicalToDataType(type));
        }
        if (!key.isEmpty()) {
            schema.primaryKey(key);
        }
        return CatalogTable.newBuilder()
                .schema(schema.build())
                .comment(model.description())
                .partitionKeys(model.config().partitionBy())
                .options(modelOptions(model))
                .build();
    }

    /** The model's table options: its connector's, or the project Iceberg catalog's. */
    Map<String, String> modelOptions(Model model) {
        if (!model.config().writesIceberg()) {
            return model.config().connectorProperties();
        }
        return icebergOptions(model.config().tableProperties());
    }

    /**
     * A source over a table of the catalog, as an Iceberg table of the compile session with the
     * columns the catalog gave it; null when its columns have problems (recorded).
     */
    CatalogTable catalogTable(SourceTable source, ClassLoader classLoader, Problems problems) {
        CatalogTable table = source(source, classLoader, problems);
        return table == null ? null : table.copy(icebergOptions(Map.of()));
    }

    private Map<String, String> icebergOptions(Map<String, String> tableProperties) {
        Map<String, String> options = new TreeMap<>();
        options.put("connector", "iceberg");
        options.put("catalog-name", icebergCatalogName);
        options.put("catalog-impl", IcebergCompileCatalog.class.getName());
        options.put(IcebergCompileCatalog.SESSION_PROPERTY, compileSession);
        options.put("format-version", "2");
        options.putAll(tableProperties);
        return options;
    }

    /**
     * What identifies a model table's definition across builds (for the plan cache): columns,
     * key, partitioning and options, without this compile's session id or any secret value.
     */
    String definition(CatalogTable table, Model model) {
        Map<String, String> options = new TreeMap<>(table.getOptions());
        options.remove(IcebergCompileCatalog.SESSION_PROPERTY);
        return table.getUnresolvedSchema() + "|" + table.getPartitionKeys() + "|"
                + Secrets.redact(
                        options, model.config().secretConnectorProperties().keySet());
    }

    /** A table's schema resolved as is (physical columns and key), without asking a planner. */
    static ResolvedSchema resolve(CatalogTable table) {
        List<Column> columns = new ArrayList<>();
        table.getUnresolvedSchema().getColumns().forEach(c -> {
            Schema.UnresolvedPhysicalColumn physical = (Schema.UnresolvedPhysicalColumn) c;
            columns.add(Column.physical(physical.getName(), (DataType) physical.getDataType()));
        });
        UniqueConstraint key = table.getUnresolvedSchema()
                .getPrimaryKey()
                .map(pk -> UniqueConstraint.primaryKey(pk.getConstraintName(), pk.getColumnNames()))
                .orElse(null);
        return new ResolvedSchema(columns, List.of(), key, List.of());
    }

    /**
     * A model's view, already resolved: Flink would otherwise parse and validate the view's query
     * again on every lookup (a third of all planning time in a 500-model project).
     */
    static ResolvedCatalogView view(Model model, ResolvedSchema schema) {
        Schema.Builder builder = Schema.newBuilder();
        for (Column column : schema.getColumns()) {
            builder.column(column.getName(), column.getDataType());
        }
        String sql = model.sql().text();
        return new ResolvedCatalogView(
                CatalogView.of(builder.build(), model.description(), sql, sql, Map.of()), schema);
    }

    /**
     * The type a column has when read back from Iceberg (e.g. TIMESTAMP(3) is stored and read as
     * TIMESTAMP(6)). Plans are compiled against the table as it will exist, so the planner adds
     * the conversion to the plan instead of the sink meeting rows of another layout at run time.
     */
    static LogicalType asStoredInIceberg(LogicalType type) {
        try {
            return FlinkSchemaUtil.convert(FlinkSchemaUtil.convert(type)).copy(type.isNullable());
        } catch (RuntimeException unsupported) {
            return type; // reported when the Iceberg table is created
        }
    }

    /** Rowtime/proctime attributes are properties of a stream, not of stored columns. */
    static LogicalType withoutTimeAttribute(LogicalType type) {
        return withTimeKind(type, TimestampKind.REGULAR);
    }

    /** A timestamp type as a rowtime, proctime or regular column; other types as they are. */
    static LogicalType withTimeKind(LogicalType type, TimestampKind kind) {
        if (type instanceof TimestampType timestamp && timestamp.getKind() != kind) {
            return new TimestampType(timestamp.isNullable(), kind, timestamp.getPrecision());
        }
        if (type instanceof LocalZonedTimestampType ltz && ltz.getKind() != kind) {
            return new LocalZonedTimestampType(ltz.isNullable(), kind, ltz.getPrecision());
        }
        return type;
    }

    /** The time attribute kind of a column's type (regular for anything but a time attribute). */
    static TimestampKind timeKind(LogicalType type) {
        if (type instanceof TimestampType timestamp) {
            return timestamp.getKind();
        }
        if (type instanceof LocalZonedTimestampType ltz) {
            return ltz.getKind();
        }
        return TimestampKind.REGULAR;
    }

    /** A column's type back from its {@link ColumnInfo}, time attribute included. */
    static DataType type(ColumnInfo column, ClassLoader classLoader) {
        LogicalType type = LogicalTypeParser.parse(column.serializedType(), classLoader);
        TimestampKind kind = column.type().endsWith("*ROWTIME*")
                ? TimestampKind.ROWTIME
                : column.type().endsWith("*PROCTIME*") ? TimestampKind.PROCTIME : TimestampKind.REGULAR;
        return TypeConversions.fromLogicalToDataType(withTimeKind(type, kind));
    }
}
