package io.github.flinkdbt.planner;

import com.fasterxml.jackson.databind.JsonNode;
import io.github.flinkdbt.common.Json;
import io.github.flinkdbt.common.Problem;
import io.github.flinkdbt.common.Problems;
import io.github.flinkdbt.plan.PlanUids;
import io.github.flinkdbt.plan.ProjectPlan;
import io.github.flinkdbt.project.Materialization;
import io.github.flinkdbt.project.Model;
import io.github.flinkdbt.project.Relation;
import io.github.flinkdbt.project.SnapshotConfig;
import io.github.flinkdbt.project.SnapshotSql;
import io.github.flinkdbt.project.SqlText;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.flink.table.api.Table;
import org.apache.flink.table.catalog.CatalogBaseTable;
import org.apache.flink.table.catalog.CatalogTable;
import org.apache.flink.table.catalog.Column;
import org.apache.flink.table.catalog.ObjectPath;
import org.apache.flink.table.catalog.ResolvedCatalogTable;
import org.apache.flink.table.catalog.ResolvedSchema;
import org.apache.flink.table.types.logical.LogicalType;

/**
 * Plans one model on the real planner: validates its query, registers what it produces (a view
 * or a table) for the models downstream, and optimizes the job it will run — a compiled plan for
 * streaming tables, a batch plan for tables and incrementals.
 */
final class ModelPlanner {

    private final Map<String, ProjectCatalog> catalogs;
    private final TableDefinitions definitions;
    private final CompileTableFactory factory;
    private final ClassLoader classLoader;

    ModelPlanner(
            Map<String, ProjectCatalog> catalogs,
            TableDefinitions definitions,
            CompileTableFactory factory,
            ClassLoader classLoader) {
        this.catalogs = catalogs;
        this.definitions = definitions;
        this.factory = factory;
        this.classLoader = classLoader;
    }

    /** The planned model, or null after recording why it cannot be planned. */
    PlannedModel plan(
            Model model, PlannerSession session, String cacheKey, PlanningErrors.Context context, Problems problems) {
        Materialization materialization = model.materialization();
        boolean batch = materialization == Materialization.TABLE
                || materialization == Materialization.INCREMENTAL
                || materialization == Materialization.SEED
                || materialization == Materialization.SNAPSHOT;
        Map<String, String> options = model.config().executionConfig();
        Table query;
        try {
            query = session.withOptions(
                    batch, options, () -> session.query(model.sql().text(), batch));
        } catch (RuntimeException e) {
            problems.add(PlanningErrors.translate(e, model.sql(), model.position(), context));
            return null;
        }
        ResolvedSchema schema = query.getResolvedSchema();
        if (!namesAreExplicit(model, schema, problems)) {
            return null;
        }
        Table planned = query;
        Map<String, List<ColumnOrigin>> lineage = session.withOptions(batch, options, () -> ColumnLineage.of(planned));
        SnapshotConfig snapshot = null;
        Table written = query;
        if (materialization == Materialization.SNAPSHOT) {
            // the table keeps the query's rows with dbt's columns: plan what a first run writes
            snapshot = SnapshotConfig.of(model.config());
            if (!SnapshotChecks.columnsFit(model, snapshot, schema, problems)) {
                return null;
            }
            String firstRun = SnapshotSql.firstRun(model.sql().text(), snapshot);
            written = session.withOptions(true, options, () -> session.query(firstRun, true));
            schema = written.getResolvedSchema();
        }
        Table toWrite = written;
        List<ColumnInfo> columns = columns(schema);
        if (materialization == Materialization.VIEW) {
            put(model.relation(), TableDefinitions.view(model, schema));
            return new PlannedModel(model.name(), materialization, columns, null, null, cacheKey, false)
                    .withLineage(lineage);
        }
        if (materialization == Materialization.EPHEMERAL) {
            return new PlannedModel(model.name(), materialization, columns, null, null, cacheKey, false)
                    .withLineage(lineage);
        }
        CatalogTable table = definitions.modelTable(model, schema, problems);
        if (table == null || !putTable(model, table, problems)) {
            return null;
        }
        String target = model.relation().quoted();
        ProjectPlan plan = null;
        try {
            if (materialization == Materialization.STREAMING_TABLE) {
                String json = session.withOptions(false, options, () -> session.compilePlan(toWrite, target));
                List<String> inferred = inferredKey(model, json, columns, problems);
                if (inferred == null) {
                    return null;
                }
                if (!inferred.isEmpty()) {
                    // planned again onto a table with that key, so that its sink applies the updates
                    PlannedModel keyed = plan(model.withUniqueKey(inferred), session, cacheKey, context, problems);
                    return keyed == null ? null : keyed.withInferredKey(inferred);
                }
                plan = PlanUids.assign(model.name(), json);
            } else {
                session.withOptions(true, options, () -> {
                    session.explain(toWrite, target);
                    return null;
                });
            }
        } catch (RuntimeException e) {
            Optional<UnsupportedOptions> unsupported = UnsupportedOptions.in(e);
            if (unsupported.isPresent()) {
                unsupported
                        .get()
                        .problems(
                                "Model '" + model.name() + "'",
                                option -> Optional.ofNullable(model.config().positionOf(option))
                                        .orElse(model.position()))
                        .forEach(problems::add);
            } else {
                problems.add(withHint(PlanningErrors.translate(e, model.sql(), model.position(), context), model));
            }
            return null;
        }
        if (snapshot != null && !SnapshotChecks.changesPlan(model, snapshot, schema, session, target, problems)) {
            return null;
        }
        List<ColumnInfo> branch = model.incrementalSql() == null
                ? List.of()
                : planIncremental(
                        model,
                        session,
                        target,
                        columns,
                        context.with(
                                "{{ this }}",
                                columns.stream().map(ColumnInfo::name).toList()),
                        problems);
        if (branch == null) {
            return null;
        }
        return new PlannedModel(
                        model.name(),
                        materialization,
                        columns,
                        definitions.definition(table, model),
                        plan,
                        cacheKey,
                        false)
                .withIncrementalColumns(branch)
                .withLineage(lineage);
    }

