package io.github.flinkdbt.home;

import io.github.flinkdbt.api.Hints;
import io.github.flinkdbt.api.IcebergCatalog;
import io.github.flinkdbt.api.Option;
import io.github.flinkdbt.common.FlinkDbtException;
import io.github.flinkdbt.planner.IcebergRoutingTableFactory;
import java.net.URI;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.flink.table.api.TableEnvironment;
import org.apache.flink.table.catalog.CatalogBaseTable;
import org.apache.flink.table.catalog.CatalogFunction;
import org.apache.flink.table.catalog.CatalogTable;
import org.apache.flink.table.catalog.ObjectPath;
import org.apache.flink.table.catalog.ResolvedCatalogTable;
import org.apache.flink.table.catalog.ResolvedCatalogView;
import org.apache.flink.table.catalog.exceptions.CatalogException;
import org.apache.flink.table.catalog.exceptions.DatabaseNotExistException;
import org.apache.flink.table.catalog.exceptions.FunctionAlreadyExistException;
import org.apache.flink.table.catalog.exceptions.FunctionNotExistException;
import org.apache.flink.table.catalog.exceptions.TableAlreadyExistException;
import org.apache.flink.table.catalog.exceptions.TableNotExistException;
import org.apache.flink.table.factories.DynamicTableSinkFactory;
import org.apache.flink.table.factories.DynamicTableSourceFactory;
import org.apache.flink.table.factories.Factory;
import org.apache.flink.table.factories.FactoryUtil;
import org.apache.flink.table.module.Module;
import org.apache.iceberg.Table;
import org.apache.iceberg.catalog.Namespace;
import org.apache.iceberg.catalog.TableIdentifier;
import org.apache.iceberg.flink.FlinkCatalog;

/**
 * The project's catalog at run time, persistent across JVMs: Iceberg tables (the models' tables)
 * in the Iceberg catalog the project names (a Hadoop catalog in the home unless it names a REST,
 * JDBC or other one), and beside them, as files in the home, what Iceberg does not store —
 * connector tables (sources, Kafka targets), views and functions. Any JVM that opens it (a later
 * {@code run}, a test, a SQL client with the plugin's jar) sees the same objects; nothing lives in
 * a session.
 *
 * <p>One catalog serves both, so the identifiers compiled into plans and view queries
 * ({@code `flink_dbt`.`shop`.`orders`}) resolve whatever kind of object they name.
 */
public final class PersistentCatalog extends IcebergBackedCatalog {

    /** The catalog type in {@code CREATE CATALOG ... WITH ('type'='flink-dbt', 'home'='...')}. */
    public static final String TYPE = "flink-dbt";

    private static final String PHYSICAL_MARK = "__flink_dbt_v";

    /** Iceberg's write option naming its sink operators' UID (by default the table's name). */
    private static final String SINK_UID_OPTION = "uid-suffix";

    private final CatalogFiles files;

    /** Opens the catalog (Iceberg's is reached at once); one clear error when it cannot be. */
    public static PersistentCatalog open(String name, URI home, IcebergCatalog icebergCatalog) {
        return open(name, new FlinkDbtHome(home), icebergCatalog, "the catalog's definition");
    }

    private static PersistentCatalog open(
            String name, FlinkDbtHome home, IcebergCatalog icebergCatalog, String credentialsFrom) {
        try {
            return new PersistentCatalog(name, home, icebergCatalog);
        } catch (RuntimeException e) {
            throw new FlinkDbtException(
                    "Cannot open the Iceberg " + IcebergCatalogs.describe(icebergCatalog, home) + ": "
                            + FlinkDbtException.rootCause(e)
                            + "\nCheck that it is up at that address, and its credentials (from " + credentialsFrom
                            + ").",
                    e);
        }
    }

    private PersistentCatalog(String name, FlinkDbtHome home, IcebergCatalog icebergCatalog) {
        super(
                name,
                new FlinkCatalog(
                        name,
                        "default",
                        Namespace.empty(),
                        IcebergCatalogs.loader(name, home, icebergCatalog),
                        Map.of(),
                        false,
                        -1));
        this.files = new CatalogFiles(home.catalog());
    }

