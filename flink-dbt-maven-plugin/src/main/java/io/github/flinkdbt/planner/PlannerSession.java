package io.github.flinkdbt.planner;

import io.github.flinkdbt.common.ContextClassLoader;
import io.github.flinkdbt.common.ScopedOptions;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.function.Supplier;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.table.api.EnvironmentSettings;
import org.apache.flink.table.api.Table;
import org.apache.flink.table.api.TableEnvironment;
import org.apache.flink.table.api.internal.TableEnvironmentInternal;
import org.apache.flink.table.catalog.CatalogBaseTable;
import org.apache.flink.table.catalog.CatalogTable;
import org.apache.flink.table.catalog.ObjectIdentifier;
import org.apache.flink.table.catalog.ObjectPath;

/**
 * One planner thread's view of the Flink planner: a streaming and (when needed) a batch
 * TableEnvironment over the shared catalogs. Create and use it on one thread only: Calcite keeps
 * per-thread metadata state that is set up when the environment is created.
 */
final class PlannerSession {

    private final PlannerPool pool;
    private final TableEnvironment streaming;
    private TableEnvironment batch;
    private PlannerSetup prepared;
    private final Set<String> registered = new HashSet<>();

    PlannerSession(PlannerPool pool) {
        this.pool = pool;
        this.streaming = create(true);
    }

    private TableEnvironment create(boolean streamingMode) {
        Configuration configuration = Configuration.fromMap(pool.configuration());
        EnvironmentSettings.Builder builder = EnvironmentSettings.newInstance()
                .withClassLoader(pool.classLoader())
                .withConfiguration(configuration);
        EnvironmentSettings settings = (streamingMode ? builder.inStreamingMode() : builder.inBatchMode()).build();
        TableEnvironment environment = withClassLoader(!streamingMode, () -> TableEnvironment.create(settings));
        pool.catalogs().forEach(environment::registerCatalog);
        if (prepared != null) {
            setUp(environment, prepared);
        }
        return environment;
    }

    /** Brings the session up to the project: catalogs, functions, current catalog, resolved sources. */
    void prepare(PlannerSetup setup) {
        if (setup == null || setup == prepared) {
            return;
        }
        prepared = setup;
        setUp(streaming, setup);
        if (batch != null) {
            setUp(batch, setup);
        }
        // Each session resolves the sources once (their watermark and computed column expressions
        // belong to its planner) instead of on every lookup.
        TableEnvironmentInternal internal = (TableEnvironmentInternal) streaming;
        for (ObjectIdentifier source : setup.sources()) {
            ProjectCatalog catalog = pool.catalog(source.getCatalogName());
            ObjectPath path = source.toObjectPath();
            CatalogBaseTable table = catalog.shared(path);
            if (table instanceof CatalogTable catalogTable) {
                catalog.resolvedForThisThread(path, internal.getCatalogManager().resolveCatalogTable(catalogTable));
            }
        }
    }

    private void setUp(TableEnvironment environment, PlannerSetup setup) {
        pool.catalogs().forEach((name, catalog) -> {
            if (environment.getCatalog(name).isEmpty()) {
                environment.registerCatalog(name, catalog);
            }
        });
        environment.useCatalog(setup.currentCatalog()); // its current database: ProjectCatalog.UNQUALIFIED
        String key = System.identityHashCode(environment) + "/functions";
        if (registered.add(key)) {
            setup.functions().forEach(environment::createTemporarySystemFunction);
        }
    }

    TableEnvironment environment(boolean batchMode) {
        if (!batchMode) {
            return streaming;
        }
        if (batch == null) {
            batch = create(false);
        }
        return batch;
    }

    /** Parses and validates a query: its schema is the model's output. */
    Table query(String sql, boolean batchMode) {
        return withClassLoader(batchMode, () -> environment(batchMode).sqlQuery(sql));
    }

    /** Optimizes {@code INSERT INTO target <query>} in streaming mode into a compiled plan (JSON). */
    String compilePlan(Table query, String targetPath) {
        return withClassLoader(
                false, () -> query.insertInto(targetPath).compilePlan().asJsonString());
    }

    /** Optimizes and translates {@code INSERT INTO target <query>} in batch mode. */
    void explain(Table query, String targetPath) {
        withClassLoader(true, () -> query.insertInto(targetPath).explain());
    }

    /** Runs {@code action} with a model's own Flink options set, then restores the session's. */
    <T> T withOptions(boolean batchMode, Map<String, String> options, Supplier<T> action) {
        return ScopedOptions.with(environment(batchMode), options, action);
    }

    private <T> T withClassLoader(boolean batchMode, Supplier<T> action) {
        boolean previousMode = ProjectCatalog.BATCH.get();
        ProjectCatalog.BATCH.set(batchMode);
        try {
            return ContextClassLoader.call(pool.classLoader(), action);
        } finally {
            ProjectCatalog.BATCH.set(previousMode);
        }
    }
}
