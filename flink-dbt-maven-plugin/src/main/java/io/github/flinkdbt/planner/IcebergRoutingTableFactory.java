package io.github.flinkdbt.planner;

import java.util.Set;
import org.apache.flink.configuration.ConfigOption;
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
 */
class IcebergRoutingTableFactory implements DynamicTableSourceFactory, DynamicTableSinkFactory {

    private final FlinkDynamicTableFactory icebergFactory;

    IcebergRoutingTableFactory(FlinkCatalog iceberg) {
        this.icebergFactory = new FlinkDynamicTableFactory(iceberg);
    }

    @Override
    public DynamicTableSource createDynamicTableSource(Context context) {
        if (isIceberg(context)) {
            return icebergFactory.createDynamicTableSource(context);
        }
        return FactoryUtil.discoverFactory(
                        context.getClassLoader(), DynamicTableSourceFactory.class, connector(context))
                .createDynamicTableSource(context);
    }

    @Override
    public DynamicTableSink createDynamicTableSink(Context context) {
        if (isIceberg(context)) {
            return icebergFactory.createDynamicTableSink(context);
        }
        return FactoryUtil.discoverFactory(context.getClassLoader(), DynamicTableSinkFactory.class, connector(context))
                .createDynamicTableSink(context);
    }

    private static boolean isIceberg(Context context) {
        String connector = connector(context);
        return connector == null || "iceberg".equals(connector);
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
