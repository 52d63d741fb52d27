package io.github.flinkdbt.report;

import io.github.flinkdbt.common.Json;
import io.github.flinkdbt.plan.PlanOperator;
import io.github.flinkdbt.planner.ColumnInfo;
import io.github.flinkdbt.planner.ColumnOrigin;
import io.github.flinkdbt.planner.PlannedModel;
import io.github.flinkdbt.project.ColumnDefinition;
import io.github.flinkdbt.project.DataTest;
import io.github.flinkdbt.project.Exposure;
import io.github.flinkdbt.project.FunctionDefinition;
import io.github.flinkdbt.project.Materialization;
import io.github.flinkdbt.project.Model;
import io.github.flinkdbt.project.Project;
import io.github.flinkdbt.project.Relation;
import io.github.flinkdbt.project.SingularTest;
import io.github.flinkdbt.project.SourceTable;
import io.github.flinkdbt.project.UnitTest;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * {@code manifest.json} in dbt's published manifest schema (v12), so that tools that read dbt
 * artifacts (catalogs, lineage tools) read this project: every node with its config, columns and
 * types, dependencies, raw and compiled code and checksums, the parent and child maps. What only
 * this project knows goes where the schema leaves room: column lineage and types on the columns,
 * plans and stateful operators under each node's {@code meta.flink_dbt}, versions in
 * {@code metadata.env}. Secrets are redacted. Deterministic (no timestamps).
 */
public final class Manifest {

    /** The project's own format within dbt's: bumped when its additions change. */
    public static final int FORMAT = 2;

    public static final String SCHEMA = "https://schemas.getdbt.com/dbt/manifest/v12.json";
    /** The dbt release whose artifact schemas these files follow. */
    public static final String DBT_VERSION = "1.11.0";

    private final Project project;
    private final String name;
    private final Map<String, String> nodesByRelation;
    private final ManifestNodes resources;
    private final Map<String, Set<String>> parents;

    private Manifest(Project project) {
        this.project = project;
        this.name = project.name();
        this.parents = parentMap(project);
        this.resources = new ManifestNodes(project, parents);
        this.nodesByRelation = nodesByRelation(project);
    }

    /**
     * @param planned what the planner knows of each model (columns, plans); models missing here
     *     are written without column types
     * @param compiled the models whose compiled SQL the output holds
     */
    public static String write(
            Project project,
            Map<String, PlannedModel> planned,
            Set<String> compiled,
            String pluginVersion,
            String flinkVersion) {
        return new Manifest(project).root(planned, compiled, pluginVersion, flinkVersion);
    }

    private String root(
            Map<String, PlannedModel> planned, Set<String> compiled, String pluginVersion, String flinkVersion) {
        Map<String, Object> root = new TreeMap<>();
        Map<String, Object> metadata = new TreeMap<>();
        metadata.put("dbt_schema_version", SCHEMA);
        metadata.put("dbt_version", DBT_VERSION);
        metadata.put("project_name", name);
        metadata.put("adapter_type", "flink");
        Map<String, String> env = new TreeMap<>();
        env.put("FLINK_DBT_VERSION", pluginVersion);
        env.put("FLINK_DBT_MANIFEST_FORMAT", String.valueOf(FORMAT));
        env.put("FLINK_VERSION", flinkVersion);
        env.put("FLINK_DBT_CATALOG", project.catalog());
        env.put("FLINK_DBT_DATABASE", project.database());
        metadata.put("env", env);
        root.put("metadata", metadata);

        Map<String, Object> nodes = new TreeMap<>();
        for (Model model : project.models().values()) {
            Map<String, Object> node = model(model, planned.get(model.name()), compiled.contains(model.name()));
            nodes.put((String) node.get("unique_id"), node);
        }
        for (DataTest test : project.dataTests()) {
            Map<String, Object> node = resources.dataTest(test);
            nodes.put((String) node.get("unique_id"), node);
        }
        for (SingularTest test : project.singularTests()) {
            Map<String, Object> node = resources.singularTest(test);
            nodes.put((String) node.get("unique_id"), node);
        }
        root.put("nodes", nodes);

        Map<String, Object> sources = new TreeMap<>();
        for (SourceTable source : project.sources()) {
            String id = sourceId(name, source.uniqueName());
            sources.put(id, resources.source(source));
        }
        root.put("sources", sources);

        Map<String, Object> unitTests = new TreeMap<>();
        for (UnitTest test : project.unitTests()) {
            Map<String, Object> node = resources.unitTest(test);
            unitTests.put((String) node.get("unique_id"), node);
        }
        root.put("unit_tests", unitTests);

        Map<String, Object> functions = new TreeMap<>();
        for (FunctionDefinition function : project.functions()) {
            functions.put("function." + name + "." + function.name(), resources.function(function));
        }
        root.put("functions", functions);

        Map<String, Object> docs = new TreeMap<>();
        project.docs().forEach((block, text) -> {
            Map<String, Object> doc = new TreeMap<>();
            doc.put("name", block);
            doc.put("resource_type", "doc");
            doc.put("package_name", name);
            doc.put("path", "");
            doc.put("original_file_path", "");
            doc.put("unique_id", "doc." + name + "." + block);
            doc.put("block_contents", text);
            docs.put("doc." + name + "." + block, doc);
        });
        root.put("docs", docs);
        Map<String, Object> exposures = new TreeMap<>();
        for (Exposure exposure : project.exposures()) {
            Map<String, Object> node = resources.exposure(exposure);
            exposures.put((String) node.get("unique_id"), node);
        }
        root.put("exposures", exposures);
        for (String empty : List.of(
                "macros",
                "metrics",
                "groups",
                "selectors",
                "disabled",
                "group_map",
                "saved_queries",
                "semantic_models")) {
            root.put(empty, Map.of());
        }

        Map<String, Set<String>> children = new TreeMap<>();
        parents.keySet().forEach(id -> children.put(id, new TreeSet<>()));
        parents.forEach((child, ps) -> ps.forEach(
                p -> children.computeIfAbsent(p, k -> new TreeSet<>()).add(child)));
        root.put("parent_map", parents);
        root.put("child_map", children);
        return Json.write(root);
    }