    /**
     * Registers the project's catalog in an environment, opened with its secrets. The home's
     * catalog store remembers its definition without them, so that a later JVM or a SQL client
     * finds the same catalog ({@link PersistentCatalogFactory}).
     */
    public static PersistentCatalog register(
            TableEnvironment environment, String name, FlinkDbtHome home, IcebergCatalog icebergCatalog, Hints hints) {
        PersistentCatalogFactory.remember(home, name, icebergCatalog);
        PersistentCatalog catalog = open(
                name,
                home,
                icebergCatalog,
                "the settings.xml <server> named by " + hints.name(Option.CATALOG_SERVER_ID));
        environment.registerCatalog(name, catalog);
        // A compiled plan's sinks are restored through a module's factory or connector discovery,
        // never through their catalog's factory (DynamicTableSinkSpec, Flink 2.1): the module gives
        // them this catalog's.
        environment.loadModule(TABLES_MODULE, new TablesModule(catalog.tableFactory()));
        return catalog;
    }

    /** The module that opens this catalog's tables in an environment ({@link #register}). */
    public static final String TABLES_MODULE = "flink-dbt-tables";

    private IcebergRoutingTableFactory tableFactory() {
        return new IcebergRoutingTableFactory(iceberg, getName());
    }

    private record TablesModule(IcebergRoutingTableFactory factory) implements Module {

        @Override
        public Optional<DynamicTableSourceFactory> getTableSourceFactory() {
            return Optional.of(factory);
        }

        @Override
        public Optional<DynamicTableSinkFactory> getTableSinkFactory() {
            return Optional.of(factory);
        }
    }

    /**
     * Iceberg tables open through the Iceberg catalog this catalog holds (credentials included,
     * none of them in a table's options or a compiled plan); other tables through the factory their
     * {@code connector} option names.
     */
    @Override
    public Optional<Factory> getFactory() {
        return Optional.of(new IcebergRoutingTableFactory(iceberg));
    }

    @Override
    public CatalogBaseTable getTable(ObjectPath path) throws TableNotExistException, CatalogException {
        String alias = files.aliasTarget(path);
        if (alias == null && files.exists(path)) {
            return files.read(path, Thread.currentThread().getContextClassLoader());
        }
        ObjectPath physical = alias == null ? path : new ObjectPath(path.getDatabaseName(), alias);
        CatalogTable table;
        try {
            table = iceberg.getTable(physical);
        } catch (TableNotExistException e) {
            throw new TableNotExistException(getName(), path, e);
        }
        // the physical table a name stands for: this catalog's table factory opens that one
        Map<String, String> options = new HashMap<>(table.getOptions());
        options.remove("src-catalog");
        options.put(FactoryUtil.CONNECTOR.key(), "iceberg");
        options.put("catalog-name", getName());
        options.put("catalog-database", physical.getDatabaseName());
        options.put("catalog-table", physical.getObjectName());
        options.put(SINK_UID_OPTION, sinkUid(physical));
        return table.copy(options);
    }

    /**
     * The UID of the operators Iceberg's sink adds to a job that writes this table (its writer, and
     * {@code Sink Committer: <uid>} for its committer): the table's name and the first characters of
     * its UUID. Their state (files written, commits pending) belongs to that one table: a table
     * replaced by another of the same name is another table, so a savepoint taken before the
     * replacement does not restore into the new table's sink (Flink refuses it, as for any
     * operator whose state has nowhere to go) instead of committing the old table's files to it.
     */
    private String sinkUid(ObjectPath physical) {
        Table table =
                iceberg.catalog().loadTable(TableIdentifier.of(physical.getDatabaseName(), physical.getObjectName()));
        return table.name() + "@" + table.uuid().toString().substring(0, 8);
    }

    /**
     * The Iceberg table behind a name. A table replaced with a new definition lives under another
     * physical name ({@link #replaceWith}); readers never see the difference.
     */
    public Table icebergTable(ObjectPath path) {
        String alias = files.aliasTarget(path);
        return iceberg.catalog()
                .loadTable(TableIdentifier.of(path.getDatabaseName(), alias == null ? path.getObjectName() : alias));
    }

    /** A new physical Iceberg table's name for a table whose definition changes. */
    public static String physicalName(String name, long version) {
        return name + PHYSICAL_MARK + version;
    }

    /**
     * Makes {@code path} name the Iceberg table {@code physical} (in the same database) in one
     * atomic step, then drops the table it named before.
     */
    public void replaceWith(ObjectPath path, String physical) {
        String previous = files.aliasTarget(path);
        boolean plainTable = previous == null && iceberg.tableExists(path);
        files.writeAlias(path, physical);
        try {
            if (previous != null && !previous.equals(physical)) {
                iceberg.dropTable(new ObjectPath(path.getDatabaseName(), previous), true);
            } else if (plainTable) {
                iceberg.dropTable(path, true);
            }
        } catch (TableNotExistException e) {
            // gone already
        }
    }

