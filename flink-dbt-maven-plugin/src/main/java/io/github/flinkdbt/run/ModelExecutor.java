package io.github.flinkdbt.run;

import io.github.flinkdbt.common.BuildLog;
import io.github.flinkdbt.common.FlinkDbtException;
import io.github.flinkdbt.home.PersistentCatalog;
import io.github.flinkdbt.planner.ColumnInfo;
import io.github.flinkdbt.planner.PlannedModel;
import io.github.flinkdbt.planner.RuntimeDefinitions;
import io.github.flinkdbt.project.Model;
import io.github.flinkdbt.project.Project;
import io.github.flinkdbt.project.Relation;
import io.github.flinkdbt.project.SnapshotConfig;
import io.github.flinkdbt.project.SnapshotSql;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.function.Supplier;
import org.apache.flink.api.common.JobID;
import org.apache.flink.api.dag.Pipeline;
import org.apache.flink.core.fs.Path;
import org.apache.flink.runtime.jobmaster.JobResult;
import org.apache.flink.table.api.TableEnvironment;
import org.apache.flink.table.api.TableResult;
import org.apache.flink.table.catalog.CatalogBaseTable;
import org.apache.flink.table.catalog.CatalogManager;
import org.apache.flink.table.catalog.CatalogTable;
import org.apache.flink.table.catalog.CatalogView;
import org.apache.flink.table.catalog.Column;
import org.apache.flink.table.catalog.ObjectIdentifier;
import org.apache.flink.table.catalog.ObjectPath;
import org.apache.flink.table.catalog.ResolvedCatalogTable;
import org.apache.flink.table.catalog.ResolvedSchema;
import org.apache.flink.table.catalog.exceptions.TableNotExistException;
import org.apache.iceberg.SnapshotRef;
import org.apache.iceberg.Table;

/**
 * Materializes one model in the persistent catalog: a view, a table replaced atomically, an
 * incremental append or merge, or a streaming job started from the compiled plan.
 */
final class ModelExecutor {

    /** A streaming model's job, submitted to the run's cluster; {@code result} completes when it ends. */
    record StartedJob(
            Model model,
            JobID jobId,
            CompletableFuture<JobResult> result,
            Duration checkpointMinPause,
            Table icebergTable,
            Long snapshotBefore,
            long startedAt) {}

    private final RunSession session;
    private final Project project;
    private final String projectName;
    private final boolean fullRefresh;
    private final BuildLog log;

    ModelExecutor(RunSession session, Project project, boolean fullRefresh, BuildLog log) {
        this.session = session;
        this.project = project;
        this.projectName = project.name();
        this.fullRefresh = fullRefresh;
        this.log = log;
    }

    /** Creates or replaces the model's view. Returns a short description of what was done. */
    String view(Model model) {
        TableEnvironment views = session.views();
        CatalogManager catalogs = session.catalogManager(views);
        ObjectIdentifier id = identifier(model.relation());
        dropUnlessView(catalogs, id);
        // defined under a staging name by Flink (which expands the query), then swapped in: readers
        // always find the previous view or the new one
        Relation staged = new Relation(
                model.relation().catalog(),
                model.relation().database(),
                PersistentCatalog.physicalName(model.name(), 0) + "_staged");
        catalogs.dropView(identifier(staged), true);
        session.withOptions(
                views,
                Map.of(),
                () -> views.executeSql(
                        "CREATE VIEW " + staged.quoted() + " AS\n" + model.sql().text()));
        session.catalog().replaceView(path(staged), path(model.relation()));
        return "view " + model.relation().display();
    }