    /**
     * Plans the {@code is_incremental()} branch. With the full query's columns it is checked as an
     * insert into the table; with other columns (what on_schema_change is about) as a query alone.
     *
     * @return empty when its columns are the full query's, else its columns; null after recording a problem
     */
    private List<ColumnInfo> planIncremental(
            Model model,
            PlannerSession session,
            String target,
            List<ColumnInfo> columns,
            PlanningErrors.Context context,
            Problems problems) {
        SqlText sql = model.incrementalSql();
        try {
            return session.withOptions(true, model.config().executionConfig(), () -> {
                Table query = session.query(sql.text(), true);
                List<ColumnInfo> branch = columns(query.getResolvedSchema());
                List<String> names = branch.stream().map(ColumnInfo::name).toList();
                if (!names.equals(columns.stream().map(ColumnInfo::name).toList())) {
                    return branch;
                }
                session.explain(query, target);
                return List.<ColumnInfo>of();
            });
        } catch (RuntimeException e) {
            Problem problem = PlanningErrors.translate(e, sql, model.position(), context);
            problems.add(Problem.at(
                    problem.position(),
                    problem.message().replaceAll("\\.$", "") + " (in the is_incremental() branch).",
                    problem.hint()));
            return null;
        }
    }

    /** Makes a model planned earlier (or cached) readable by the models downstream. */
    void register(Model unkeyed, PlannedModel planned, Problems problems) {
        if (unkeyed.materialization() == Materialization.EPHEMERAL) {
            return;
        }
        Model model = planned.keyed(unkeyed);
        List<Column> columns = new ArrayList<>();
        for (ColumnInfo column : planned.columns()) {
            columns.add(Column.physical(column.name(), TableDefinitions.type(column, classLoader)));
        }
        ResolvedSchema schema = ResolvedSchema.of(columns);
        if (model.materialization() == Materialization.VIEW) {
            put(model.relation(), TableDefinitions.view(model, schema));
        } else {
            CatalogTable table = definitions.modelTable(model, schema, problems);
            if (table != null) {
                putTable(model, table, problems);
            }
        }
    }

