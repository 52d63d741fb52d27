package io.github.flinkdbt.report.docs;

import io.github.flinkdbt.common.SourcePosition;
import io.github.flinkdbt.deploy.ModelDeployment;
import io.github.flinkdbt.plan.ExecNodeTypes;
import io.github.flinkdbt.plan.PlanOperator;
import io.github.flinkdbt.planner.ColumnInfo;
import io.github.flinkdbt.planner.PlannedModel;
import io.github.flinkdbt.project.ColumnDefinition;
import io.github.flinkdbt.project.DataTest;
import io.github.flinkdbt.project.Exposure;
import io.github.flinkdbt.project.Materialization;
import io.github.flinkdbt.project.Model;
import io.github.flinkdbt.project.Project;
import io.github.flinkdbt.project.Secrets;
import io.github.flinkdbt.project.SingularTest;
import io.github.flinkdbt.project.SourceTable;
import io.github.flinkdbt.report.Manifest;
import io.github.flinkdbt.state.ModelVerdict;
import io.github.flinkdbt.state.OperatorCheck;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * What the site's pages show, as one JSON document: every node (sources, seeds, models,
 * snapshots, tests) with its page's content and its place in the drawing of the lineage graph.
 * Deterministic: no timestamps, sorted keys.
 */
final class SiteContent {

    private final DocsInput input;
    private final Project project;
    private final Markdown markdown;
    private final Map<String, String> nodesByRelation;
    private final Map<String, ModelVerdict> verdicts = new TreeMap<>();
    private final Map<String, Set<String>> parents;
    private final Map<String, Map<String, Object>> nodes = new LinkedHashMap<>();
    private final Map<String, List<String>> testsByColumn = new TreeMap<>();

    private SiteContent(DocsInput input, Markdown markdown) {
        this.input = input;
        this.project = input.compiled().project();
        this.markdown = markdown;
        this.nodesByRelation = Manifest.nodesByRelation(project);
        this.parents = Manifest.parentMap(project);
        input.verdicts().forEach(v -> verdicts.put(v.name(), v));
    }

    /** The site's data; problems with descriptions and doc blocks go to {@code markdown}. */
    static Map<String, Object> of(DocsInput input, Markdown markdown) {
        return new SiteContent(input, markdown).build();
    }

    private Map<String, Object> build() {
        String name = project.name();
        for (SourceTable source : project.sources()) {
            nodes.put(Manifest.sourceId(name, source.uniqueName()), source(source));
        }
        for (DataTest test : project.dataTests()) {
            String attached = Manifest.attachedId(project, test);
            if (test.column() != null) {
                testsByColumn
                        .computeIfAbsent(attached + "." + test.column(), k -> new ArrayList<>())
                        .add(Manifest.testId(name, test.uniqueName()));
            }
        }
        for (Model model : project.models().values()) {
            nodes.put(Manifest.nodeId(project, model.name()), model(model));
        }
        for (DataTest test : project.dataTests()) {
            nodes.put(Manifest.testId(name, test.uniqueName()), dataTest(test));
        }
        for (SingularTest test : project.singularTests()) {
            nodes.put(Manifest.testId(name, test.name()), singularTest(test));
        }
        for (Exposure exposure : project.exposures()) {
            nodes.put(Manifest.exposureId(name, exposure.name()), exposure(exposure));
        }
        // drawn in the order of the pages (sources, models, tests, exposures), with the manifest's parents
        Map<String, List<String>> drawn = new LinkedHashMap<>();
        Map<String, List<String>> withoutTests = new LinkedHashMap<>();
        Map<String, Set<String>> children = new TreeMap<>();
        nodes.keySet().forEach(id -> {
            List<String> its = List.copyOf(parents.get(id));
            drawn.put(id, its);
            if (!id.startsWith("test.")) {
                withoutTests.put(id, its);
            }
            its.forEach(parent ->
                    children.computeIfAbsent(parent, p -> new TreeSet<>()).add(id));
        });
        Map<String, GraphLayout.Point> layout = GraphLayout.of(withoutTests);
        Map<String, GraphLayout.Point> layoutWithTests = GraphLayout.of(drawn);
        List<Object> all = new ArrayList<>();
        nodes.forEach((id, node) -> {
            node.put("id", id);
            node.put("parents", parents.get(id));
            node.put("children", children.getOrDefault(id, Set.of()));
            GraphLayout.Point at = layout.get(id);
            if (at != null) {
                node.put("x", at.x());
                node.put("y", at.y());
            }
            GraphLayout.Point withTests = layoutWithTests.get(id);
            node.put("tx", withTests.x());
            node.put("ty", withTests.y());
            all.add(node);
        });
        Map<String, Object> root = new TreeMap<>();
        Map<String, Object> about = new TreeMap<>();
        about.put("name", project.name());
        about.put("flinkDbtVersion", input.pluginVersion());
        about.put("flinkVersion", input.flinkVersion());
        about.put("baseline", input.baseline());
        root.put("project", about);
        root.put("nodes", all);
        List<Object> docs = new ArrayList<>();
        project.docs().forEach((block, text) -> docs.add(Map.of("name", block, "html", markdown.html(text, null))));
        root.put("docs", docs);
        List<String> problems = new ArrayList<>(project.warnings());
        markdown.problems().stream().filter(p -> !problems.contains(p)).forEach(problems::add);
        root.put("problems", problems);
        return root;
    }

