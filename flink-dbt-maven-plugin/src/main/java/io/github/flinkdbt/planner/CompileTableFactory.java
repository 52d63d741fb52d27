package io.github.flinkdbt.planner;

import java.util.Map;
import java.util.Set;
import org.apache.flink.configuration.ConfigOption;
import org.apache.flink.table.catalog.CatalogTable;
import org.apache.flink.table.catalog.ObjectPath;
import org.apache.flink.table.catalog.ResolvedCatalogTable;
import org.apache.flink.table.catalog.ResolvedSchema;
import org.apache.flink.table.catalog.exceptions.TableAlreadyExistException;
import org.apache.flink.table.catalog.exceptions.TableNotExistException;
import org.apache.flink.table.connector.sink.DynamicTableSink;
import org.apache.flink.table.connector.source.DynamicTableSource;
import org.apache.flink.table.factories.DynamicTableSinkFactory;
import org.apache.flink.table.factories.DynamicTableSourceFactory;
import org.apache.flink.table.factories.FactoryUtil;
import org.apache.iceberg.flink.CatalogLoader;
import org.apache.iceberg.flink.FlinkCatalog;
import org.apache.iceberg.flink.FlinkDynamicTableFactory;

/**
 * How the project catalog's tables become sources and sinks while models are planned. Iceberg
 * tables go through Iceberg's own factory bound to one in-memory Iceberg catalog for the whole
 * build; every other table through the factory its {@code connector} option names.
 *
 * <p>Plans come out the same as through Iceberg's connector path ({@code 'connector'='iceberg'},
 * which is how they are restored at run time): the same {@code IcebergTableSink} and source, only
 * the table loader differs. The connector path builds a new catalog and parses Hadoop's XML
 * configuration for every table it opens, which cost more than a quarter of planning time.
 */
final class CompileTableFactory implements DynamicTableSourceFactory, DynamicTableSinkFactory {

    private final FlinkCatalog iceberg;
    private final FlinkDynamicTableFactory icebergFactory;

    CompileTableFactory(String catalogName, String session) {
        CatalogLoader loader = CatalogLoader.custom(catalogName, Map.of(IcebergCompileCatalog.SESSION_PROPERTY, session),
                new org.apache.hadoop.conf.Configuration(false), IcebergCompileCatalog.class.getName());
        this.iceberg = new FlinkCatalog(catalogName, "default", org.apache.iceberg.catalog.Namespace.empty(), loader,
                Map.of(), false, -1);
        this.icebergFactory = new FlinkDynamicTableFactory(iceberg);
    }

    /** Creates (or re-creates) the Iceberg table a model writes, so its sink and readers find it. */
    void createIcebergTable(ObjectPath path, CatalogTable table, ResolvedSchema schema) {
        CatalogTable physical = CatalogTable.newBuilder()
                .schema(table.getUnresolvedSchema())
                .comment(table.getComment())
                .partitionKeys(table.getPartitionKeys())
                .options(Map.of())
                .build();
        try {
            if (!iceberg.databaseExists(path.getDatabaseName())) {
                iceberg.createDatabase(path.getDatabaseName(),
                        new org.apache.flink.table.catalog.CatalogDatabaseImpl(Map.of(), null), true);
            }
            iceberg.dropTable(path, true);
            iceberg.createTable(path, new ResolvedCatalogTable(physical, schema), false);
        } catch (TableAlreadyExistException | TableNotExistException
                | org.apache.flink.table.catalog.exceptions.DatabaseAlreadyExistException e) {
            throw new IllegalStateException(e);
        }
    }

    @Override
    public DynamicTableSource createDynamicTableSource(Context context) {
        if (isIceberg(context)) {
            return icebergFactory.createDynamicTableSource(context);
        }
        return FactoryUtil.discoverFactory(context.getClassLoader(), DynamicTableSourceFactory.class,
                connector(context)).createDynamicTableSource(context);
    }

    @Override
    public DynamicTableSink createDynamicTableSink(Context context) {
        if (isIceberg(context)) {
            return icebergFactory.createDynamicTableSink(context);
        }
        return FactoryUtil.discoverFactory(context.getClassLoader(), DynamicTableSinkFactory.class,
                connector(context)).createDynamicTableSink(context);
    }

    private static boolean isIceberg(Context context) {
        return "iceberg".equals(connector(context));
    }

    private static String connector(Context context) {
        String connector = context.getCatalogTable().getOptions().get(FactoryUtil.CONNECTOR.key());
        if (connector == null) {
            throw new org.apache.flink.table.api.ValidationException("Table options do not contain an option key '"
                    + FactoryUtil.CONNECTOR.key() + "' for " + context.getObjectIdentifier().asSummaryString());
        }
        return connector;
    }

    @Override
    public String factoryIdentifier() {
        return "flink-dbt-compile";
    }

    @Override
    public Set<ConfigOption<?>> requiredOptions() {
        return Set.of();
    }

    @Override
    public Set<ConfigOption<?>> optionalOptions() {
        return Set.of();
    }
}