    /** Registers a model's table; an Iceberg table is also created (in memory) for its sink and readers. */
    private boolean putTable(Model model, CatalogTable table, Problems problems) {
        Relation relation = model.relation();
        if (model.config().writesIceberg()) {
            try {
                factory.createIcebergTable(
                        new ObjectPath(relation.database(), relation.name()), table, TableDefinitions.resolve(table));
            } catch (RuntimeException e) {
                problems.add(
                        model.position(),
                        "Model '" + model.name() + "' cannot be stored as an Iceberg table: "
                                + PlanningErrors.message(e),
                        "Cast columns of unsupported types (e.g. INTERVAL, MULTISET) "
                                + "to types Iceberg stores, or write the model to another connector (connector_properties).");
                return false;
            }
        }
        // resolved already, so Flink does not resolve it again on every lookup
        put(relation, new ResolvedCatalogTable(table, TableDefinitions.resolve(table)));
        return true;
    }

    private void put(Relation relation, CatalogBaseTable table) {
        catalogs.get(relation.catalog()).put(new ObjectPath(relation.database(), relation.name()), table);
    }

    static List<ColumnInfo> columns(ResolvedSchema schema) {
        List<ColumnInfo> out = new ArrayList<>();
        for (Column column : schema.getColumns()) {
            LogicalType type = column.getDataType().getLogicalType();
            out.add(new ColumnInfo(
                    column.getName(),
                    type.asSummaryString(),
                    TableDefinitions.withoutTimeAttribute(type).asSerializableString()));
        }
        return out;
    }

    private static boolean namesAreExplicit(Model model, ResolvedSchema schema, Problems problems) {
        List<String> names = schema.getColumnNames();
        for (int i = 0; i < names.size(); i++) {
            if (names.get(i).matches("EXPR\\$\\d+")) {
                problems.add(
                        model.position(),
                        "Column " + (i + 1) + " of model '" + model.name() + "' has no name (Flink calls it "
                                + names.get(i) + ").",
                        "Give the expression an alias, e.g. COUNT(*) AS order_count");
                return false;
            }
        }
        return true;
    }

    /**
     * A streaming query whose result changes (aggregates, joins) writes updates. Iceberg applies
     * them only by key: without one it would append the retractions as rows. The key the planner
     * derives for the rows the sink receives (group keys, a dedup's partition keys) serves, as dbt
     * users expect of an updating model; without one it is a problem.
     *
     * @return empty when no key is needed or one is set, the key derived, or null after recording the problem
     */
    private static List<String> inferredKey(Model model, String planJson, List<ColumnInfo> columns, Problems problems) {
        if (!model.config().writesIceberg() || !model.config().uniqueKey().isEmpty()) {
            return List.of();
        }
        for (JsonNode node : Json.read(planJson).path("nodes")) {
            if (!node.path("type").asText().startsWith("stream-exec-sink")) {
                continue;
            }
            boolean updates = false;
            for (JsonNode kind : node.path("inputChangelogMode")) {
                updates |= !kind.asText().equals("INSERT");
            }
            if (!updates) {
                return List.of();
            }
            List<String> key = new ArrayList<>();
            for (JsonNode index : node.path("inputUpsertKey")) {
                if (index.asInt() < columns.size()) {
                    key.add(columns.get(index.asInt()).name());
                }
            }
            if (!key.isEmpty()) {
                return List.copyOf(key);
            }
            problems.add(
                    model.position(),
                    "Model '" + model.name() + "' produces updates (its rows change as new events arrive), but has no"
                            + " unique_key, and none follows from its query, so its Iceberg table cannot apply them.",
                    "Set the columns that identify a row in " + model.displayPath()
                            + ":\n  {{ config(unique_key='<column>') }}\nor group by them, so that the planner"
                            + " derives the key.");
            return null;
        }
        return List.of();
    }

    private static Problem withHint(Problem problem, Model model) {
        if (problem.hint() == null && problem.message().contains("doesn't support consuming update")) {
            return Problem.at(
                    problem.position(),
                    problem.message(),
                    "The connector of '" + model.name()
                            + "' only appends. Write updates to an upsert connector (e.g. upsert-kafka) with a unique_key, or "
                            + "to the default Iceberg table.");
        }
        return problem;
    }
}