    private Map<String, Object> source(SourceTable source) {
        Map<String, Object> node = new TreeMap<>();
        String id = Manifest.sourceId(project.name(), source.uniqueName());
        node.put("type", "source");
        node.put("name", source.uniqueName());
        node.put("path", source.position().file());
        node.put("relation", source.relation().display());
        node.put("tags", source.tags());
        node.put(
                "description",
                describe(source.description(), "Source '" + source.uniqueName() + "'", source.position()));
        Map<String, Object> config = new TreeMap<>();
        config.put(
                "connector_properties",
                Secrets.redact(
                        source.connectorProperties(), source.secretProperties().keySet()));
        if (source.watermark() != null) {
            config.put(
                    "watermark",
                    source.watermark().column() + " AS " + source.watermark().strategy());
        }
        if (!source.primaryKey().isEmpty()) {
            config.put("primary_key", source.primaryKey());
        }
        node.put("config", config);
        List<Object> columns = new ArrayList<>();
        for (ColumnDefinition column : source.columns()) {
            Map<String, Object> entry = new TreeMap<>();
            entry.put("name", column.name());
            entry.put("type", column.dataType() == null ? "" : column.dataType());
            entry.put("description", markdown.html(column.description(), column.position()));
            entry.put("tests", testsByColumn.getOrDefault(id + "." + column.name(), List.of()));
            columns.add(entry);
        }
        node.put("columns", columns);
        return node;
    }

    private Map<String, Object> model(Model model) {
        Map<String, Object> node = new TreeMap<>();
        String id = Manifest.nodeId(project, model.name());
        PlannedModel planned = input.compiled().result().models().get(model.name());
        Materialization materialization = model.materialization();
        node.put(
                "type",
                switch (materialization) {
                    case SEED -> "seed";
                    case SNAPSHOT -> "snapshot";
                    default -> "model";
                });
        node.put("name", model.name());
        node.put("materialized", materialization.configName());
        node.put("path", model.path());
        node.put("tags", model.config().tags());
        if (materialization != Materialization.EPHEMERAL) {
            node.put("relation", model.relation().display());
        }
        node.put("description", describe(model.description(), "Model '" + model.name() + "'", model.position()));
        node.put("config", model.config().redactedValues());
        node.put("raw", Manifest.rawCode(project, model.path()));
        node.put("compiled", model.sql().text());
        if (model.incrementalSql() != null) {
            node.put("compiledIncremental", model.incrementalSql().text());
        }
        node.put("columns", columns(id, model, planned));
        if (planned != null && planned.plan() != null) {
            node.put("plan", plan(planned, verdicts.get(model.name())));
        }
        ModelVerdict verdict = verdicts.get(model.name());
        if (verdict != null) {
            node.put("verdict", verdict.verdict().name());
            node.put("verdictReasons", verdict.reasons());
            node.put("policy", verdict.policy());
        }
        List<ModelDeployment> deployments = input.deployments().get(model.name());
        if (deployments != null && !deployments.isEmpty()) {
            node.put("deployments", deployments);
        }
        return node;
    }

    private List<Object> columns(String id, Model model, PlannedModel planned) {
        Map<String, ColumnDefinition> documented = new LinkedHashMap<>();
        model.columns().forEach(c -> documented.put(c.name(), c));
        List<Object> columns = new ArrayList<>();
        List<ColumnInfo> known = planned == null ? List.of() : planned.columns();
        for (ColumnInfo column : known) {
            ColumnDefinition doc = documented.remove(column.name());
            Map<String, Object> entry = column(id, column.name(), column.type(), doc);
            entry.put(
                    "lineage",
                    Manifest.lineage(planned.lineage().getOrDefault(column.name(), List.of()), nodesByRelation));
            columns.add(entry);
        }
        documented.values().forEach(doc -> columns.add(column(id, doc.name(), "", doc)));
        return columns;
    }

    private Map<String, Object> column(String id, String name, String type, ColumnDefinition doc) {
        Map<String, Object> entry = new TreeMap<>();
        entry.put("name", name);
        entry.put("type", type);
        entry.put("description", doc == null ? "" : markdown.html(doc.description(), doc.position()));
        entry.put("tests", testsByColumn.getOrDefault(id + "." + name, List.of()));
        return entry;
    }

