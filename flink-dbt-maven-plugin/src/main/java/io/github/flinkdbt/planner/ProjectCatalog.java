package io.github.flinkdbt.planner;

import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.flink.table.catalog.AbstractCatalog;
import org.apache.flink.table.catalog.CatalogBaseTable;
import org.apache.flink.table.catalog.CatalogDatabase;
import org.apache.flink.table.catalog.CatalogDatabaseImpl;
import org.apache.flink.table.catalog.CatalogFunction;
import org.apache.flink.table.catalog.CatalogPartition;
import org.apache.flink.table.catalog.CatalogPartitionSpec;
import org.apache.flink.table.catalog.CatalogView;
import org.apache.flink.table.catalog.ObjectPath;
import org.apache.flink.table.catalog.ResolvedCatalogBaseTable;
import org.apache.flink.table.catalog.exceptions.DatabaseAlreadyExistException;
import org.apache.flink.table.catalog.exceptions.DatabaseNotEmptyException;
import org.apache.flink.table.catalog.exceptions.DatabaseNotExistException;
import org.apache.flink.table.catalog.exceptions.FunctionAlreadyExistException;
import org.apache.flink.table.catalog.exceptions.FunctionNotExistException;
import org.apache.flink.table.catalog.exceptions.PartitionNotExistException;
import org.apache.flink.table.catalog.exceptions.TableAlreadyExistException;
import org.apache.flink.table.catalog.exceptions.TableNotExistException;
import org.apache.flink.table.catalog.stats.CatalogColumnStatistics;
import org.apache.flink.table.catalog.stats.CatalogTableStatistics;
import org.apache.flink.table.expressions.Expression;
import org.apache.flink.table.factories.Factory;

/**
 * The catalog holding a project's sources, views and model tables while it is planned. One
 * instance is shared by all planner threads (each with its own TableEnvironment), so it is built
 * on concurrent maps and never blocks a reader. Tables carry their full connector options;
 * compiled plans refer to them by identifier only ({@code table.plan.compile.catalog-objects=IDENTIFIER}).
 *
 * <p>It holds no functions (the project's UDFs are system functions). The planner asks it for every
 * function name a query uses, so "no such function" is answered without building a stack trace.
 */
public final class ProjectCatalog extends AbstractCatalog {

    private final Map<String, CatalogDatabase> databases = new ConcurrentHashMap<>();
    private final Map<ObjectPath, CatalogBaseTable> tables = new ConcurrentHashMap<>();
    private final Factory factory;
    /** Per planner thread (so per session): tables its streaming environment resolved for itself. */
    private final ThreadLocal<Map<ObjectPath, CatalogBaseTable>> resolved = ThreadLocal.withInitial(HashMap::new);

    /**
     * The current database while planning: always empty, so a bare table name in a model never
     * resolves — whether it would have depended on which models happened to be planned first.
     * Models read others with ref() and sources with source(), which render qualified names.
     */
    static final String UNQUALIFIED = "__flink_dbt_no_bare_names__";

    /** Set while a session's batch environment works: streaming resolutions (time attributes) do not apply. */
    static final ThreadLocal<Boolean> BATCH = ThreadLocal.withInitial(() -> false);

    /** A catalog whose tables become sources and sinks through {@code factory} (or by connector when null). */
    ProjectCatalog(String name, Factory factory) {
        super(name, UNQUALIFIED);
        this.factory = factory;
        databases.put(UNQUALIFIED, new CatalogDatabaseImpl(Map.of(), null));
    }

    /** Creates the database if needed and puts (or replaces) the table or view. */
    public void put(ObjectPath path, CatalogBaseTable table) {
        databases.computeIfAbsent(path.getDatabaseName(), k -> new CatalogDatabaseImpl(Map.of(), null));
        tables.put(path, table);
        resolved.get().remove(path);
    }

    @Override
    public Optional<Factory> getFactory() {
        return Optional.ofNullable(factory);
    }

    @Override
    public void open() {}

    @Override
    public void close() {}

    @Override
    public List<String> listDatabases() {
        return new ArrayList<>(databases.keySet());
    }

    @Override
    public CatalogDatabase getDatabase(String databaseName) throws DatabaseNotExistException {
        CatalogDatabase database = databases.get(databaseName);
        if (database == null) {
            throw new DatabaseNotExistException(getName(), databaseName);
        }
        return database;
    }

