package io.github.flinkdbt.report;

import io.github.flinkdbt.common.Json;
import io.github.flinkdbt.plan.PlanOperator;
import io.github.flinkdbt.planner.ColumnInfo;
import io.github.flinkdbt.planner.ColumnOrigin;
import io.github.flinkdbt.planner.PlannedModel;
import io.github.flinkdbt.project.ColumnDefinition;
import io.github.flinkdbt.project.DataTest;
import io.github.flinkdbt.project.FunctionDefinition;
import io.github.flinkdbt.project.Materialization;
import io.github.flinkdbt.project.Model;
import io.github.flinkdbt.project.Project;
import io.github.flinkdbt.project.Relation;
import io.github.flinkdbt.project.Secrets;
import io.github.flinkdbt.project.SingularTest;
import io.github.flinkdbt.project.SourceTable;
import io.github.flinkdbt.project.UnitTest;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * {@code manifest.json}: every node of the project (models, sources, tests, unit tests,
 * functions) with config, columns and types, dependencies, checksums and output paths, plus the
 * parent and child maps; in dbt's shape where dbt has one. Secrets are redacted. Deterministic.
 */
public final class Manifest {

    public static final int FORMAT = 1;

    private Manifest() {}

    /**
     * @param planned what the planner knows of each model (columns, plans); models missing here
     *     are written without column types
     */
    public static String write(
            Project project,
            Map<String, PlannedModel> planned,
            Set<String> compiled,
            String pluginVersion,
            String flinkVersion) {
        String name = project.name();
        Map<String, Object> root = new TreeMap<>();
        Map<String, Object> metadata = new TreeMap<>();
        metadata.put("manifest_format", FORMAT);
        metadata.put("flink_dbt_version", pluginVersion);
        metadata.put("flink_version", flinkVersion);
        metadata.put("project_name", name);
        metadata.put("catalog", project.catalog());
        metadata.put("database", project.database());
        root.put("metadata", metadata);

        Map<String, Object> nodes = new TreeMap<>();
        Map<String, Set<String>> parents = new TreeMap<>();
        for (Model model : project.models().values()) {
            String id = modelId(name, model.name());
            nodes.put(id, model(project, model, planned.get(model.name()), compiled.contains(model.name())));
            Set<String> deps = new TreeSet<>();
            model.refs().forEach(r -> deps.add(modelId(name, r)));
            model.sources().forEach(s -> deps.add(sourceId(name, s)));
            parents.put(id, deps);
        }
        for (DataTest test : project.dataTests()) {
            String id = "test." + name + "." + test.uniqueName();
            nodes.put(id, dataTest(project, test));
            Set<String> deps = new TreeSet<>();
            deps.add(test.onSource() ? sourceId(name, test.attachedTo()) : modelId(name, test.attachedTo()));
            Object to = test.arguments().get("to");
            if (to != null && String.valueOf(to).matches("\\s*ref\\(['\"](\\w+)['\"]\\)\\s*")) {
                deps.add(modelId(name, String.valueOf(to).replaceAll("\\s*ref\\(['\"](\\w+)['\"]\\)\\s*", "$1")));
            }
            parents.put(id, deps);
        }
        for (SingularTest test : project.singularTests()) {
            String id = "test." + name + "." + test.name();
            nodes.put(id, singularTest(test));
            Set<String> deps = new TreeSet<>();
            test.refs().forEach(r -> deps.add(modelId(name, r)));
            test.sources().forEach(s -> deps.add(sourceId(name, s)));
            parents.put(id, deps);
        }
        root.put("nodes", nodes);

        Map<String, Object> sources = new TreeMap<>();
        for (SourceTable source : project.sources()) {
            String id = sourceId(name, source.uniqueName());
            sources.put(id, source(project, source));
            parents.put(id, Set.of());
        }
        root.put("sources", sources);

        Map<String, Object> unitTests = new TreeMap<>();
        for (UnitTest test : project.unitTests()) {
            Map<String, Object> node = new TreeMap<>();
            node.put("unique_id", "unit_test." + name + "." + test.model() + "." + test.name());
            node.put("resource_type", "unit_test");
            node.put("name", test.name());
            node.put("model", test.model());
            node.put("description", test.description());
            node.put("original_file_path", test.position().file());
            List<Object> given = new ArrayList<>();
            for (UnitTest.Input input : test.given()) {
                Map<String, Object> entry = new TreeMap<>(input.data());
                entry.put("input", input.input());
                given.add(entry);
            }
            node.put("given", given);
            node.put("expect", new TreeMap<>(test.expect()));
            node.put("overrides", new TreeMap<>(test.overrides()));
            unitTests.put((String) node.get("unique_id"), node);
        }
        root.put("unit_tests", unitTests);

        Map<String, Object> functions = new TreeMap<>();
        for (FunctionDefinition function : project.functions()) {
            Map<String, Object> node = new TreeMap<>();
            node.put("name", function.name());
            node.put("class", function.className());
            node.put("description", function.description());
            node.put("original_file_path", function.position().file());
            functions.put("function." + name + "." + function.name(), node);
        }
        root.put("functions", functions);

        Map<String, Set<String>> children = new TreeMap<>();
        parents.keySet().forEach(id -> children.put(id, new TreeSet<>()));
        parents.forEach((child, ps) -> ps.forEach(
                p -> children.computeIfAbsent(p, k -> new TreeSet<>()).add(child)));
        root.put("parent_map", parents);
        root.put("child_map", children);
        return Json.write(root);
    }

