package io.github.flinkdbt.planner;

import java.util.List;
import org.apache.flink.table.catalog.CatalogBaseTable;
import org.apache.flink.table.catalog.CatalogDatabase;
import org.apache.flink.table.catalog.CatalogDatabaseImpl;
import org.apache.flink.table.catalog.GenericInMemoryCatalog;
import org.apache.flink.table.catalog.ObjectPath;
import org.apache.flink.table.catalog.exceptions.DatabaseAlreadyExistException;
import org.apache.flink.table.catalog.exceptions.DatabaseNotEmptyException;
import org.apache.flink.table.catalog.exceptions.DatabaseNotExistException;
import org.apache.flink.table.catalog.exceptions.TableAlreadyExistException;
import org.apache.flink.table.catalog.exceptions.TableNotExistException;

/**
 * The catalog holding a project's sources, views and model tables while it is planned. One
 * instance is shared by all planner threads (each with its own TableEnvironment), so every method
 * is synchronized. Tables carry their full connector options; compiled plans refer to them by
 * identifier only ({@code table.plan.compile.catalog-objects=IDENTIFIER}).
 */
public final class ProjectCatalog extends GenericInMemoryCatalog {

    public ProjectCatalog(String name) {
        super(name, "default");
    }

    /** Creates the database if needed and puts (or replaces) the table or view. */
    public synchronized void put(ObjectPath path, CatalogBaseTable table) {
        try {
            if (!super.databaseExists(path.getDatabaseName())) {
                super.createDatabase(path.getDatabaseName(), new CatalogDatabaseImpl(java.util.Map.of(), null), true);
            }
            if (super.tableExists(path)) {
                super.dropTable(path, true);
            }
            super.createTable(path, table, false);
        } catch (DatabaseAlreadyExistException | TableNotExistException | TableAlreadyExistException
                | DatabaseNotExistException e) {
            throw new IllegalStateException(e);
        }
    }

    @Override
    public synchronized List<String> listDatabases() {
        return super.listDatabases();
    }

    @Override
    public synchronized CatalogDatabase getDatabase(String databaseName) throws DatabaseNotExistException {
        return super.getDatabase(databaseName);
    }

    @Override
    public synchronized boolean databaseExists(String databaseName) {
        return super.databaseExists(databaseName);
    }

    @Override
    public synchronized void createDatabase(String name, CatalogDatabase db, boolean ignoreIfExists)
            throws DatabaseAlreadyExistException {
        super.createDatabase(name, db, ignoreIfExists);
    }

    @Override
    public synchronized void dropDatabase(String name, boolean ignoreIfNotExists, boolean cascade)
            throws DatabaseNotExistException, DatabaseNotEmptyException {
        super.dropDatabase(name, ignoreIfNotExists, cascade);
    }

    @Override
    public synchronized List<String> listTables(String databaseName) throws DatabaseNotExistException {
        return super.listTables(databaseName);
    }

    @Override
    public synchronized List<String> listViews(String databaseName) throws DatabaseNotExistException {
        return super.listViews(databaseName);
    }

    @Override
    public synchronized CatalogBaseTable getTable(ObjectPath tablePath) throws TableNotExistException {
        return super.getTable(tablePath);
    }

    @Override
    public synchronized boolean tableExists(ObjectPath tablePath) {
        return super.tableExists(tablePath);
    }

    @Override
    public synchronized void createTable(ObjectPath tablePath, CatalogBaseTable table, boolean ignoreIfExists)
            throws TableAlreadyExistException, DatabaseNotExistException {
        super.createTable(tablePath, table, ignoreIfExists);
    }

    @Override
    public synchronized void dropTable(ObjectPath tablePath, boolean ignoreIfNotExists) throws TableNotExistException {
        super.dropTable(tablePath, ignoreIfNotExists);
    }
}
