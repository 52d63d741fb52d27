package io.github.flinkdbt.planner;

import java.util.Map;
import java.util.Set;
import org.apache.flink.configuration.ConfigOption;
import org.apache.flink.table.catalog.ObjectIdentifier;
import org.apache.flink.table.connector.sink.DynamicTableSink;
import org.apache.flink.table.connector.source.DynamicTableSource;
import org.apache.flink.table.factories.DynamicTableSinkFactory;
import org.apache.flink.table.factories.DynamicTableSourceFactory;
import org.apache.flink.table.factories.FactoryUtil;
import org.apache.iceberg.flink.FlinkCatalog;
import org.apache.iceberg.flink.FlinkDynamicTableFactory;

/**
 * The table factory of a catalog that holds Iceberg tables next to tables of other connectors:
 * Iceberg tables (no {@code connector} option, or {@code iceberg}) go to Iceberg's factory bound
 * to one Iceberg catalog; every other table to the factory its {@code connector} option names.
 * An Iceberg table whose options name another table of that catalog ({@code catalog-database},
 * {@code catalog-table}: the physical table a name stands for) opens that one.
 */
public class IcebergRoutingTableFactory implements DynamicTableSourceFactory, DynamicTableSinkFactory {

    private static final String PHYSICAL_DATABASE = "catalog-database";
    private static final String PHYSICAL_TABLE = "catalog-table";

    private final FlinkDynamicTableFactory icebergFactory;
    private final String catalogName;

    /** Routes the Iceberg tables of any catalog to {@code iceberg}: the factory of one catalog. */
    public IcebergRoutingTableFactory(FlinkCatalog iceberg) {
        this(iceberg, null);
    }

    /**
     * Routes the Iceberg tables of the catalog {@code catalogName} to {@code iceberg}, and every
     * other table by its {@code connector}: a factory for all the tables of an environment.
     */
    public IcebergRoutingTableFactory(FlinkCatalog iceberg, String catalogName) {
        this.icebergFactory = new FlinkDynamicTableFactory(iceberg);
        this.catalogName = catalogName;
    }

    @Override
    public DynamicTableSource createDynamicTableSource(Context context) {
        if (isIceberg(context)) {
            return icebergFactory.createDynamicTableSource(physical(context));
        }
        return FactoryUtil.discoverFactory(
                        context.getClassLoader(), DynamicTableSourceFactory.class, connector(context))
                .createDynamicTableSource(context);
    }

    @Override
    public DynamicTableSink createDynamicTableSink(Context context) {
        if (isIceberg(context)) {
            return icebergFactory.createDynamicTableSink(physical(context));
        }
        return FactoryUtil.discoverFactory(context.getClassLoader(), DynamicTableSinkFactory.class, connector(context))
                .createDynamicTableSink(context);
    }

    private static Context physical(Context context) {
        Map<String, String> options = context.getCatalogTable().getOptions();
        String table = options.get(PHYSICAL_TABLE);
        if (table == null) {
            return context;
        }
        ObjectIdentifier name = context.getObjectIdentifier();
        return new FactoryUtil.DefaultDynamicTableContext(
                ObjectIdentifier.of(
                        name.getCatalogName(), options.getOrDefault(PHYSICAL_DATABASE, name.getDatabaseName()), table),
                context.getCatalogTable(),
                context.getEnrichmentOptions(),
                context.getConfiguration(),
                context.getClassLoader(),
                context.isTemporary());
    }

    private boolean isIceberg(Context context) {
        String connector = connector(context);
        return (connector == null || "iceberg".equals(connector))
                && (catalogName == null
                        || catalogName.equals(context.getObjectIdentifier().getCatalogName()));
    }

    private static String connector(Context context) {
        return context.getCatalogTable().getOptions().get(FactoryUtil.CONNECTOR.key());
    }

    @Override
    public String factoryIdentifier() {
        return "flink-dbt-routing";
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