    /**
     * Replaces a {@code table} model's contents in one Iceberg commit: the batch job writes a
     * staging branch; only when it succeeds does {@code main} move to it. A failed job leaves the
     * previous contents in place.
     */
    long table(Model model, PlannedModel planned, StringBuilder jobId) {
        if (!model.config().writesIceberg()) {
            ensureTable(model, planned, fullRefresh);
            insert(model, model.relation().quoted(), model.sql().text(), Map.of(), jobId);
            return -1;
        }
        PersistentCatalog catalog = session.catalog();
        CatalogManager catalogs = session.catalogManager(session.streaming());
        RunSession.ensureDatabase(catalog, model.relation().database());
        ObjectPath path = path(model.relation());
        CatalogTable wanted = RuntimeDefinitions.modelTable(model, planned.columns(), session.classLoader());
        ResolvedCatalogTable resolved = catalogs.resolveCatalogTable(wanted);
        CatalogBaseTable existing = catalog.tableExists(path) ? getTable(catalog, path) : null;
        if (existing instanceof CatalogTable
                && isIceberg(existing)
                && !fullRefresh
                && IcebergTables.matches(catalog.icebergTable(path), resolved)) {
            return replaceContents(model, catalog.icebergTable(path), jobId);
        }
        // first build, or a new definition: a table of its own, which takes the name only once full
        Relation target = existing == null
                ? model.relation()
                : new Relation(
                        model.relation().catalog(),
                        model.relation().database(),
                        PersistentCatalog.physicalName(model.name(), System.currentTimeMillis()));
        session.withOptions(session.streaming(), Map.of(), () -> {
            catalogs.createTable(wanted, identifier(target), false);
            return null;
        });
        try {
            insert(model, target.quoted(), model.sql().text(), Map.of(), jobId);
        } catch (RuntimeException e) {
            catalogs.dropTable(identifier(target), true);
            throw e;
        }
        if (existing != null) {
            catalog.replaceWith(path, target.name());
        }
        return IcebergTables.totalRows(catalog.icebergTable(path), SnapshotRef.MAIN_BRANCH);
    }

    /** Same definition: the job writes a staging branch, which replaces main in one commit. */
    private long replaceContents(Model model, Table iceberg, StringBuilder jobId) {
        IcebergTables.openStage(iceberg);
        try {
            insert(model, model.relation().quoted(), model.sql().text(), Map.of("branch", IcebergTables.STAGE), jobId);
            IcebergTables.publishStage(iceberg);
        } catch (RuntimeException e) {
            IcebergTables.discardStage(iceberg);
            throw e;
        }
        return IcebergTables.totalRows(iceberg, SnapshotRef.MAIN_BRANCH);
    }

    private static CatalogBaseTable getTable(PersistentCatalog catalog, ObjectPath path) {
        try {
            return catalog.getTable(path);
        } catch (TableNotExistException e) {
            return null;
        }
    }

    /** What the model's name holds now: its table, a view (left by a kind it had before), or null. */
    private CatalogBaseTable existing(Model model) {
        ObjectPath path = path(model.relation());
        PersistentCatalog catalog = session.catalog();
        return catalog.tableExists(path) ? getTable(catalog, path) : null;
    }

    private static boolean isIceberg(CatalogBaseTable table) {
        return "iceberg".equals(table.getOptions().get("connector"));
    }

    private static final String INSERT_OVERWRITE = "insert_overwrite";

    /** Builds a model between its pre- and post-hooks (a failing hook fails the model: the post-hooks run only after it was built). */
    <T> T withHooks(Model model, Supplier<T> build) {
        hooks("pre_hook of model '" + model.name() + "'", model.config().preHooks());
        T result = build.get();
        hooks("post_hook of model '" + model.name() + "'", model.config().postHooks());
        return result;
    }

    /** Runs hook statements in order, each to its end (a statement that starts a job waits for it). */
    void hooks(String what, List<String> statements) {
        TableEnvironment batch = session.batch();
        for (String statement : statements) {
            try {
                TableResult result = session.withOptions(batch, Map.of(), () -> batch.executeSql(statement));
                result.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("Interrupted in " + what + ".", e);
            } catch (ExecutionException | RuntimeException e) {
                Throwable cause = e instanceof ExecutionException && e.getCause() != null ? e.getCause() : e;
                // the message is the whole story (failures are reported by their root cause); the cause for -X
                IllegalStateException failed = new IllegalStateException(what + " failed on \""
                        + statement.replaceAll("\\s+", " ") + "\": " + FlinkDbtException.rootCause(cause));
                failed.addSuppressed(cause);
                throw failed;
            }
        }
    }

