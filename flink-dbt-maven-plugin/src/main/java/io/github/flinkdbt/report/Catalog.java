package io.github.flinkdbt.report;

import io.github.flinkdbt.common.Json;
import io.github.flinkdbt.planner.ColumnInfo;
import io.github.flinkdbt.planner.PlannedModel;
import io.github.flinkdbt.project.ColumnDefinition;
import io.github.flinkdbt.project.Materialization;
import io.github.flinkdbt.project.Model;
import io.github.flinkdbt.project.Project;
import io.github.flinkdbt.project.Relation;
import io.github.flinkdbt.project.SourceTable;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeMap;

/**
 * {@code catalog.json} in dbt's published catalog schema (v1): each relation the project reads or
 * writes (sources, and the tables and views of its models) with its columns and types, as the Flink
 * planner resolves them. Deterministic (no timestamps).
 */
public final class Catalog {

    public static final String FILE = "catalog.json";
    public static final String SCHEMA = "https://schemas.getdbt.com/dbt/catalog/v1.json";

    private Catalog() {}

    public static String write(Project project, Map<String, PlannedModel> planned, String pluginVersion) {
        Map<String, Object> root = new TreeMap<>();
        Map<String, Object> metadata = new TreeMap<>();
        metadata.put("dbt_schema_version", SCHEMA);
        metadata.put("dbt_version", Manifest.DBT_VERSION);
        metadata.put("env", Map.of("FLINK_DBT_VERSION", pluginVersion));
        root.put("metadata", metadata);
        Map<String, Object> nodes = new TreeMap<>();
        for (Model model : project.models().values()) {
            PlannedModel known = planned.get(model.name());
            if (model.materialization() == Materialization.EPHEMERAL || known == null) {
                continue;
            }
            Map<String, Object> columns = new LinkedHashMap<>();
            Map<String, String> comments = new TreeMap<>();
            model.columns().forEach(c -> comments.put(c.name(), c.description()));
            for (ColumnInfo column : known.columns()) {
                columns.put(
                        column.name(),
                        column(column.name(), column.type(), columns.size() + 1, comments.get(column.name())));
            }
            String id = Manifest.nodeId(project, model.name());
            nodes.put(
                    id,
                    table(
                            id,
                            model.relation(),
                            model.materialization() == Materialization.VIEW ? "VIEW" : "TABLE",
                            model.description(),
                            columns));
        }
        root.put("nodes", nodes);
        Map<String, Object> sources = new TreeMap<>();
        for (SourceTable source : project.sources()) {
            Map<String, Object> columns = new LinkedHashMap<>();
            for (ColumnDefinition column : source.columns()) {
                columns.put(
                        column.name(),
                        column(
                                column.name(),
                                column.dataType() == null ? "" : column.dataType(),
                                columns.size() + 1,
                                column.description()));
            }
            String id = Manifest.sourceId(project.name(), source.uniqueName());
            sources.put(id, table(id, source.relation(), "TABLE", source.description(), columns));
        }
        root.put("sources", sources);
        root.put("errors", null);
        return Json.write(root);
    }

    private static Map<String, Object> table(
            String id, Relation relation, String type, String comment, Map<String, Object> columns) {
        Map<String, Object> metadata = new TreeMap<>();
        metadata.put("type", type);
        metadata.put("database", relation.catalog());
        metadata.put("schema", relation.database());
        metadata.put("name", relation.name());
        metadata.put("comment", comment == null || comment.isBlank() ? null : comment);
        metadata.put("owner", null);
        Map<String, Object> stats = new TreeMap<>();
        Map<String, Object> hasStats = new TreeMap<>();
        hasStats.put("id", "has_stats");
        hasStats.put("label", "Has Stats?");
        hasStats.put("value", false);
        hasStats.put("include", false);
        hasStats.put("description", "Indicates whether there are statistics for this table");
        stats.put("has_stats", hasStats);
        Map<String, Object> table = new TreeMap<>();
        table.put("unique_id", id);
        table.put("metadata", metadata);
        table.put("columns", columns);
        table.put("stats", stats);
        return table;
    }

    private static Map<String, Object> column(String name, String type, int index, String comment) {
        Map<String, Object> column = new TreeMap<>();
        column.put("name", name);
        column.put("type", type);
        column.put("index", index);
        column.put("comment", comment == null || comment.isBlank() ? null : comment);
        return column;
    }
}