    public static String modelId(String project, String model) {
        return "model." + project + "." + model;
    }

    public static String sourceId(String project, String uniqueSource) {
        return "source." + project + "." + uniqueSource;
    }

    private static Map<String, Object> model(Project project, Model model, PlannedModel planned, boolean compiled) {
        Map<String, Object> node = new TreeMap<>();
        node.put("unique_id", modelId(project.name(), model.name()));
        node.put(
                "resource_type",
                switch (model.materialization()) {
                    case SEED -> "seed";
                    case SNAPSHOT -> "snapshot";
                    default -> "model";
                });
        node.put("name", model.name());
        node.put("original_file_path", model.path());
        node.put("checksum", Map.of("name", "sha256", "checksum", model.checksum()));
        node.put("state_checksum", model.stateChecksum());
        node.put("materialized", model.materialization().configName());
        node.put("config", redactedConfig(model));
        node.put("tags", model.config().tags());
        node.put("description", model.description() == null ? "" : model.description());
        node.put("unique_key", model.config().uniqueKey());
        if (planned != null && !planned.inferredKey().isEmpty()) {
            node.put("unique_key_inferred", true); // derived by the planner from the query, not configured
        }
        if (model.materialization() != Materialization.EPHEMERAL) {
            node.put("relation", relation(model.relation()));
        }
        Map<String, Object> depends = new TreeMap<>();
        Set<String> nodes = new TreeSet<>();
        model.refs().forEach(r -> nodes.add(modelId(project.name(), r)));
        model.sources().forEach(s -> nodes.add(sourceId(project.name(), s)));
        depends.put("nodes", nodes);
        node.put("depends_on", depends);
        node.put(
                "columns",
                columns(
                        model.columns(),
                        planned == null ? List.of() : planned.columns(),
                        planned == null ? Map.of() : planned.lineage(),
                        nodesByRelation(project)));
        if (compiled) {
            node.put("compiled_path", "compiled/" + model.name() + ".sql");
            if (model.incrementalSql() != null) {
                node.put("compiled_incremental_path", "compiled/" + model.name() + ".incremental.sql");
            }
        }
        if (planned != null && planned.plan() != null) {
            if (compiled) {
                node.put("plan_path", OutputDirectory.plan(model.name()));
            }
            List<Object> operators = new ArrayList<>();
            for (PlanOperator operator : planned.plan().statefulOperators()) {
                Map<String, Object> entry = new LinkedHashMap<>();
                entry.put("node", operator.nodeId());
                entry.put("type", operator.type());
                entry.put("role", operator.role());
                entry.put("uid_prefix", operator.uidPrefix());
                entry.put("state", operator.stateNames());
                operators.add(entry);
            }
            node.put("stateful_operators", operators);
        }
        return node;
    }

    private static Map<String, Object> redactedConfig(Model model) {
        return model.config().redactedValues();
    }

    /** The unique ids of sources and models by the {@code catalog.database.table} they live in. */
    public static Map<String, String> nodesByRelation(Project project) {
        Map<String, String> ids = new TreeMap<>();
        project.sources().forEach(s -> ids.put(s.relation().display(), sourceId(project.name(), s.uniqueName())));
        for (Model model : project.models().values()) {
            if (model.materialization() != Materialization.EPHEMERAL) {
                ids.put(model.relation().display(), modelId(project.name(), model.name()));
            }
        }
        return ids;
    }