    /**
     * An incremental model: the full query on its first run (or with full refresh), afterwards its
     * {@code is_incremental()} variant, appended or merged by unique key.
     */
    long incremental(Model model, PlannedModel planned, StringBuilder jobId) {
        CatalogBaseTable existing = existing(model);
        if (existing instanceof CatalogView) {
            // it was a view: built whole, and the table takes the view's name in one step
            return table(model, planned, jobId);
        }
        boolean exists = existing != null;
        boolean overwrite = INSERT_OVERWRITE.equals(model.config().incrementalStrategy());
        // an overwrite replaces the partitions its rows fall in: reading only new snapshots would empty the rest of
        // them
        Map<Relation, Table> inputs = model.config().writesIceberg() && !overwrite
                ? SnapshotIncrementals.inputs(model, project, session.catalog())
                : null;
        if (inputs != null) {
            return bySnapshots(model, planned, inputs, exists, jobId);
        }
        if (!exists || fullRefresh || (model.incrementalSql() == null && !overwrite)) {
            return table(model, planned, jobId);
        }
        Table iceberg;
        String rows = (model.incrementalSql() == null ? model.sql() : model.incrementalSql()).text();
        List<String> columns = planned.columnNames();
        if (model.config().writesIceberg()) {
            // the table keeps its rows: a change of the query's columns is the model's on_schema_change
            iceberg = IcebergTables.load(session.catalog(), model.relation());
            SchemaChange.Evolved evolved = evolve(
                    model,
                    model.incrementalSql() == null ? planned.columns() : planned.columnsOfIncrementalRuns(),
                    iceberg);
            rows = evolved.rows(rows);
            columns = evolved.columnNames();
        } else {
            iceberg = ensureTable(model, planned, false);
        }
        Long before = iceberg == null ? null : IcebergTables.head(iceberg, SnapshotRef.MAIN_BRANCH);
        Map<String, String> hints =
                "merge".equals(model.config().incrementalStrategy()) ? Map.of("upsert-enabled", "true") : Map.of();
        if (!hints.isEmpty()) {
            rows = MergeColumns.query(model, columns, rows);
        }
        if (overwrite) {
            // Iceberg replaces every partition the rows fall in, in one commit (dynamic overwrite)
            write("INSERT OVERWRITE ", model, model.relation().quoted(), rows, hints, jobId);
            return iceberg == null ? -1 : IcebergTables.addedSince(iceberg, SnapshotRef.MAIN_BRANCH, before);
        }
        long written = insert(model, model.relation().quoted(), rows, hints, jobId);
        return iceberg == null ? written : IcebergTables.addedSince(iceberg, SnapshotRef.MAIN_BRANCH, before);
    }

    /**
     * A snapshot: its first run writes every row of its query as a current version; later runs
     * upsert (by scd id) the versions of new and changed rows together with the versions they close,
     * one batch job and so one Iceberg commit: a failed run changes nothing. Never rebuilt, not even
     * with a full refresh (its history exists nowhere else), as in dbt; new query columns are added.
     */
    long snapshot(Model model, PlannedModel planned, StringBuilder jobId) {
        SnapshotConfig snapshot = SnapshotConfig.of(model.config());
        String target = model.relation().quoted();
        if (!(existing(model) instanceof CatalogTable)) {
            Table table = ensureTable(model, planned, false);
            insert(model, target, SnapshotSql.firstRun(model.sql().text(), snapshot), Map.of(), jobId);
            return IcebergTables.totalRows(table, SnapshotRef.MAIN_BRANCH);
        }
        Table table = IcebergTables.load(session.catalog(), model.relation());
        evolve(model, planned.columns(), table);
        Map<String, String> tableColumns = new LinkedHashMap<>();
        for (Column column : session.catalogManager(session.streaming())
                .getTableOrError(identifier(model.relation()))
                .getResolvedSchema()
                .getColumns()) {
            tableColumns.put(
                    column.getName(), column.getDataType().getLogicalType().asSerializableString());
        }
        List<String> queryColumns = planned.columnNames().stream()
                .filter(name -> !snapshot.metaColumns().contains(name))
                .toList();
        String changes = SnapshotSql.changes(model.sql().text(), snapshot, queryColumns, tableColumns, target);
        Long before = IcebergTables.head(table, SnapshotRef.MAIN_BRANCH);
        insert(model, target, changes, Map.of("upsert-enabled", "true"), jobId);
        return IcebergTables.addedSince(table, SnapshotRef.MAIN_BRANCH, before);
    }

