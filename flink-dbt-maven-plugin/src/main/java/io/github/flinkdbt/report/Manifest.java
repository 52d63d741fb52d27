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
import io.github.flinkdbt.project.Secrets;
import io.github.flinkdbt.project.SingularTest;
import io.github.flinkdbt.project.SourceTable;
import io.github.flinkdbt.project.UnitTest;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
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

    private Manifest(Project project) {
        this.project = project;
        this.name = project.name();
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
        Map<String, Set<String>> parents = new TreeMap<>();
        for (Model model : project.models().values()) {
            Map<String, Object> node = model(model, planned.get(model.name()), compiled.contains(model.name()));
            nodes.put((String) node.get("unique_id"), node);
            parents.put((String) node.get("unique_id"), dependencies(node));
        }
        for (DataTest test : project.dataTests()) {
            Map<String, Object> node = dataTest(test);
            nodes.put((String) node.get("unique_id"), node);
            parents.put((String) node.get("unique_id"), dependencies(node));
        }
        for (SingularTest test : project.singularTests()) {
            Map<String, Object> node = singularTest(test);
            nodes.put((String) node.get("unique_id"), node);
            parents.put((String) node.get("unique_id"), dependencies(node));
        }
        root.put("nodes", nodes);

        Map<String, Object> sources = new TreeMap<>();
        for (SourceTable source : project.sources()) {
            String id = sourceId(name, source.uniqueName());
            sources.put(id, source(source));
            parents.put(id, Set.of());
        }
        root.put("sources", sources);

        Map<String, Object> unitTests = new TreeMap<>();
        for (UnitTest test : project.unitTests()) {
            Map<String, Object> node = unitTest(test);
            unitTests.put((String) node.get("unique_id"), node);
        }
        root.put("unit_tests", unitTests);

        Map<String, Object> functions = new TreeMap<>();
        for (FunctionDefinition function : project.functions()) {
            functions.put("function." + name + "." + function.name(), function(function));
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
            Map<String, Object> node = exposure(exposure);
            exposures.put((String) node.get("unique_id"), node);
            parents.put((String) node.get("unique_id"), dependencies(node));
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

    public static String testId(String project, String test) {
        return "test." + project + "." + test;
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

    static String resourceType(Materialization materialization) {
        if (materialization == Materialization.SEED) {
            return "seed";
        }
        return materialization == Materialization.SNAPSHOT ? "snapshot" : "model";
    }

    private Map<String, Object> model(Model model, PlannedModel planned, boolean compiled) {
        Map<String, Object> node = common(nodeId(project, model.name()), model.name(), model.path());
        Materialization materialization = model.materialization();
        node.put("resource_type", resourceType(materialization));
        relation(node, model.relation());
        node.put("checksum", checksum(model.checksum()));
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
        Set<String> nodes = new TreeSet<>();
        model.refs().forEach(r -> nodes.add(nodeId(project, r)));
        model.sources().forEach(s -> nodes.add(sourceId(name, s)));
        if (materialization != Materialization.SEED) {
            depends.put("nodes", nodes);
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
        flinkDbt.put("relation", relationObject(model.relation()));
        if (planned != null && !planned.inferredKey().isEmpty()) {
            flinkDbt.put("unique_key_inferred", true); // derived by the planner from the query, not configured
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

    /** The fields every node has: ids, names, paths, fqn, schema (the Flink database), docs. */
    private Map<String, Object> common(String id, String nodeName, String file) {
        Map<String, Object> node = new TreeMap<>();
        String path = withinResourcePath(file);
        node.put("unique_id", id);
        node.put("name", nodeName);
        node.put("package_name", name);
        node.put("original_file_path", file);
        node.put("path", path);
        List<String> fqn = new ArrayList<>();
        fqn.add(name);
        String[] folders = path.split("/");
        for (int i = 0; i < folders.length - 1; i++) {
            fqn.add(folders[i]);
        }
        fqn.add(nodeName);
        node.put("fqn", fqn);
        node.put("database", project.catalog());
        node.put("schema", project.database());
        node.put("alias", nodeName);
        node.put("docs", Map.of("show", true));
        return node;
    }

    /** A file's path within the resource directory it was found in, as dbt's {@code path}. */
    private String withinResourcePath(String file) {
        List<String> roots = new ArrayList<>();
        roots.addAll(project.layout().modelPaths());
        roots.addAll(project.layout().seedPaths());
        roots.addAll(project.layout().snapshotPaths());
        roots.addAll(project.layout().testPaths());
        for (String root : roots) {
            String prefix = root.endsWith("/") ? root : root + "/";
            if (file.startsWith(prefix)) {
                return file.substring(prefix.length());
            }
        }
        return file;
    }

    private static void relation(Map<String, Object> node, Relation relation) {
        node.put("database", relation.catalog());
        node.put("schema", relation.database());
        node.put("alias", relation.name());
        node.put("relation_name", relation.quoted());
    }

    private static Map<String, Object> relationObject(Relation relation) {
        Map<String, Object> out = new TreeMap<>();
        out.put("catalog", relation.catalog());
        out.put("database", relation.database());
        out.put("name", relation.name());
        return out;
    }

    private static Map<String, Object> checksum(String sha256) {
        return Map.of("name", "sha256", "checksum", sha256);
    }

    private static Object unique(List<String> key) {
        if (key.isEmpty()) {
            return null;
        }
        return key.size() == 1 ? key.get(0) : key;
    }

    @SuppressWarnings("unchecked")
    private static Set<String> dependencies(Map<String, Object> node) {
        Object nodes = ((Map<String, Object>) node.get("depends_on")).get("nodes");
        return nodes == null ? new TreeSet<>() : new TreeSet<>((Set<String>) nodes);
    }

    private Map<String, Object> columns(
            List<ColumnDefinition> documented, List<ColumnInfo> planned, Map<String, List<ColumnOrigin>> lineage) {
        Map<String, Object> columns = new LinkedHashMap<>();
        Map<String, String> descriptions = new TreeMap<>();
        documented.forEach(c -> descriptions.put(c.name(), c.description()));
        for (ColumnInfo column : planned) {
            Map<String, Object> entry = column(column.name(), descriptions.get(column.name()));
            entry.put("index", columns.size() + 1);
            entry.put("data_type", column.type());
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
                columns.put(column.name(), column(column.name(), column.description()));
            }
        }
        return columns;
    }

    private static Map<String, Object> column(String columnName, String description) {
        Map<String, Object> entry = new TreeMap<>();
        entry.put("name", columnName);
        entry.put("description", description == null ? "" : description);
        entry.put("meta", Map.of());
        entry.put("tags", List.of());
        entry.put("constraints", List.of());
        return entry;
    }

    private Map<String, Object> source(SourceTable source) {
        Map<String, Object> node = common(
                sourceId(name, source.uniqueName()),
                source.name(),
                source.position().file());
        node.remove("alias");
        node.remove("docs");
        node.put("resource_type", "source");
        node.put("fqn", List.of(name, source.sourceName(), source.name()));
        node.put("source_name", source.sourceName());
        node.put("source_description", "");
        node.put("loader", "");
        node.put("identifier", source.relation().name());
        node.put("database", source.relation().catalog());
        node.put("schema", source.relation().database());
        node.put("relation_name", source.relation().quoted());
        node.put("description", source.description() == null ? "" : source.description());
        node.put("tags", source.tags());
        node.put("config", Map.of("enabled", true, "tags", source.tags()));
        Map<String, Object> flinkDbt = new TreeMap<>();
        flinkDbt.put("connector_properties", Secrets.redact(source.connectorProperties(), source.secretProperties()));
        flinkDbt.put("primary_key", source.primaryKey());
        if (source.watermark() != null) {
            flinkDbt.put(
                    "watermark",
                    Map.of(
                            "column",
                            source.watermark().column(),
                            "strategy",
                            source.watermark().strategy()));
        }
        flinkDbt.put("relation", relationObject(source.relation()));
        node.put("meta", Map.of("flink_dbt", flinkDbt));
        Map<String, Object> columns = new LinkedHashMap<>();
        for (ColumnDefinition column : source.columns()) {
            Map<String, Object> entry = column(column.name(), column.description());
            entry.put("index", columns.size() + 1);
            entry.put("data_type", column.dataType());
            entry.put("column_type", column.kind().configName());
            entry.put("expression", column.expression());
            columns.put(column.name(), entry);
        }
        node.put("columns", columns);
        return node;
    }

    private Map<String, Object> dataTest(DataTest test) {
        Map<String, Object> node = common(
                testId(name, test.uniqueName()),
                test.uniqueName(),
                test.position().file());
        node.put("resource_type", "test");
        node.put("checksum", Map.of("name", "none", "checksum", ""));
        Map<String, Object> metadata = new TreeMap<>();
        metadata.put("name", test.testName());
        metadata.put("kwargs", new TreeMap<>(test.arguments()));
        node.put("test_metadata", metadata);
        String attached = test.onSource() ? sourceId(name, test.attachedTo()) : nodeId(project, test.attachedTo());
        node.put("attached_node", attached);
        node.put("column_name", test.column());
        Map<String, Object> config = new TreeMap<>();
        config.put("enabled", true);
        config.put(
                "severity", test.severity() == null ? "ERROR" : test.severity().toUpperCase(Locale.ROOT));
        config.put("where", test.where());
        node.put("config", config);
        Set<String> deps = new TreeSet<>();
        deps.add(attached);
        test.refs().forEach(r -> deps.add(nodeId(project, r)));
        node.put("depends_on", Map.of("nodes", deps, "macros", List.of()));
        node.put("language", "sql");
        if (test.sql() != null) {
            node.put("compiled", true);
            node.put("compiled_path", "compiled/tests/" + test.uniqueName() + ".sql");
            node.put("compiled_code", test.sql().text());
        }
        return node;
    }

    private Map<String, Object> singularTest(SingularTest test) {
        Map<String, Object> node = common(testId(name, test.name()), test.name(), test.path());
        node.put("resource_type", "test");
        node.put("checksum", checksum(test.checksum()));
        node.put("config", Map.of("enabled", true, "severity", "ERROR"));
        Set<String> deps = new TreeSet<>();
        test.refs().forEach(r -> deps.add(nodeId(project, r)));
        test.sources().forEach(s -> deps.add(sourceId(name, s)));
        node.put("depends_on", Map.of("nodes", deps, "macros", List.of()));
        node.put("language", "sql");
        node.put("compiled", true);
        node.put("compiled_path", "compiled/tests/" + test.name() + ".sql");
        node.put("compiled_code", test.sql().text());
        return node;
    }

    private Map<String, Object> unitTest(UnitTest test) {
        String id = "unit_test." + name + "." + test.model() + "." + test.name();
        Map<String, Object> node = common(id, test.name(), test.position().file());
        for (String notInSchema : List.of("alias", "database", "docs")) {
            node.remove(notInSchema);
        }
        node.put("resource_type", "unit_test");
        node.put("model", test.model());
        node.put("fqn", List.of(name, test.model(), test.name()));
        node.put("description", test.description() == null ? "" : test.description());
        List<Object> given = new ArrayList<>();
        for (UnitTest.Input input : test.given()) {
            Map<String, Object> entry = new TreeMap<>(input.data());
            entry.put("input", input.input());
            given.add(entry);
        }
        node.put("given", given);
        node.put("expect", new TreeMap<>(test.expect()));
        node.put("overrides", new TreeMap<>(test.overrides()));
        node.put("depends_on", Map.of("nodes", List.of(nodeId(project, test.model())), "macros", List.of()));
        node.put("config", Map.of("tags", test.tags(), "enabled", true));
        return node;
    }

    private Map<String, Object> exposure(Exposure exposure) {
        Map<String, Object> node = new TreeMap<>();
        String id = "exposure." + name + "." + exposure.name();
        node.put("unique_id", id);
        node.put("name", exposure.name());
        node.put("resource_type", "exposure");
        node.put("package_name", name);
        node.put("original_file_path", exposure.position().file());
        node.put("path", withinResourcePath(exposure.position().file()));
        node.put("fqn", List.of(name, exposure.name()));
        node.put("type", exposure.type());
        Map<String, Object> owner = new TreeMap<>();
        owner.put("name", exposure.ownerName());
        owner.put("email", exposure.ownerEmail());
        node.put("owner", owner);
        node.put("description", exposure.description() == null ? "" : exposure.description());
        node.put("label", exposure.label());
        node.put("url", exposure.url());
        node.put("maturity", exposure.maturity());
        node.put("tags", exposure.tags());
        node.put("config", Map.of("enabled", true, "tags", exposure.tags()));
        node.put("refs", exposure.refs().stream().map(r -> Map.of("name", r)).toList());
        node.put(
                "sources",
                exposure.sources().stream().map(s -> List.of(s.split("\\.", 2))).toList());
        Set<String> deps = new TreeSet<>();
        exposure.refs().forEach(r -> deps.add(nodeId(project, r)));
        exposure.sources().forEach(s -> deps.add(sourceId(name, s)));
        node.put("depends_on", Map.of("nodes", deps, "macros", List.of()));
        return node;
    }

    private Map<String, Object> function(FunctionDefinition function) {
        Map<String, Object> node = common(
                "function." + name + "." + function.name(),
                function.name(),
                function.position().file());
        node.put("resource_type", "function");
        node.put("checksum", Map.of("name", "none", "checksum", ""));
        node.put("description", function.description() == null ? "" : function.description());
        node.put("language", "java");
        // Flink infers a Java function's types from its eval methods when the planner first calls it
        node.put("returns", Map.of("data_type", "", "description", "inferred by Flink from " + function.className()));
        node.put("config", Map.of("enabled", true, "entry_point", function.className()));
        return node;
    }
}