    /** A model's, seed's or snapshot's unique id, dbt's way: {@code model.}, {@code seed.} or {@code snapshot.}. */
    public static String nodeId(Project project, String model) {
        Model known = project.model(model);
        Materialization materialization = known == null ? null : known.materialization();
        return resourceType(materialization) + "." + project.name() + "." + model;
    }

    public static String sourceId(String project, String uniqueSource) {
        return "source." + project + "." + uniqueSource;
    }

    /** The node a data test checks: a source table, or a model, seed or snapshot. */
    public static String attachedId(Project project, DataTest test) {
        return test.onSource() ? sourceId(project.name(), test.attachedTo()) : nodeId(project, test.attachedTo());
    }

    public static String exposureId(String project, String exposure) {
        return "exposure." + project + "." + exposure;
    }

    public static String testId(String project, String test) {
        return "test." + project + "." + test;
    }

    /**
     * Each node's parents by unique id, as the manifest's {@code parent_map} and {@code depends_on}
     * and the docs' graph have them: a model's (snapshot's) refs and sources, a data test's node and
     * refs, a singular test's and an exposure's refs and sources; none for sources and seeds.
     */
    public static Map<String, Set<String>> parentMap(Project project) {
        String name = project.name();
        Map<String, Set<String>> parents = new TreeMap<>();
        project.sources().forEach(source -> parents.put(sourceId(name, source.uniqueName()), Set.of()));
        for (Model model : project.models().values()) {
            parents.put(nodeId(project, model.name()), inputs(project, model.refs(), model.sources()));
        }
        for (DataTest test : project.dataTests()) {
            Set<String> inputs = inputs(project, test.refs(), List.of());
            inputs.add(attachedId(project, test));
            parents.put(testId(name, test.uniqueName()), inputs);
        }
        for (SingularTest test : project.singularTests()) {
            parents.put(testId(name, test.name()), inputs(project, test.refs(), test.sources()));
        }
        for (Exposure exposure : project.exposures()) {
            parents.put(exposureId(name, exposure.name()), inputs(project, exposure.refs(), exposure.sources()));
        }
        return parents;
    }

    private static Set<String> inputs(Project project, List<String> refs, List<String> sources) {
        Set<String> ids = new TreeSet<>();
        refs.forEach(ref -> ids.add(nodeId(project, ref)));
        sources.forEach(source -> ids.add(sourceId(project.name(), source)));
        return ids;
    }

    /**
     * A file of the project as written: a model's or a singular test's {@code raw_code}, what the
     * docs show as its source; empty when the file is not there (a released bundle's project).
     */
    public static String rawCode(Project project, String path) {
        try {
            return Files.readString(project.layout().root().resolve(path), StandardCharsets.UTF_8);
        } catch (IOException | RuntimeException e) {
            return "";
        }
    }

    /** The unique ids of sources and models by the {@code catalog.database.table} they live in. */
    public static Map<String, String> nodesByRelation(Project project) {
        Map<String, String> ids = new TreeMap<>();
        project.sources().forEach(s -> ids.put(s.relation().display(), sourceId(project.name(), s.uniqueName())));
        for (Model model : project.models().values()) {
            if (model.materialization() != Materialization.EPHEMERAL) {
                ids.put(model.relation().display(), nodeId(project, model.name()));
            }
        }
        return ids;
    }

    /**
     * A column's origins as the manifest and the docs write them: the node (or, for a table of no
     * node, the relation), the column, and whether the column is computed from it.
     */
    public static List<Object> lineage(List<ColumnOrigin> origins, Map<String, String> nodesByRelation) {
        List<Object> out = new ArrayList<>();
        for (ColumnOrigin origin : origins) {
            Map<String, Object> from = new TreeMap<>();
            String node = nodesByRelation.get(origin.relation());
            from.put(node == null ? "relation" : "node", node == null ? origin.relation() : node);
            from.put("column", origin.column());
            from.put("derived", origin.derived());
            out.add(from);
        }
        return out;
    }