    /**
     * Reads only the input snapshots committed since the last run, writes a staging branch, and
     * publishes it together with the snapshots read, in one Iceberg commit.
     */
    private long bySnapshots(
            Model model, PlannedModel planned, Map<Relation, Table> inputs, boolean exists, StringBuilder jobId) {
        Table target = null;
        SchemaChange.Evolved evolved = null;
        if (exists && !fullRefresh) {
            // the table keeps its rows: a change of the query's columns is the model's on_schema_change
            target = IcebergTables.load(session.catalog(), model.relation());
            evolved = evolve(model, planned.columns(), target);
        } else if (exists) {
            target = ensureTable(model, planned, false);
        }
        SnapshotIncrementals.Plan plan = SnapshotIncrementals.plan(model, target, inputs, fullRefresh);
        SnapshotIncrementals.log(log, model, plan);
        if (plan.nothingNew()) {
            return 0;
        }
        if (target == null) {
            target = ensureTable(model, planned, false);
        }
        Long before = plan.rebuild() ? null : IcebergTables.head(target, SnapshotRef.MAIN_BRANCH);
        IcebergTables.openStage(target, !plan.rebuild());
        try {
            Map<String, String> hints = new LinkedHashMap<>();
            hints.put("branch", IcebergTables.STAGE);
            String rows = plan.sql();
            List<String> columns = planned.columnNames();
            if (evolved != null) {
                rows = evolved.rows(rows);
                columns = evolved.columnNames();
            }
            if ("merge".equals(model.config().incrementalStrategy())) {
                hints.put("upsert-enabled", "true");
                rows = plan.rebuild() ? rows : MergeColumns.query(model, columns, rows);
            }
            insert(model, model.relation().quoted(), rows, hints, jobId);
            SnapshotIncrementals.publish(target, plan.positions());
        } catch (RuntimeException e) {
            IcebergTables.discardStage(target);
            throw e;
        }
        return plan.rebuild()
                ? IcebergTables.totalRows(target, SnapshotRef.MAIN_BRANCH)
                : IcebergTables.addedSince(target, SnapshotRef.MAIN_BRANCH, before);
    }

    /** Starts a streaming model's job from its compiled plan, restoring its last savepoint. */
    StartedJob startStreaming(Model model, PlannedModel planned, Path restoreFrom) {
        Table iceberg = ensureTable(model, planned, fullRefresh);
        Long before = iceberg == null ? null : IcebergTables.head(iceberg, SnapshotRef.MAIN_BRANCH);
        long start = System.currentTimeMillis();
        JobID jobId = submitStreaming(
                model,
                planned.plan().json(),
                JobID.generate(),
                restoreFrom == null ? null : restoreFrom.toUri().toString());
        return new StartedJob(
                model,
                jobId,
                session.cluster().result(jobId),
                session.checkpointMinPause(streamingOptions(model)),
                iceberg,
                before,
                start);
    }

    /** Submits a streaming model's plan as job {@code jobId}, with its name, settings and state directories. */
    JobID submitStreaming(Model model, String planJson, JobID jobId, String restoreFrom) {
        return session.submitPipeline(translateStreaming(model, planJson), jobId, restoreFrom);
    }

    /** A streaming model's plan as its job, with its name, settings and state directories, ready to submit. */
    Pipeline translateStreaming(Model model, String planJson) {
        return session.withOptions(session.streaming(), streamingOptions(model), () -> session.translate(planJson));
    }

    /** Submits what {@link #translateStreaming} made. */
    JobID submitTranslated(Pipeline pipeline, JobID jobId, String restoreFrom) {
        return session.submitPipeline(pipeline, jobId, restoreFrom);
    }

    private Map<String, String> streamingOptions(Model model) {
        Map<String, String> options = new LinkedHashMap<>(jobOptions(model));
        Path checkpoints = session.home().checkpoints(projectName, model.name());
        options.put("execution.checkpointing.dir", checkpoints.toUri().toString());
        options.put(
                "execution.checkpointing.savepoint-dir",
                session.home().savepoints(projectName, model.name()).toUri().toString());
        return options;
    }

    private Map<String, String> jobOptions(Model model) {
        Map<String, String> options = new LinkedHashMap<>(model.config().executionConfig());
        options.put("pipeline.name", jobName(projectName, model.name()));
        return options;
    }

    /** The name a model's job is found by on a cluster. */
    static String jobName(String project, String model) {
        return "flink-dbt:" + project + ":" + model;
    }