    @Override
    public boolean databaseExists(String databaseName) {
        return databases.containsKey(databaseName);
    }

    @Override
    public void createDatabase(String name, CatalogDatabase database, boolean ignoreIfExists)
            throws DatabaseAlreadyExistException {
        if (databases.putIfAbsent(name, database) != null && !ignoreIfExists) {
            throw new DatabaseAlreadyExistException(getName(), name);
        }
    }

    @Override
    public void dropDatabase(String name, boolean ignoreIfNotExists, boolean cascade)
            throws DatabaseNotExistException, DatabaseNotEmptyException {
        throw new UnsupportedOperationException("The project catalog is defined by the project's files.");
    }

    @Override
    public void alterDatabase(String name, CatalogDatabase newDatabase, boolean ignoreIfNotExists) {
        throw new UnsupportedOperationException("The project catalog is defined by the project's files.");
    }

    @Override
    public List<String> listTables(String databaseName) throws DatabaseNotExistException {
        getDatabase(databaseName);
        List<String> names = new ArrayList<>();
        tables.keySet().stream()
                .filter(p -> p.getDatabaseName().equals(databaseName))
                .forEach(p -> names.add(p.getObjectName()));
        Collections.sort(names);
        return names;
    }

    @Override
    public List<String> listViews(String databaseName) throws DatabaseNotExistException {
        getDatabase(databaseName);
        List<String> names = new ArrayList<>();
        tables.forEach((path, table) -> {
            if (path.getDatabaseName().equals(databaseName) && table instanceof CatalogView) {
                names.add(path.getObjectName());
            }
        });
        Collections.sort(names);
        return names;
    }

    /** The table as registered, unresolved. */
    CatalogBaseTable shared(ObjectPath path) {
        return tables.get(path);
    }

    /** This thread's session resolved the table itself; it gets that copy from now on. */
    void resolvedForThisThread(ObjectPath path, CatalogBaseTable table) {
        resolved.get().put(path, table);
    }

    @Override
    public CatalogBaseTable getTable(ObjectPath tablePath) throws TableNotExistException {
        CatalogBaseTable own = BATCH.get() ? null : resolved.get().get(tablePath);
        if (own != null) {
            return own;
        }
        CatalogBaseTable table = tables.get(tablePath);
        if (table == null) {
            throw new TableNotExistException(getName(), tablePath);
        }
        if (BATCH.get() && table instanceof ResolvedCatalogBaseTable<?> resolvedTable) {
            // resolved in streaming mode (time attributes); batch resolves its own
            return resolvedTable.getOrigin();
        }
        return table;
    }

    @Override
    public boolean tableExists(ObjectPath tablePath) {
        return tables.containsKey(tablePath);
    }

    @Override
    public void dropTable(ObjectPath tablePath, boolean ignoreIfNotExists) throws TableNotExistException {
        if (tables.remove(tablePath) == null && !ignoreIfNotExists) {
            throw new TableNotExistException(getName(), tablePath);
        }
    }

    @Override
    public void renameTable(ObjectPath tablePath, String newTableName, boolean ignoreIfNotExists) {
        throw new UnsupportedOperationException("The project catalog is defined by the project's files.");
    }

    @Override
    public void createTable(ObjectPath tablePath, CatalogBaseTable table, boolean ignoreIfExists)
            throws TableAlreadyExistException, DatabaseNotExistException {
        if (!databaseExists(tablePath.getDatabaseName())) {
            throw new DatabaseNotExistException(getName(), tablePath.getDatabaseName());
        }
        if (tables.putIfAbsent(tablePath, table) != null && !ignoreIfExists) {
            throw new TableAlreadyExistException(getName(), tablePath);
        }
    }

    @Override
    public void alterTable(ObjectPath tablePath, CatalogBaseTable newTable, boolean ignoreIfNotExists) {
        tables.put(tablePath, newTable);
    }

    @Override
    public List<CatalogPartitionSpec> listPartitions(ObjectPath tablePath) {
        return List.of();
    }

    @Override
    public List<CatalogPartitionSpec> listPartitions(ObjectPath tablePath, CatalogPartitionSpec partitionSpec) {
        return List.of();
    }