    /** The compiled plan as an operator graph: nodes (stateful ones with UID, state and size) and edges. */
    private Map<String, Object> plan(PlannedModel planned, ModelVerdict verdict) {
        List<OperatorCheck> checks = verdict == null ? List.of() : verdict.operators();
        Map<String, List<String>> inputs = new LinkedHashMap<>();
        for (PlanOperator operator : planned.plan().operators()) {
            inputs.put(
                    String.valueOf(operator.nodeId()),
                    operator.inputs().stream().map(String::valueOf).toList());
        }
        List<Object> operators = new ArrayList<>();
        Map<String, GraphLayout.Point> layout = GraphLayout.of(inputs);
        for (PlanOperator operator : planned.plan().operators()) {
            Map<String, Object> entry = new TreeMap<>();
            entry.put("id", String.valueOf(operator.nodeId()));
            entry.put("type", operator.type());
            entry.put("role", operator.role());
            entry.put("stateful", operator.stateful());
            entry.put("inputs", inputs.get(String.valueOf(operator.nodeId())));
            GraphLayout.Point at = layout.get(String.valueOf(operator.nodeId()));
            entry.put("x", at.x());
            entry.put("y", at.y());
            if (operator.stateful()) {
                entry.put("uid", operator.uidPrefix());
                entry.put("state", operator.stateNames());
                long bytes = stateBytes(operator, checks);
                if (bytes >= 0) {
                    entry.put("stateBytes", bytes);
                    entry.put("stateSize", OperatorCheck.size(bytes));
                }
            }
            operators.add(entry);
        }
        return Map.of("operators", operators);
    }

    /**
     * What the savepoint holds for the operators of a plan node: the check's of its UID, and for a
     * sink its table sink's own operator (a committer the sink adds under a UID of its own); -1 when
     * the savepoint has none of them.
     */
    private static long stateBytes(PlanOperator operator, List<OperatorCheck> checks) {
        String uid = OperatorCheck.uidOf(operator.uidPrefix());
        boolean sink = ExecNodeTypes.name(operator.type()).equals("sink");
        long bytes = -1;
        for (OperatorCheck check : checks) {
            boolean its = check.uid().equals(uid) || (sink && check.type().equals("sink"));
            if (its && check.stateBytes() >= 0) {
                bytes = Math.max(0, bytes) + check.stateBytes();
            }
        }
        return bytes;
    }

    private Map<String, Object> exposure(Exposure exposure) {
        Map<String, Object> node = new TreeMap<>();
        node.put("type", "exposure");
        node.put("name", exposure.name());
        node.put("path", exposure.position().file());
        node.put("tags", exposure.tags());
        node.put(
                "description",
                describe(exposure.description(), "Exposure '" + exposure.name() + "'", exposure.position()));
        Map<String, Object> about = new TreeMap<>();
        about.put("type", exposure.type());
        if (exposure.label() != null) {
            about.put("label", exposure.label());
        }
        if (exposure.ownerName() != null) {
            about.put("owner", exposure.ownerName());
        }
        if (exposure.ownerEmail() != null) {
            about.put("email", exposure.ownerEmail());
        }
        if (exposure.maturity() != null) {
            about.put("maturity", exposure.maturity());
        }
        if (exposure.url() != null) {
            node.put("url", exposure.url());
        }
        node.put("config", about);
        return node;
    }

    private Map<String, Object> dataTest(DataTest test) {
        Map<String, Object> node = new TreeMap<>();
        node.put("type", "test");
        node.put("name", test.uniqueName());
        node.put("path", test.position().file());
        node.put("testName", test.testName());
        node.put("severity", test.severity());
        if (test.column() != null) {
            node.put("column", test.column());
        }
        node.put("config", new TreeMap<>(test.arguments()));
        if (test.sql() != null) {
            node.put("compiled", test.sql().text());
        }
        result(test.uniqueName(), node);
        return node;
    }

    private Map<String, Object> singularTest(SingularTest test) {
        Map<String, Object> node = new TreeMap<>();
        node.put("type", "test");
        node.put("name", test.name());
        node.put("path", test.path());
        node.put("raw", Manifest.rawCode(project, test.path()));
        node.put("compiled", test.sql().text());
        result(test.name(), node);
        return node;
    }

    private void result(String name, Map<String, Object> node) {
        DocsInput.TestStatus status = input.testResults().get(name);
        if (status != null) {
            node.put("result", status.status());
            node.put("resultMessage", status.message());
        }
    }

    private String describe(String description, String what, SourcePosition where) {
        if (description == null || description.isBlank()) {
            markdown.missing(where.toString(), what + " has no description: describe it in a schema .yml file");
            return "";
        }
        return markdown.html(description, where);
    }
}
