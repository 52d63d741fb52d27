package io.github.flinkdbt.report;

import io.github.flinkdbt.project.ColumnDefinition;
import io.github.flinkdbt.project.DataTest;
import io.github.flinkdbt.project.Exposure;
import io.github.flinkdbt.project.FunctionDefinition;
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

/**
 * The manifest's entries other than models, in dbt's v12 shapes: sources, data and singular tests,
 * unit tests, functions and exposures, and what every node has in common.
 */
final class ManifestNodes {

    private final Project project;
    private final String name;
    private final Map<String, Set<String>> parents;

    ManifestNodes(Project project, Map<String, Set<String>> parents) {
        this.project = project;
        this.name = project.name();
        this.parents = parents;
    }

    /** The fields every node has: ids, names, paths, fqn, schema (the Flink database), docs. */
    Map<String, Object> common(String id, String nodeName, String file) {
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
    String withinResourcePath(String file) {
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

    static Map<String, Object> relationObject(Relation relation) {
        Map<String, Object> out = new TreeMap<>();
        out.put("catalog", relation.catalog());
        out.put("database", relation.database());
        out.put("name", relation.name());
        return out;
    }

    static Map<String, Object> checksum(String sha256) {
        return Map.of("name", "sha256", "checksum", sha256);
    }

    static Map<String, Object> column(String columnName, String description) {
        Map<String, Object> entry = new TreeMap<>();
        entry.put("name", columnName);
        entry.put("description", description == null ? "" : description);
        entry.put("meta", Map.of());
        entry.put("tags", List.of());
        entry.put("constraints", List.of());
        return entry;
    }

    Map<String, Object> source(SourceTable source) {
        Map<String, Object> node = common(
                Manifest.sourceId(name, source.uniqueName()),
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
        flinkDbt.put(
                "connector_properties",
                Secrets.redact(
                        source.connectorProperties(), source.secretProperties().keySet()));
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

    Map<String, Object> dataTest(DataTest test) {
        Map<String, Object> node = common(
                Manifest.testId(name, test.uniqueName()),
                test.uniqueName(),
                test.position().file());
        node.put("resource_type", "test");
        node.put("checksum", Map.of("name", "none", "checksum", ""));
        Map<String, Object> metadata = new TreeMap<>();
        metadata.put("name", test.testName());
        metadata.put("kwargs", new TreeMap<>(test.arguments()));
        node.put("test_metadata", metadata);
        String attached = Manifest.attachedId(project, test);
        node.put("attached_node", attached);
        node.put("column_name", test.column());
        Map<String, Object> config = new TreeMap<>();
        config.put("enabled", true);
        config.put(
                "severity", test.severity() == null ? "ERROR" : test.severity().toUpperCase(Locale.ROOT));
        config.put("where", test.where());
        node.put("config", config);
        node.put("depends_on", Map.of("nodes", parents.get(node.get("unique_id")), "macros", List.of()));
        node.put("language", "sql");
        if (test.sql() != null) {
            node.put("compiled", true);
            node.put("compiled_path", "compiled/tests/" + test.uniqueName() + ".sql");
            node.put("compiled_code", test.sql().text());
        }
        return node;
    }

    Map<String, Object> singularTest(SingularTest test) {
        Map<String, Object> node = common(Manifest.testId(name, test.name()), test.name(), test.path());
        node.put("resource_type", "test");
        node.put("checksum", checksum(test.checksum()));
        node.put("config", Map.of("enabled", true, "severity", "ERROR"));
        node.put("depends_on", Map.of("nodes", parents.get(node.get("unique_id")), "macros", List.of()));
        node.put("language", "sql");
        node.put("compiled", true);
        node.put("compiled_path", "compiled/tests/" + test.name() + ".sql");
        node.put("compiled_code", test.sql().text());
        node.put("raw_code", Manifest.rawCode(project, test.path()));
        return node;
    }

    Map<String, Object> unitTest(UnitTest test) {
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
        node.put("depends_on", Map.of("nodes", List.of(Manifest.nodeId(project, test.model())), "macros", List.of()));
        node.put("config", Map.of("tags", test.tags(), "enabled", true));
        return node;
    }

    Map<String, Object> exposure(Exposure exposure) {
        Map<String, Object> node = new TreeMap<>();
        String id = Manifest.exposureId(name, exposure.name());
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
        node.put("depends_on", Map.of("nodes", parents.get(id), "macros", List.of()));
        return node;
    }

    Map<String, Object> function(FunctionDefinition function) {
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