    /**
     * Replaces the view at {@code path} with the one defined at {@code staged} in one step, so a
     * reader always finds one of the two. There must be no table at {@code path}.
     */
    public void replaceView(ObjectPath staged, ObjectPath path) {
        files.move(staged, path);
    }

    @Override
    public boolean tableExists(ObjectPath path) throws CatalogException {
        return files.exists(path) || iceberg.tableExists(path);
    }

    @Override
    public List<String> listTables(String database) throws DatabaseNotExistException, CatalogException {
        List<String> physical = iceberg.listTables(database).stream()
                .filter(n -> !n.contains(PHYSICAL_MARK))
                .toList();
        return CatalogFiles.union(
                physical,
                CatalogFiles.union(
                        files.names(database, "table"),
                        CatalogFiles.union(files.names(database, "view"), files.names(database, "alias"))));
    }

    @Override
    public List<String> listViews(String database) throws CatalogException {
        return files.names(database, "view");
    }

    /** Iceberg tables go to Iceberg; connector tables and views to their definition files. */
    @Override
    public void createTable(ObjectPath path, CatalogBaseTable table, boolean ignoreIfExists)
            throws CatalogException, TableAlreadyExistException {
        if (tableExists(path)) {
            if (ignoreIfExists) {
                return;
            }
            throw new TableAlreadyExistException(getName(), path);
        }
        if (!databaseExists(path.getDatabaseName())) {
            throw new CatalogException("Database " + path.getDatabaseName() + " does not exist in " + getName());
        }
        if (table instanceof ResolvedCatalogView view) {
            files.writeView(path, view);
        } else if (table instanceof ResolvedCatalogTable resolved && !isIceberg(resolved)) {
            files.writeTable(path, resolved);
        } else if (table instanceof ResolvedCatalogTable resolved) {
            // Iceberg's catalog refuses the connector option its own tables are read with
            Map<String, String> options = new HashMap<>(resolved.getOptions());
            options.remove(FactoryUtil.CONNECTOR.key());
            iceberg.createTable(path, resolved.copy(options), false);
        } else {
            iceberg.createTable(path, table, false);
        }
    }

    @Override
    public void dropTable(ObjectPath path, boolean ignoreIfNotExists) throws TableNotExistException, CatalogException {
        String alias = files.aliasTarget(path);
        if (alias != null) {
            files.delete(path);
            iceberg.dropTable(new ObjectPath(path.getDatabaseName(), alias), true);
        } else if (files.exists(path)) {
            files.delete(path);
        } else {
            iceberg.dropTable(path, ignoreIfNotExists);
        }
    }

    @Override
    public void alterTable(ObjectPath path, CatalogBaseTable table, boolean ignoreIfNotExists)
            throws CatalogException, TableNotExistException {
        String alias = files.aliasTarget(path);
        if (!files.exists(path) || alias != null) {
            iceberg.alterTable(
                    alias == null ? path : new ObjectPath(path.getDatabaseName(), alias), table, ignoreIfNotExists);
            return;
        }
        if (table instanceof ResolvedCatalogView view) {
            files.writeView(path, view);
        } else if (table instanceof ResolvedCatalogTable resolved) {
            files.writeTable(path, resolved);
        } else {
            throw new CatalogException("Cannot alter " + path + ": expected a resolved table or view");
        }
    }

    @Override
    public List<String> listFunctions(String database) throws CatalogException {
        return files.functions(database);
    }

    @Override
    public CatalogFunction getFunction(ObjectPath path) throws FunctionNotExistException, CatalogException {
        if (!files.functionExists(path)) {
            throw new FunctionNotExistException(getName(), path);
        }
        return files.readFunction(path);
    }

    @Override
    public boolean functionExists(ObjectPath path) throws CatalogException {
        return files.functionExists(path);
    }

    @Override
    public void createFunction(ObjectPath path, CatalogFunction function, boolean ignoreIfExists)
            throws CatalogException {
        if (files.functionExists(path)) {
            if (ignoreIfExists) {
                return;
            }
            throw new CatalogException(new FunctionAlreadyExistException(getName(), path));
        }
        files.writeFunction(path, function);
    }

    @Override
    public void alterFunction(ObjectPath path, CatalogFunction function, boolean ignoreIfNotExists)
            throws CatalogException {
        files.writeFunction(path, function);
    }

    @Override
    public void dropFunction(ObjectPath path, boolean ignoreIfNotExists) throws CatalogException {
        files.deleteFunction(path);
    }

    private static boolean isIceberg(CatalogTable table) {
        String connector = table.getOptions().get(FactoryUtil.CONNECTOR.key());
        return connector == null || connector.equals("iceberg");
    }
}
