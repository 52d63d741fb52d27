package io.github.flinkdbt.run;

import io.github.flinkdbt.api.Command;
import io.github.flinkdbt.api.Hints;
import io.github.flinkdbt.api.IcebergCatalog;
import io.github.flinkdbt.api.Invocation;
import io.github.flinkdbt.api.Settings;
import io.github.flinkdbt.cluster.FlinkCluster;
import io.github.flinkdbt.cluster.JobClasspath;
import io.github.flinkdbt.cluster.Submission;
import io.github.flinkdbt.common.ContextClassLoader;
import io.github.flinkdbt.common.FlinkDbtException;
import io.github.flinkdbt.common.ScopedOptions;
import io.github.flinkdbt.home.FlinkDbtHome;
import io.github.flinkdbt.home.PersistentCatalog;
import io.github.flinkdbt.planner.RuntimeDefinitions;
import io.github.flinkdbt.project.FunctionDefinition;
import io.github.flinkdbt.project.Project;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import org.apache.flink.api.common.JobID;
import org.apache.flink.api.dag.Pipeline;
import org.apache.flink.api.dag.Transformation;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.table.api.EnvironmentSettings;
import org.apache.flink.table.api.PlanReference;
import org.apache.flink.table.api.TableEnvironment;
import org.apache.flink.table.api.internal.TableEnvironmentImpl;
import org.apache.flink.table.api.internal.TableEnvironmentInternal;
import org.apache.flink.table.catalog.CatalogDatabaseImpl;
import org.apache.flink.table.catalog.CatalogManager;
import org.apache.flink.table.catalog.exceptions.DatabaseAlreadyExistException;
import org.apache.flink.table.delegation.Planner;
import org.apache.flink.table.functions.UserDefinedFunction;
import org.apache.flink.util.TimeUtils;

/**
 * The TableEnvironments a run submits jobs from, all over the project's persistent catalog,
 * which the file catalog store in the home directory remembers for every later JVM.
 *
 * <p>Jobs see the project's functions as system functions, as the planner did when it compiled
 * them. Views are created in a separate environment that knows them only as catalog functions,
 * so that the stored view query names them fully ({@code `flink_dbt`.`shop`.`url_path`}) and reads
 * the same from any session.
 */
public final class RunSession {

    static final String CHECKPOINT_INTERVAL = "execution.checkpointing.interval";
    static final String CHECKPOINT_MIN_PAUSE = "execution.checkpointing.min-pause";

    private final Project project;
    private final FlinkDbtHome home;
    private final IcebergCatalog icebergCatalog;
    private final FlinkCluster cluster;
    private final JobClasspath jobClasspath;
    private final ClassLoader classLoader;
    private final Hints hints;
    private final Map<String, String> configuration;
    private final Map<String, Class<? extends UserDefinedFunction>> functions = new HashMap<>();
    private TableEnvironment streaming;
    private TableEnvironment batch;
    private TableEnvironment views;

    RunSession(
            Project project,
            FlinkDbtHome home,
            IcebergCatalog icebergCatalog,
            FlinkCluster cluster,
            ClassLoader classLoader,
            JobClasspath jobClasspath,
            Map<String, String> flinkConfiguration,
            Hints hints) {
        this.project = project;
        this.home = home;
        this.icebergCatalog = icebergCatalog;
        this.cluster = cluster;
        this.jobClasspath = jobClasspath;
        this.classLoader = classLoader;
        this.configuration = configuration(home, cluster, jobClasspath, flinkConfiguration);
        this.hints = hints;
        functions.putAll(functionClasses(project, classLoader, hints));
    }

    /** The session of a run (or deploy) of {@code project} on {@code cluster}, into {@code home}. */
    static RunSession open(
            Project project, Settings settings, Invocation invocation, FlinkCluster cluster, FlinkDbtHome home) {
        List<Path> classpath = settings.compile().classpath();
        return new RunSession(
                project,
                home,
                settings.icebergCatalog(),
                cluster,
                RuntimeDefinitions.classLoader(classpath),
                JobClasspath.forCluster(
                        cluster,
                        classpath,
                        invocation.pluginClasspath(),
                        settings.compile().cacheDirectory()),
                settings.compile().flinkConfiguration(),
                invocation.hints());
    }

    /** The classes of the project's functions, by name, loaded from the project's classpath. */
    public static Map<String, Class<? extends UserDefinedFunction>> functionClasses(
            Project project, ClassLoader classLoader, Hints hints) {
        Map<String, Class<? extends UserDefinedFunction>> classes = new LinkedHashMap<>();
        for (FunctionDefinition function : project.functions()) {
            classes.put(function.name(), functionClass(function, classLoader, hints));
        }
        return classes;
    }

    /**
     * The catalog store, the remote target and the job defaults every environment shares; without
     * a home (null), no catalog store.
     */
    public static Map<String, String> configuration(
            FlinkDbtHome home,
            FlinkCluster cluster,
            JobClasspath jobClasspath,
            Map<String, String> flinkConfiguration) {
        Map<String, String> config = new HashMap<>();
        if (home != null) {
            config.put("table.catalog-store.kind", "file");
            config.put(
                    "table.catalog-store.file.path", home.catalogStore().toUri().toString());
        }
        config.putAll(cluster.submissionOptions());
        config.put(CHECKPOINT_INTERVAL, "2 s");
        // a moment between two checkpoints when a job is stopped (see FlinkCluster#stopWithSavepoint)
        config.put(CHECKPOINT_MIN_PAUSE, "1 s");
        // a job that dies without a savepoint (killed, crashed, cancelled) keeps its latest
        // checkpoint, which the next start restores when it is newer than the last savepoint
        config.put("execution.checkpointing.externalized-checkpoint-retention", "RETAIN_ON_CANCELLATION");
        config.put("restart-strategy.type", "fixed-delay");
        config.put("restart-strategy.fixed-delay.attempts", "2");
        config.put("restart-strategy.fixed-delay.delay", "1 s");
        config.put("parallelism.default", "1");
        // Iceberg's SinkV2 sink: its committables have their own serializer (the old sink's go
        // through Kryo, which cannot copy Iceberg's byte-buffer maps on Flink 2)
        config.put("table.exec.iceberg.use-v2-sink", "true");
        // the project's classes (UDFs) and the connectors for the tasks
        config.putAll(jobClasspath.options());
        config.putAll(flinkConfiguration);
        return config;
    }