    static String resourceType(Materialization materialization) {
        if (materialization == Materialization.SEED) {
            return "seed";
        }
        return materialization == Materialization.SNAPSHOT ? "snapshot" : "model";
    }

    private Map<String, Object> model(Model model, PlannedModel planned, boolean compiled) {
        Map<String, Object> node = resources.common(nodeId(project, model.name()), model.name(), model.path());
        Materialization materialization = model.materialization();
        node.put("resource_type", resourceType(materialization));
        relation(node, model.relation());
        node.put("checksum", ManifestNodes.checksum(model.checksum()));
        Map<String, Object> config = new TreeMap<>(model.config().redactedValues());
        config.put("materialized", materialization.configName());
        config.put("enabled", true);
        config.put("unique_key", unique(model.config().uniqueKey()));
        config.put("tags", model.config().tags());
        node.put("config", config);
        node.put("tags", model.config().tags());
        node.put("description", model.description() == null ? "" : model.description());
        List<Object> refs = new ArrayList<>();
        model.refs().forEach(r -> {
            Map<String, Object> ref = new TreeMap<>();
            ref.put("name", r);
            refs.add(ref);
        });
        if (materialization != Materialization.SEED) {
            node.put("refs", refs);
            node.put(
                    "sources",
                    model.sources().stream()
                            .map(s -> List.of(s.split("\\.", 2)))
                            .toList());
            node.put("language", "sql");
        }
        Map<String, Object> depends = new TreeMap<>();
        if (materialization != Materialization.SEED) {
            depends.put("nodes", parents.get(nodeId(project, model.name())));
        }
        depends.put("macros", List.of());
        node.put("depends_on", depends);
        node.put(
                "columns",
                columns(
                        model.columns(),
                        planned == null ? List.of() : planned.columns(),
                        planned == null ? Map.of() : planned.lineage()));
        if (materialization == Materialization.EPHEMERAL) {
            node.remove("relation_name");
        }
        Map<String, Object> flinkDbt = new TreeMap<>();
        flinkDbt.put("materialized", materialization.configName());
        flinkDbt.put("state_checksum", model.stateChecksum());
        flinkDbt.put("relation", ManifestNodes.relationObject(model.relation()));
        if (planned != null && !planned.inferredKey().isEmpty()) {
            flinkDbt.put("unique_key_inferred", true); // derived by the planner from the query, not configured
        }
        if (materialization != Materialization.SEED && materialization != Materialization.SNAPSHOT) {
            node.put("raw_code", rawCode(project, model.path()));
        }
        if (compiled && materialization != Materialization.SEED) {
            node.put("compiled", true);
            node.put("compiled_path", "compiled/" + model.name() + ".sql");
            node.put("compiled_code", model.sql().text());
            if (model.incrementalSql() != null) {
                flinkDbt.put("compiled_incremental_path", "compiled/" + model.name() + ".incremental.sql");
            }
        }
        if (planned != null && planned.plan() != null) {
            if (compiled) {
                flinkDbt.put("plan_path", OutputDirectory.plan(model.name()));
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
            flinkDbt.put("stateful_operators", operators);
        }
        node.put("meta", Map.of("flink_dbt", flinkDbt));
        return node;
    }

    private static void relation(Map<String, Object> node, Relation relation) {
        node.put("database", relation.catalog());
        node.put("schema", relation.database());
        node.put("alias", relation.name());
        node.put("relation_name", relation.quoted());
    }

    private static Object unique(List<String> key) {
        if (key.isEmpty()) {
            return null;
        }
        return key.size() == 1 ? key.get(0) : key;
    }

    private Map<String, Object> columns(
            List<ColumnDefinition> documented, List<ColumnInfo> planned, Map<String, List<ColumnOrigin>> lineage) {
        Map<String, Object> columns = new LinkedHashMap<>();
        Map<String, String> descriptions = new TreeMap<>();
        documented.forEach(c -> descriptions.put(c.name(), c.description()));
        for (ColumnInfo column : planned) {
            Map<String, Object> entry = ManifestNodes.column(column.name(), descriptions.get(column.name()));
            entry.put("index", columns.size() + 1);
            entry.put("data_type", column.type());
            if (lineage.containsKey(column.name())) {
                // computed by the Flink planner: the columns it comes from
                entry.put("lineage", lineage(lineage.get(column.name()), nodesByRelation));
            }
            columns.put(column.name(), entry);
        }
        for (ColumnDefinition column : documented) {
            if (!columns.containsKey(column.name())) {
                columns.put(column.name(), ManifestNodes.column(column.name(), column.description()));
            }
        }
        return columns;
    }
}
