package io.github.flinkdbt.planner;

import java.util.HashMap;
import java.util.Map;
import java.util.function.Supplier;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.table.api.EnvironmentSettings;
import org.apache.flink.table.api.Table;
import org.apache.flink.table.api.TableEnvironment;

/**
 * One thread's view of the Flink planner: a streaming and (when needed) a batch
 * TableEnvironment over the shared catalogs. Create and use it on one thread only: Calcite keeps
 * per-thread metadata state that is set up when the environment is created.
 */
final class PlannerSession {

    private final PlannerSetup setup;
    private final TableEnvironment streaming;
    private TableEnvironment batch;

    PlannerSession(PlannerSetup setup) {
        this.setup = setup;
        this.streaming = create(true);
    }

    private TableEnvironment create(boolean streamingMode) {
        Configuration configuration = Configuration.fromMap(setup.configuration());
        EnvironmentSettings.Builder builder = EnvironmentSettings.newInstance()
                .withClassLoader(setup.classLoader())
                .withConfiguration(configuration);
        EnvironmentSettings settings = (streamingMode ? builder.inStreamingMode() : builder.inBatchMode()).build();
        TableEnvironment environment = withClassLoader(() -> TableEnvironment.create(settings));
        setup.catalogs().forEach(environment::registerCatalog);
        environment.useCatalog(setup.currentCatalog());
        if (setup.catalogs().get(setup.currentCatalog()).databaseExists(setup.currentDatabase())) {
            environment.useDatabase(setup.currentDatabase());
        }
        setup.functions().forEach(environment::createTemporarySystemFunction);
        return environment;
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
        return withClassLoader(() -> environment(batchMode).sqlQuery(sql));
    }

    /** Optimizes {@code INSERT INTO target <query>} in streaming mode into a compiled plan (JSON). */
    String compilePlan(Table query, String targetPath) {
        return withClassLoader(() -> query.insertInto(targetPath).compilePlan().asJsonString());
    }

    /** Optimizes and translates {@code INSERT INTO target <query>} in batch mode. */
    void explain(Table query, String targetPath) {
        withClassLoader(() -> query.insertInto(targetPath).explain());
    }

    /** Runs {@code action} with a model's own Flink options set, then restores the session's. */
    <T> T withOptions(boolean batchMode, Map<String, String> options, Supplier<T> action) {
        if (options.isEmpty()) {
            return action.get();
        }
        Configuration configuration = environment(batchMode).getConfig().getConfiguration();
        Map<String, String> previous = new HashMap<>();
        options.keySet().forEach(key -> previous.put(key, configuration.toMap().get(key)));
        options.forEach(configuration::setString);
        try {
            return action.get();
        } finally {
            previous.forEach((key, value) -> {
                if (value == null) {
                    configuration.removeKey(key);
                } else {
                    configuration.setString(key, value);
                }
            });
        }
    }

    private <T> T withClassLoader(Supplier<T> action) {
        Thread thread = Thread.currentThread();
        ClassLoader previous = thread.getContextClassLoader();
        thread.setContextClassLoader(setup.classLoader());
        try {
            return action.get();
        } finally {
            thread.setContextClassLoader(previous);
        }
    }
}
