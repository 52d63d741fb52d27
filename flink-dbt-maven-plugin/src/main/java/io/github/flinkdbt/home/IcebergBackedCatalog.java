package io.github.flinkdbt.home;

import java.util.List;
import org.apache.flink.table.catalog.AbstractCatalog;
import org.apache.flink.table.catalog.CatalogDatabase;
import org.apache.flink.table.catalog.CatalogPartition;
import org.apache.flink.table.catalog.CatalogPartitionSpec;
import org.apache.flink.table.catalog.ObjectPath;
import org.apache.flink.table.catalog.exceptions.CatalogException;
import org.apache.flink.table.catalog.exceptions.DatabaseAlreadyExistException;
import org.apache.flink.table.catalog.exceptions.DatabaseNotEmptyException;
import org.apache.flink.table.catalog.exceptions.DatabaseNotExistException;
import org.apache.flink.table.catalog.exceptions.TableAlreadyExistException;
import org.apache.flink.table.catalog.exceptions.TableNotExistException;
import org.apache.flink.table.catalog.exceptions.TableNotPartitionedException;
import org.apache.flink.table.catalog.stats.CatalogColumnStatistics;
import org.apache.flink.table.catalog.stats.CatalogTableStatistics;
import org.apache.flink.table.expressions.Expression;
import org.apache.iceberg.flink.FlinkCatalog;

/**
 * The part of {@link PersistentCatalog} that is Iceberg's alone: databases (Iceberg namespaces),
 * partitions and statistics, passed to Iceberg's Flink catalog.
 */
abstract class IcebergBackedCatalog extends AbstractCatalog {

    protected final FlinkCatalog iceberg;

    IcebergBackedCatalog(String name, FlinkCatalog iceberg) {
        super(name, "default");
        this.iceberg = iceberg;
    }

    @Override
    public void open() throws CatalogException {
        iceberg.open();
    }

    @Override
    public void close() throws CatalogException {
        iceberg.close();
    }

    @Override
    public List<String> listDatabases() throws CatalogException {
        return iceberg.listDatabases();
    }

    @Override
    public CatalogDatabase getDatabase(String name) throws DatabaseNotExistException, CatalogException {
        return iceberg.getDatabase(name);
    }

    @Override
    public boolean databaseExists(String name) throws CatalogException {
        return iceberg.databaseExists(name);
    }

    @Override
    public void createDatabase(String name, CatalogDatabase database, boolean ignoreIfExists)
            throws DatabaseAlreadyExistException, CatalogException {
        iceberg.createDatabase(name, database, ignoreIfExists);
    }

    @Override
    public void dropDatabase(String name, boolean ignoreIfNotExists, boolean cascade)
            throws DatabaseNotExistException, DatabaseNotEmptyException, CatalogException {
        iceberg.dropDatabase(name, ignoreIfNotExists, cascade);
    }

    @Override
    public void alterDatabase(String name, CatalogDatabase database, boolean ignoreIfNotExists)
            throws DatabaseNotExistException, CatalogException {
        iceberg.alterDatabase(name, database, ignoreIfNotExists);
    }

    @Override
    public void renameTable(ObjectPath path, String newName, boolean ignoreIfNotExists)
            throws TableNotExistException, TableAlreadyExistException, CatalogException {
        iceberg.renameTable(path, newName, ignoreIfNotExists);
    }

    @Override
    public List<CatalogPartitionSpec> listPartitions(ObjectPath path)
            throws TableNotExistException, TableNotPartitionedException, CatalogException {
        return iceberg.listPartitions(path);
    }

    @Override
    public List<CatalogPartitionSpec> listPartitions(ObjectPath path, CatalogPartitionSpec spec)
            throws CatalogException {
        return iceberg.listPartitions(path, spec);
    }

    @Override
    public List<CatalogPartitionSpec> listPartitionsByFilter(ObjectPath path, List<Expression> filters)
            throws CatalogException {
        return iceberg.listPartitionsByFilter(path, filters);
    }

    @Override
    public CatalogPartition getPartition(ObjectPath path, CatalogPartitionSpec spec) throws CatalogException {
        return iceberg.getPartition(path, spec);
    }

    @Override
    public boolean partitionExists(ObjectPath path, CatalogPartitionSpec spec) throws CatalogException {
        return iceberg.partitionExists(path, spec);
    }

    @Override
    public void createPartition(
            ObjectPath path, CatalogPartitionSpec spec, CatalogPartition partition, boolean ignoreIfExists)
            throws CatalogException {
        iceberg.createPartition(path, spec, partition, ignoreIfExists);
    }

    @Override
    public void dropPartition(ObjectPath path, CatalogPartitionSpec spec, boolean ignoreIfNotExists)
            throws CatalogException {
        iceberg.dropPartition(path, spec, ignoreIfNotExists);
    }

    @Override
    public void alterPartition(
            ObjectPath path, CatalogPartitionSpec spec, CatalogPartition partition, boolean ignoreIfNotExists)
            throws CatalogException {
        iceberg.alterPartition(path, spec, partition, ignoreIfNotExists);
    }

    @Override
    public CatalogTableStatistics getTableStatistics(ObjectPath path) throws CatalogException {
        return CatalogTableStatistics.UNKNOWN;
    }

    @Override
    public CatalogColumnStatistics getTableColumnStatistics(ObjectPath path) throws CatalogException {
        return CatalogColumnStatistics.UNKNOWN;
    }

    @Override
    public CatalogTableStatistics getPartitionStatistics(ObjectPath path, CatalogPartitionSpec spec)
            throws CatalogException {
        return CatalogTableStatistics.UNKNOWN;
    }

    @Override
    public CatalogColumnStatistics getPartitionColumnStatistics(ObjectPath path, CatalogPartitionSpec spec)
            throws CatalogException {
        return CatalogColumnStatistics.UNKNOWN;
    }

    @Override
    public void alterTableStatistics(ObjectPath path, CatalogTableStatistics statistics, boolean ignoreIfNotExists)
            throws CatalogException {
        // statistics are Iceberg's own metadata
    }

    @Override
    public void alterTableColumnStatistics(
            ObjectPath path, CatalogColumnStatistics statistics, boolean ignoreIfNotExists) throws CatalogException {
        // statistics are Iceberg's own metadata
    }

    @Override
    public void alterPartitionStatistics(
            ObjectPath path, CatalogPartitionSpec spec, CatalogTableStatistics statistics, boolean ignoreIfNotExists)
            throws CatalogException {
        // statistics are Iceberg's own metadata
    }

    @Override
    public void alterPartitionColumnStatistics(
            ObjectPath path, CatalogPartitionSpec spec, CatalogColumnStatistics statistics, boolean ignoreIfNotExists)
            throws CatalogException {
        // statistics are Iceberg's own metadata
    }
}