    private long insert(Model model, String target, String sql, Map<String, String> hints, StringBuilder jobId) {
        return write("INSERT INTO ", model, target, sql, hints, jobId);
    }

    private long write(
            String verb, Model model, String target, String sql, Map<String, String> hints, StringBuilder jobId) {
        TableEnvironment batch = session.batch();
        StringBuilder statement = new StringBuilder(verb).append(target);
        if (!hints.isEmpty()) {
            statement.append(" /*+ OPTIONS(");
            String separator = "";
            for (Map.Entry<String, String> hint : hints.entrySet()) {
                statement
                        .append(separator)
                        .append('\'')
                        .append(hint.getKey())
                        .append("'='")
                        .append(hint.getValue())
                        .append('\'');
                separator = ", ";
            }
            statement.append(") */");
        }
        statement.append('\n').append(sql);
        TableResult result =
                session.withOptions(batch, jobOptions(model), () -> batch.executeSql(statement.toString()));
        result.getJobClient().ifPresent(client -> jobId.append(client.getJobID()));
        try {
            result.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("Interrupted while " + model.name() + " ran.", e);
        } catch (ExecutionException e) {
            throw new IllegalStateException(e.getCause() == null ? e : e.getCause());
        }
        return -1;
    }

    /**
     * Makes sure the model's target table exists with the columns, key and partitioning it was
     * compiled with; a table whose definition changed is recreated. Returns the Iceberg table, or
     * null for a connector target.
     */
    Table ensureTable(Model model, PlannedModel planned, boolean recreate) {
        PersistentCatalog catalog = session.catalog();
        CatalogManager catalogs = session.catalogManager(session.streaming());
        ObjectIdentifier id = identifier(model.relation());
        RunSession.ensureDatabase(catalog, model.relation().database());
        CatalogTable wanted = RuntimeDefinitions.modelTable(model, planned.columns(), session.classLoader());
        ResolvedCatalogTable resolved = catalogs.resolveCatalogTable(wanted);
        CatalogBaseTable existing =
                catalogs.getTable(id).map(t -> (CatalogBaseTable) t.getTable()).orElse(null);
        boolean iceberg = model.config().writesIceberg();
        if (existing != null
                && (recreate
                        || existing instanceof CatalogView
                        || (iceberg
                                ? !IcebergTables.matches(catalog.icebergTable(path(model.relation())), resolved)
                                : !sameDefinition(existing, wanted)))) {
            catalogs.dropTable(id, true);
            existing = null;
        }
        if (existing == null) {
            session.withOptions(session.streaming(), Map.of(), () -> {
                catalogs.createTable(wanted, id, false);
                return null;
            });
        }
        return iceberg ? IcebergTables.load(catalog, model.relation()) : null;
    }

    /** The existing table of an incremental model, evolved for the schema its planned columns make (on_schema_change). */
    private SchemaChange.Evolved evolve(Model model, List<ColumnInfo> columns, Table table) {
        CatalogTable wanted = RuntimeDefinitions.modelTable(model, columns, session.classLoader());
        ResolvedSchema schema = session.catalogManager(session.streaming())
                .resolveCatalogTable(wanted)
                .getResolvedSchema();
        return SchemaChange.apply(model, table, schema, session.hints());
    }

    private static boolean sameDefinition(CatalogBaseTable existing, CatalogTable wanted) {
        return existing instanceof CatalogTable table
                && Objects.equals(
                        table.getUnresolvedSchema().toString(),
                        wanted.getUnresolvedSchema().toString())
                && Objects.equals(table.getPartitionKeys(), wanted.getPartitionKeys())
                && Objects.equals(table.getOptions(), wanted.getOptions());
    }

    private void dropUnlessView(CatalogManager catalogs, ObjectIdentifier id) {
        catalogs.getTable(id).ifPresent(existing -> {
            if (!(existing.getTable() instanceof CatalogView)) {
                catalogs.dropTable(id, true);
            }
        });
    }

    static ObjectIdentifier identifier(Relation relation) {
        return ObjectIdentifier.of(relation.catalog(), relation.database(), relation.name());
    }

    static ObjectPath path(Relation relation) {
        return new ObjectPath(relation.database(), relation.name());
    }
}
