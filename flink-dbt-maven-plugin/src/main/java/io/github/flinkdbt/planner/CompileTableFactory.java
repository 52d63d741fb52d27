package io.github.flinkdbt.planner;

import java.util.Map;
import org.apache.flink.table.catalog.CatalogDatabaseImpl;
import org.apache.flink.table.catalog.CatalogTable;
import org.apache.flink.table.catalog.ObjectPath;
import org.apache.flink.table.catalog.ResolvedCatalogTable;
import org.apache.flink.table.catalog.ResolvedSchema;
import org.apache.flink.table.catalog.exceptions.DatabaseAlreadyExistException;
import org.apache.flink.table.catalog.exceptions.TableAlreadyExistException;
import org.apache.flink.table.catalog.exceptions.TableNotExistException;
import org.apache.hadoop.conf.Configuration;
import org.apache.iceberg.catalog.Namespace;
import org.apache.iceberg.flink.CatalogLoader;
import org.apache.iceberg.flink.FlinkCatalog;

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
final class CompileTableFactory extends IcebergRoutingTableFactory {

    private final FlinkCatalog iceberg;

    CompileTableFactory(String catalogName, String session) {
        this(new FlinkCatalog(
                catalogName,
                "default",
                Namespace.empty(),
                CatalogLoader.custom(
                        catalogName,
                        Map.of(IcebergCompileCatalog.SESSION_PROPERTY, session),
                        new Configuration(false),
                        IcebergCompileCatalog.class.getName()),
                Map.of(),
                false,
                -1));
    }

    private CompileTableFactory(FlinkCatalog iceberg) {
        super(iceberg);
        this.iceberg = iceberg;
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
                iceberg.createDatabase(path.getDatabaseName(), new CatalogDatabaseImpl(Map.of(), null), true);
            }
            iceberg.dropTable(path, true);
            iceberg.createTable(path, new ResolvedCatalogTable(physical, schema), false);
        } catch (TableAlreadyExistException | TableNotExistException | DatabaseAlreadyExistException e) {
            throw new IllegalStateException(e);
        }
    }
}