    private static Map<String, Object> columns(
            List<ColumnDefinition> documented,
            List<ColumnInfo> planned,
            Map<String, List<ColumnOrigin>> lineage,
            Map<String, String> nodesByRelation) {
        Map<String, Object> columns = new LinkedHashMap<>();
        Map<String, String> descriptions = new TreeMap<>();
        documented.forEach(c -> descriptions.put(c.name(), c.description()));
        for (ColumnInfo column : planned) {
            Map<String, Object> entry = new TreeMap<>();
            entry.put("index", columns.size() + 1);
            entry.put("name", column.name());
            entry.put("data_type", column.type());
            entry.put("description", descriptions.getOrDefault(column.name(), ""));
            if (lineage.containsKey(column.name())) {
                List<Object> origins = new ArrayList<>();
                for (ColumnOrigin origin : lineage.get(column.name())) {
                    Map<String, Object> from = new TreeMap<>();
                    String node = nodesByRelation.get(origin.relation());
                    from.put(node == null ? "relation" : "node", node == null ? origin.relation() : node);
                    from.put("column", origin.column());
                    from.put("derived", origin.derived());
                    origins.add(from);
                }
                entry.put("lineage", origins); // computed by the Flink planner: the columns it comes from
            }
            columns.put(column.name(), entry);
        }
        for (ColumnDefinition column : documented) {
            if (!columns.containsKey(column.name())) {
                Map<String, Object> entry = new TreeMap<>();
                entry.put("name", column.name());
                entry.put("description", column.description() == null ? "" : column.description());
                columns.put(column.name(), entry);
            }
        }
        return columns;
    }

    private static Map<String, Object> source(Project project, SourceTable source) {
        Map<String, Object> node = new TreeMap<>();
        node.put("unique_id", sourceId(project.name(), source.uniqueName()));
        node.put("resource_type", "source");
        node.put("source_name", source.sourceName());
        node.put("name", source.name());
        node.put("relation", relation(source.relation()));
        node.put("original_file_path", source.position().file());
        node.put("description", source.description() == null ? "" : source.description());
        node.put("connector_properties", Secrets.redact(source.connectorProperties(), source.secretProperties()));
        node.put("primary_key", source.primaryKey());
        node.put("tags", source.tags());
        if (source.watermark() != null) {
            node.put(
                    "watermark",
                    Map.of(
                            "column",
                            source.watermark().column(),
                            "strategy",
                            source.watermark().strategy()));
        }
        Map<String, Object> columns = new LinkedHashMap<>();
        for (ColumnDefinition column : source.columns()) {
            Map<String, Object> entry = new TreeMap<>();
            entry.put("index", columns.size() + 1);
            entry.put("name", column.name());
            entry.put("data_type", column.dataType());
            entry.put("column_type", column.kind().configName());
            entry.put("expression", column.expression());
            entry.put("description", column.description() == null ? "" : column.description());
            columns.put(column.name(), entry);
        }
        node.put("columns", columns);
        return node;
    }

    private static Map<String, Object> dataTest(Project project, DataTest test) {
        Map<String, Object> node = new TreeMap<>();
        node.put("unique_id", "test." + project.name() + "." + test.uniqueName());
        node.put("resource_type", "test");
        node.put("name", test.uniqueName());
        node.put("test_metadata", Map.of("name", test.testName(), "kwargs", new TreeMap<>(test.arguments())));
        node.put(
                "attached_node",
                test.onSource()
                        ? sourceId(project.name(), test.attachedTo())
                        : modelId(project.name(), test.attachedTo()));
        node.put("column_name", test.column());
        node.put("severity", test.severity());
        node.put("where", test.where());
        node.put("original_file_path", test.position().file());
        return node;
    }

    private static Map<String, Object> singularTest(SingularTest test) {
        Map<String, Object> node = new TreeMap<>();
        node.put("resource_type", "test");
        node.put("name", test.name());
        node.put("original_file_path", test.path());
        node.put("checksum", Map.of("name", "sha256", "checksum", test.checksum()));
        node.put("compiled_path", "compiled/tests/" + test.name() + ".sql");
        return node;
    }

    private static Map<String, Object> relation(Relation relation) {
        Map<String, Object> out = new TreeMap<>();
        out.put("catalog", relation.catalog());
        out.put("database", relation.database());
        out.put("name", relation.name());
        return out;
    }
}