    TableEnvironment streaming() {
        if (streaming == null) {
            streaming = create(true, true);
        }
        return streaming;
    }

    TableEnvironment batch() {
        if (batch == null) {
            batch = create(false, true);
        }
        return batch;
    }

    /** The environment views are created in: the project's functions as catalog functions. */
    TableEnvironment views() {
        if (views == null) {
            views = create(true, false);
        }
        return views;
    }

    CatalogManager catalogManager(TableEnvironment environment) {
        return ((TableEnvironmentInternal) environment).getCatalogManager();
    }

    PersistentCatalog catalog() {
        return (PersistentCatalog)
                catalogManager(streaming()).getCatalog(project.catalog()).orElseThrow();
    }

    ClassLoader classLoader() {
        return classLoader;
    }

    FlinkDbtHome home() {
        return home;
    }

    FlinkCluster cluster() {
        return cluster;
    }

    /** The minimum pause between checkpoints of a job with these extra options (a model's own). */
    Duration checkpointMinPause(Map<String, String> options) {
        String value = options.getOrDefault(CHECKPOINT_MIN_PAUSE, configuration.get(CHECKPOINT_MIN_PAUSE));
        return value == null ? Duration.ZERO : TimeUtils.parseDuration(value);
    }

    /**
     * Submits a streaming model's compiled plan as a job of its own, with the options set on the
     * streaming environment now (its name, checkpoint directories, its model's settings).
     *
     * @param restoreFrom the savepoint or checkpoint it starts from; null to start empty
     */
    JobID submitPlan(String planJson, String restoreFrom) {
        return submitPlan(planJson, JobID.generate(), restoreFrom);
    }

    /** The same, as job {@code jobId}: a job the cluster knows under that id already is not submitted again. */
    JobID submitPlan(String planJson, JobID jobId, String restoreFrom) {
        return submitPipeline(translate(planJson), jobId, restoreFrom);
    }

    /** A compiled plan as the job it becomes, with the options set on the streaming environment now. */
    Pipeline translate(String planJson) {
        TableEnvironmentImpl environment = (TableEnvironmentImpl) streaming();
        Planner planner = environment.getPlanner();
        List<Transformation<?>> transformations;
        try {
            transformations = planner.translatePlan(planner.loadPlan(PlanReference.fromJsonString(planJson)));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        // no query operation: the job's name comes from pipeline.name
        return environment.generatePipelineFromQueryOperation(null, transformations);
    }

    /** Submits a translated plan as job {@code jobId}, restoring {@code restoreFrom} (null: empty). */
    JobID submitPipeline(Pipeline pipeline, JobID jobId, String restoreFrom) {
        return cluster.submit(pipeline, Submission.of(jobId, restoreFrom, jobClasspath), classLoader);
    }

    Hints hints() {
        return hints;
    }

    /** Runs {@code action} with extra options on an environment (e.g. a job's name), then removes them. */
    <T> T withOptions(TableEnvironment environment, Map<String, String> options, Supplier<T> action) {
        return ScopedOptions.with(environment, options, () -> ContextClassLoader.call(classLoader, action));
    }

    private TableEnvironment create(boolean streamingMode, boolean systemFunctions) {
        EnvironmentSettings.Builder settings = EnvironmentSettings.newInstance()
                .withClassLoader(classLoader)
                .withConfiguration(Configuration.fromMap(configuration));
        return ContextClassLoader.call(classLoader, () -> {
            TableEnvironment environment = TableEnvironment.create(
                    (streamingMode ? settings.inStreamingMode() : settings.inBatchMode()).build());
            PersistentCatalog catalog =
                    PersistentCatalog.register(environment, project.catalog(), home, icebergCatalog, hints);
            environment.useCatalog(project.catalog());
            ensureDatabase(catalog, project.database());
            environment.useDatabase(project.database());
            if (systemFunctions) {
                functions.forEach(environment::createTemporarySystemFunction);
            } else {
                functions.forEach((name, type) -> {
                    environment.dropFunction(name); // the class may have changed since the last run
                    environment.createFunction(name, type);
                });
            }
            return environment;
        });
    }

    static void ensureDatabase(PersistentCatalog catalog, String database) {
        if (!catalog.databaseExists(database)) {
            try {
                catalog.createDatabase(database, new CatalogDatabaseImpl(Map.of(), null), true);
            } catch (DatabaseAlreadyExistException e) {
                // created meanwhile
            }
        }
    }

    @SuppressWarnings("unchecked")
    private static Class<? extends UserDefinedFunction> functionClass(
            FunctionDefinition function, ClassLoader classLoader, Hints hints) {
        try {
            return (Class<? extends UserDefinedFunction>) Class.forName(function.className(), true, classLoader);
        } catch (ClassNotFoundException e) {
            throw new FlinkDbtException(
                    "Function '" + function.name() + "': class " + function.className()
                            + " is not on the project's classpath. Run " + hints.command(Command.COMPILE) + " first.",
                    e);
        }
    }
}