    @Override
    public List<CatalogPartitionSpec> listPartitionsByFilter(ObjectPath tablePath, List<Expression> filters) {
        return List.of();
    }

    @Override
    public CatalogPartition getPartition(ObjectPath tablePath, CatalogPartitionSpec partitionSpec)
            throws PartitionNotExistException {
        throw new PartitionNotExistException(getName(), tablePath, partitionSpec);
    }

    @Override
    public boolean partitionExists(ObjectPath tablePath, CatalogPartitionSpec partitionSpec) {
        return false;
    }

    @Override
    public void createPartition(
            ObjectPath tablePath,
            CatalogPartitionSpec partitionSpec,
            CatalogPartition partition,
            boolean ignoreIfExists) {
        throw new UnsupportedOperationException("Partitions are managed by the table format.");
    }

    @Override
    public void dropPartition(ObjectPath tablePath, CatalogPartitionSpec partitionSpec, boolean ignoreIfNotExists) {
        throw new UnsupportedOperationException("Partitions are managed by the table format.");
    }

    @Override
    public void alterPartition(
            ObjectPath tablePath,
            CatalogPartitionSpec partitionSpec,
            CatalogPartition newPartition,
            boolean ignoreIfNotExists) {
        throw new UnsupportedOperationException("Partitions are managed by the table format.");
    }

    @Override
    public List<String> listFunctions(String dbName) {
        return List.of();
    }

    @Override
    public CatalogFunction getFunction(ObjectPath functionPath) throws FunctionNotExistException {
        throw new NoSuchFunction(getName(), functionPath);
    }

    @Override
    public boolean functionExists(ObjectPath functionPath) {
        return false;
    }

    @Override
    public void createFunction(ObjectPath functionPath, CatalogFunction function, boolean ignoreIfExists)
            throws FunctionAlreadyExistException {
        throw new UnsupportedOperationException("Declare functions under functions: in a schema file.");
    }

    @Override
    public void alterFunction(ObjectPath functionPath, CatalogFunction newFunction, boolean ignoreIfNotExists) {
        throw new UnsupportedOperationException("Declare functions under functions: in a schema file.");
    }

    @Override
    public void dropFunction(ObjectPath functionPath, boolean ignoreIfNotExists) {
        throw new UnsupportedOperationException("Declare functions under functions: in a schema file.");
    }

    @Override
    public CatalogTableStatistics getTableStatistics(ObjectPath tablePath) {
        return CatalogTableStatistics.UNKNOWN;
    }

    @Override
    public CatalogColumnStatistics getTableColumnStatistics(ObjectPath tablePath) {
        return CatalogColumnStatistics.UNKNOWN;
    }

    @Override
    public CatalogTableStatistics getPartitionStatistics(ObjectPath tablePath, CatalogPartitionSpec partitionSpec) {
        return CatalogTableStatistics.UNKNOWN;
    }

    @Override
    public CatalogColumnStatistics getPartitionColumnStatistics(
            ObjectPath tablePath, CatalogPartitionSpec partitionSpec) {
        return CatalogColumnStatistics.UNKNOWN;
    }

    @Override
    public void alterTableStatistics(
            ObjectPath tablePath, CatalogTableStatistics tableStatistics, boolean ignoreIfNotExists) {}

    @Override
    public void alterTableColumnStatistics(
            ObjectPath tablePath, CatalogColumnStatistics columnStatistics, boolean ignoreIfNotExists) {}

    @Override
    public void alterPartitionStatistics(
            ObjectPath tablePath,
            CatalogPartitionSpec partitionSpec,
            CatalogTableStatistics partitionStatistics,
            boolean ignoreIfNotExists) {}

    @Override
    public void alterPartitionColumnStatistics(
            ObjectPath tablePath,
            CatalogPartitionSpec partitionSpec,
            CatalogColumnStatistics columnStatistics,
            boolean ignoreIfNotExists) {}

    /** "No such function", without the cost of a stack trace: asked for every function call. */
    private static final class NoSuchFunction extends FunctionNotExistException {
        private static final long serialVersionUID = 1L;

        NoSuchFunction(String catalog, ObjectPath path) {
            super(catalog, path);
        }

        @Override
        public synchronized Throwable fillInStackTrace() {
            return this;
        }
    }
}
