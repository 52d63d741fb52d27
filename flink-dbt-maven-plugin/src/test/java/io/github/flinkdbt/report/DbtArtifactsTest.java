package io.github.flinkdbt.report;

import static io.github.flinkdbt.TestProjects.write;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.github.flinkdbt.FlinkDbt;
import io.github.flinkdbt.TestProjects;
import io.github.flinkdbt.common.Json;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code manifest.json} and {@code catalog.json} of the sample project (with a snapshot added) against
 * dbt's published schemas, manifest v12 and catalog v1 (schemas.getdbt.com): every field they
 * require, with its type, and no field where they allow none (their objects are closed:
 * {@code additionalProperties: false}). The lists below were read from those schemas.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class DbtArtifactsTest {

    private static final List<String> COMMON_NODE_REQUIRED = List.of(
            "database",
            "schema",
            "name",
            "resource_type",
            "package_name",
            "path",
            "original_file_path",
            "unique_id",
            "fqn",
            "alias",
            "checksum");

    /** Properties of the compiled node kinds (Model, Snapshot, GenericTest, SingularTest, Function). */
    private static final Set<String> COMPILED_NODE_PROPERTIES = Set.of(
            "_pre_injected_sql",
            "alias",
            "build_path",
            "checksum",
            "columns",
            "compiled",
            "compiled_code",
            "compiled_path",
            "config",
            "config_call_dict",
            "contract",
            "created_at",
            "database",
            "depends_on",
            "description",
            "doc_blocks",
            "docs",
            "extra_ctes",
            "extra_ctes_injected",
            "fqn",
            "functions",
            "group",
            "language",
            "meta",
            "metrics",
            "name",
            "original_file_path",
            "package_name",
            "patch_path",
            "path",
            "raw_code",
            "refs",
            "relation_name",
            "resource_type",
            "schema",
            "sources",
            "tags",
            "unique_id",
            "unrendered_config",
            "unrendered_config_call_dict");

    private static final Map<String, Set<String>> NODE_PROPERTIES = Map.of(
            "model",
                    union(
                            COMPILED_NODE_PROPERTIES,
                            Set.of(
                                    "access",
                                    "constraints",
                                    "defer_relation",
                                    "deprecation_date",
                                    "latest_version",
                                    "primary_key",
                                    "time_spine",
                                    "version")),
            "snapshot", union(COMPILED_NODE_PROPERTIES, Set.of("defer_relation")),
            "test",
                    union(
                            COMPILED_NODE_PROPERTIES,
                            Set.of("attached_node", "column_name", "file_key_name", "test_metadata")),
            "seed",
                    Set.of(
                            "alias",
                            "build_path",
                            "checksum",
                            "columns",
                            "config",
                            "config_call_dict",
                            "created_at",
                            "database",
                            "defer_relation",
                            "depends_on",
                            "description",
                            "doc_blocks",
                            "docs",
                            "fqn",
                            "group",
                            "meta",
                            "name",
                            "original_file_path",
                            "package_name",
                            "patch_path",
                            "path",
                            "raw_code",
                            "relation_name",
                            "resource_type",
                            "root_path",
                            "schema",
                            "tags",
                            "unique_id",
                            "unrendered_config",
                            "unrendered_config_call_dict"));

    private static final List<String> SOURCE_REQUIRED = List.of(
            "database",
            "schema",
            "name",
            "resource_type",
            "package_name",
            "path",
            "original_file_path",
            "unique_id",
            "fqn",
            "source_name",
            "source_description",
            "loader",
            "identifier");
    private static final Set<String> SOURCE_PROPERTIES = union(
            Set.copyOf(SOURCE_REQUIRED),
            Set.of(
                    "columns",
                    "config",
                    "created_at",
                    "description",
                    "doc_blocks",
                    "external",
                    "freshness",
                    "loaded_at_field",
                    "loaded_at_query",
                    "meta",
                    "patch_path",
                    "quoting",
                    "relation_name",
                    "source_meta",
                    "tags",
                    "unrendered_config",
                    "unrendered_database",
                    "unrendered_schema"));

    private static final List<String> UNIT_TEST_REQUIRED = List.of(
            "model",
            "given",
            "expect",
            "name",
            "resource_type",
            "package_name",
            "path",
            "original_file_path",
            "unique_id",
            "fqn");
    private static final Set<String> UNIT_TEST_PROPERTIES = union(
            Set.copyOf(UNIT_TEST_REQUIRED),
            Set.of(
                    "checksum",
                    "config",
                    "created_at",
                    "depends_on",
                    "description",
                    "overrides",
                    "schema",
                    "version",
                    "versions"));

    private static final List<String> FUNCTION_REQUIRED = union(COMMON_NODE_REQUIRED, List.of("returns", "config"));
    private static final Set<String> FUNCTION_PROPERTIES =
            union(COMPILED_NODE_PROPERTIES, Set.of("arguments", "returns"));

    private static final List<String> EXPOSURE_REQUIRED = List.of(
            "name", "resource_type", "package_name", "path", "original_file_path", "unique_id", "fqn", "type", "owner");
    private static final Set<String> EXPOSURE_PROPERTIES = union(
            Set.copyOf(EXPOSURE_REQUIRED),
            Set.of(
                    "config",
                    "created_at",
                    "depends_on",
                    "description",
                    "label",
                    "maturity",
                    "meta",
                    "metrics",
                    "refs",
                    "sources",
                    "tags",
                    "unrendered_config",
                    "url"));

    private static final List<String> DOC_REQUIRED = List.of(
            "name", "resource_type", "package_name", "path", "original_file_path", "unique_id", "block_contents");

    private static final List<String> MANIFEST_REQUIRED = List.of(
            "metadata",
            "nodes",
            "sources",
            "macros",
            "docs",
            "exposures",
            "metrics",
            "groups",
            "selectors",
            "disabled",
            "parent_map",
            "child_map",
            "group_map",
            "saved_queries",
            "semantic_models",
            "unit_tests");
    private static final Set<String> MANIFEST_METADATA = Set.of(
            "adapter_type",
            "dbt_schema_version",
            "dbt_version",
            "env",
            "generated_at",
            "invocation_id",
            "invocation_started_at",
            "project_id",
            "project_name",
            "quoting",
            "run_started_at",
            "send_anonymous_usage_stats",
            "user_id");

    private JsonNode manifest;
    private JsonNode catalog;

    @BeforeAll
    void compileTheSampleProjectWithASnapshot(@TempDir Path dir) throws IOException {
        Path project = dir.resolve("sample");
        var settings = TestProjects.sample(project);
        write(project, "src/main/snapshots/products_history.sql", """
                {% snapshot products_history %}
                {{ config(unique_key='product_id', strategy='check', check_cols='all') }}
                select * from {{ ref('products') }}
                {% endsnapshot %}
                """);
        Path site = project.resolve("target/flink-dbt-docs");
        FlinkDbt.docs(settings.build(), TestProjects.invocation().build(), site);
        manifest = Json.read(Files.readString(site.resolve("manifest.json")));
        catalog = Json.read(Files.readString(site.resolve("catalog.json")));
        assertThat(Files.readString(site.resolve("manifest.json")))
                .isEqualTo(Files.readString(project.resolve("target/flink-dbt/manifest.json")));
    }

    @Test
    void theManifestHasEveryFieldOfDbtsManifestV12() {
        List<String> problems = new ArrayList<>();
        closed(
                "manifest",
                manifest,
                MANIFEST_REQUIRED,
                union(Set.copyOf(MANIFEST_REQUIRED), Set.of("functions")),
                problems);
        JsonNode metadata = manifest.path("metadata");
        closed("metadata", metadata, List.of(), MANIFEST_METADATA, problems);
        assertThat(metadata.path("dbt_schema_version").asText())
                .isEqualTo("https://schemas.getdbt.com/dbt/manifest/v12.json");
        for (String map : List.of(
                "nodes",
                "sources",
                "macros",
                "docs",
                "exposures",
                "metrics",
                "groups",
                "selectors",
                "saved_queries",
                "semantic_models",
                "unit_tests",
                "functions")) {
            if (!manifest.path(map).isObject()) {
                problems.add(map + " is not an object");
            }
        }
        Set<String> kinds = new TreeSet<>();
        manifest.path("nodes").fields().forEachRemaining(entry -> {
            JsonNode node = entry.getValue();
            String kind = node.path("resource_type").asText();
            kinds.add(kind);
            String where = "nodes." + entry.getKey();
            List<String> required =
                    kind.equals("snapshot") ? union(COMMON_NODE_REQUIRED, List.of("config")) : COMMON_NODE_REQUIRED;
            if (!NODE_PROPERTIES.containsKey(kind)) {
                problems.add(where + ": resource_type '" + kind + "' is none of the node kinds");
                return;
            }
            closed(where, node, required, NODE_PROPERTIES.get(kind), problems);
            nodeTypes(where, node, problems);
        });
        assertThat(kinds).containsExactlyInAnyOrder("model", "seed", "snapshot", "test");
        manifest.path("sources").fields().forEachRemaining(entry -> {
            String where = "sources." + entry.getKey();
            closed(where, entry.getValue(), SOURCE_REQUIRED, SOURCE_PROPERTIES, problems);
            constant(where, entry.getValue(), "resource_type", "source", problems);
            nodeTypes(where, entry.getValue(), problems);
        });
        assertThat(manifest.path("unit_tests").size()).isPositive();
        manifest.path("unit_tests").fields().forEachRemaining(entry -> {
            String where = "unit_tests." + entry.getKey();
            closed(where, entry.getValue(), UNIT_TEST_REQUIRED, UNIT_TEST_PROPERTIES, problems);
            for (JsonNode given : entry.getValue().path("given")) {
                if (!given.path("input").isTextual()) {
                    problems.add(where + ".given: an input fixture without its input");
                }
            }
            if (!entry.getValue().path("expect").isObject()) {
                problems.add(where + ".expect is not an object");
            }
        });
        assertThat(manifest.path("functions").size()).isPositive();
        manifest.path("functions").fields().forEachRemaining(entry -> {
            String where = "functions." + entry.getKey();
            closed(where, entry.getValue(), FUNCTION_REQUIRED, FUNCTION_PROPERTIES, problems);
            constant(where, entry.getValue(), "resource_type", "function", problems);
            closed(
                    where + ".returns",
                    entry.getValue().path("returns"),
                    List.of("data_type"),
                    Set.of("data_type", "description"),
                    problems);
        });
        assertThat(manifest.path("docs").size()).isPositive();
        manifest.path("docs").fields().forEachRemaining(entry -> {
            closed("docs." + entry.getKey(), entry.getValue(), DOC_REQUIRED, Set.copyOf(DOC_REQUIRED), problems);
            constant("docs." + entry.getKey(), entry.getValue(), "resource_type", "doc", problems);
        });
        assertThat(manifest.path("exposures").size()).isEqualTo(1);
        manifest.path("exposures").fields().forEachRemaining(entry -> {
            String where = "exposures." + entry.getKey();
            closed(where, entry.getValue(), EXPOSURE_REQUIRED, EXPOSURE_PROPERTIES, problems);
            constant(where, entry.getValue(), "resource_type", "exposure", problems);
            closed(where + ".owner", entry.getValue().path("owner"), List.of(), Set.of("name", "email"), problems);
            closed(
                    where + ".depends_on",
                    entry.getValue().path("depends_on"),
                    List.of(),
                    Set.of("nodes", "macros"),
                    problems);
        });
        assertThat(manifest.path("child_map").path("model.shop.daily_revenue").toString())
                .contains("exposure.shop.revenue_dashboard");
        for (String map : List.of("parent_map", "child_map")) {
            manifest.path(map).fields().forEachRemaining(entry -> {
                for (JsonNode id : entry.getValue()) {
                    if (!id.isTextual()) {
                        problems.add(map + "." + entry.getKey() + " holds a non-string");
                    }
                }
            });
        }
        assertThat(problems).isEmpty();
    }

    @Test
    void theManifestNamesSeedsAndSnapshotsAsDbtDoesAndKeepsWhatOnlyThisProjectKnows() {
        JsonNode nodes = manifest.path("nodes");
        assertThat(nodes.has("seed.shop.products")).isTrue();
        assertThat(nodes.has("snapshot.shop.products_history")).isTrue();
        JsonNode revenue = nodes.path("model.shop.category_revenue");
        assertThat(revenue.path("depends_on").path("nodes").toString()).contains("seed.shop.products");
        assertThat(revenue.path("config").path("materialized").asText()).isEqualTo("table");
        assertThat(revenue.path("fqn").toString()).isEqualTo("[\"shop\",\"marts\",\"category_revenue\"]");
        assertThat(revenue.path("path").asText()).isEqualTo("marts/category_revenue.sql");
        assertThat(revenue.path("compiled_code").asText()).contains("`flink_dbt`.`shop`.`products`");
        // the file as written, Jinja and all (what catalogs show as the model's source)
        assertThat(revenue.path("raw_code").asText())
                .startsWith("{{ config(materialized='table') }}")
                .contains("join {{ ref('products') }} p");
        assertThat(nodes.path("test.shop.no_negative_revenue").path("raw_code").asText())
                .contains("{{ ref(");
        assertThat(nodes.path("seed.shop.products").has("raw_code")).isFalse();
        assertThat(revenue.path("columns")
                        .path("revenue")
                        .path("lineage")
                        .get(0)
                        .path("node")
                        .asText())
                .isEqualTo("source.shop.shop.orders");
        JsonNode streaming = nodes.path("model.shop.user_activity").path("meta").path("flink_dbt");
        assertThat(streaming.path("plan_path").asText()).isEqualTo("plans/user_activity.json");
        assertThat(streaming.path("stateful_operators").findValuesAsText("role"))
                .isNotEmpty();
        assertThat(manifest.path("metadata").path("env").path("FLINK_VERSION").asText())
                .startsWith("2.1");
    }

    @Test
    void theCatalogHasEveryFieldOfDbtsCatalogV1() {
        List<String> problems = new ArrayList<>();
        closed(
                "catalog",
                catalog,
                List.of("metadata", "nodes", "sources"),
                Set.of("metadata", "nodes", "sources", "errors", "_compile_results"),
                problems);
        closed(
                "catalog.metadata",
                catalog.path("metadata"),
                List.of(),
                Set.of(
                        "dbt_schema_version",
                        "dbt_version",
                        "generated_at",
                        "invocation_id",
                        "invocation_started_at",
                        "env"),
                problems);
        assertThat(catalog.path("metadata").path("dbt_schema_version").asText())
                .isEqualTo("https://schemas.getdbt.com/dbt/catalog/v1.json");
        for (String map : List.of("nodes", "sources")) {
            catalog.path(map).fields().forEachRemaining(entry -> {
                String where = "catalog." + map + "." + entry.getKey();
                JsonNode table = entry.getValue();
                closed(
                        where,
                        table,
                        List.of("metadata", "columns", "stats"),
                        Set.of("metadata", "columns", "stats", "unique_id"),
                        problems);
                closed(
                        where + ".metadata",
                        table.path("metadata"),
                        List.of("type", "schema", "name"),
                        Set.of("type", "schema", "name", "database", "comment", "owner"),
                        problems);
                for (String text : List.of("type", "schema", "name")) {
                    if (!table.path("metadata").path(text).isTextual()) {
                        problems.add(where + ".metadata." + text + " is not a string");
                    }
                }
                table.path("columns").fields().forEachRemaining(column -> {
                    String at = where + ".columns." + column.getKey();
                    closed(
                            at,
                            column.getValue(),
                            List.of("type", "index", "name"),
                            Set.of("type", "index", "name", "comment"),
                            problems);
                    if (!column.getValue().path("index").isInt()
                            || !column.getValue().path("type").isTextual()) {
                        problems.add(at + ": index must be an integer and type a string");
                    }
                });
                table.path("stats").fields().forEachRemaining(stat -> {
                    closed(
                            where + ".stats." + stat.getKey(),
                            stat.getValue(),
                            List.of("id", "label", "value", "include"),
                            Set.of("id", "label", "value", "include", "description"),
                            problems);
                    if (!stat.getValue().path("include").isBoolean()) {
                        problems.add(where + ".stats." + stat.getKey() + ".include is not a boolean");
                    }
                });
            });
        }
        assertThat(catalog.path("nodes").has("model.shop.daily_revenue")).isTrue();
        assertThat(catalog.path("nodes")
                        .path("model.shop.daily_revenue")
                        .path("columns")
                        .path("revenue")
                        .path("type")
                        .asText())
                .isEqualTo("DECIMAL(38, 2)");
        assertThat(catalog.path("sources").has("source.shop.shop.orders")).isTrue();
        assertThat(problems).isEmpty();
    }

    /** The types the schemas give the fields every node has. */
    private static void nodeTypes(String where, JsonNode node, List<String> problems) {
        for (String text : List.of("schema", "name", "package_name", "path", "original_file_path", "unique_id")) {
            if (!node.path(text).isTextual()) {
                problems.add(where + "." + text + " is not a string");
            }
        }
        if (!node.path("database").isTextual() && !node.path("database").isNull()) {
            problems.add(where + ".database is neither a string nor null");
        }
        if (!node.path("fqn").isArray()) {
            problems.add(where + ".fqn is not an array");
        }
        if (node.has("checksum")) {
            closed(
                    where + ".checksum",
                    node.path("checksum"),
                    List.of("name", "checksum"),
                    Set.of("name", "checksum"),
                    problems);
        }
        if (node.has("depends_on")) {
            closed(where + ".depends_on", node.path("depends_on"), List.of(), Set.of("nodes", "macros"), problems);
        }
        if (node.has("docs")) {
            closed(where + ".docs", node.path("docs"), List.of(), Set.of("show", "node_color"), problems);
        }
        for (JsonNode ref : node.path("refs")) {
            closed(where + ".refs[]", ref, List.of("name"), Set.of("name", "package", "version"), problems);
        }
        node.path("columns").fields().forEachRemaining(column -> {
            if (!column.getValue().path("name").isTextual()) {
                problems.add(where + ".columns." + column.getKey() + " has no name");
            }
        });
        if (node.has("test_metadata")) {
            closed(
                    where + ".test_metadata",
                    node.path("test_metadata"),
                    List.of(),
                    Set.of("name", "kwargs", "namespace"),
                    problems);
        }
        if (node.has("config") && !node.path("config").isObject()) {
            problems.add(where + ".config is not an object");
        }
    }

    /** An object with these fields at least, and no other than {@code allowed}. */
    private static void closed(
            String where, JsonNode object, List<String> required, Set<String> allowed, List<String> problems) {
        if (!object.isObject()) {
            problems.add(where + " is not an object");
            return;
        }
        for (String field : required) {
            if (!object.has(field)) {
                problems.add(where + " lacks required '" + field + "'");
            }
        }
        for (Iterator<String> names = object.fieldNames(); names.hasNext(); ) {
            String field = names.next();
            if (!allowed.contains(field)) {
                problems.add(where + " has '" + field + "', which the schema does not allow");
            }
        }
    }

    private static void constant(String where, JsonNode node, String field, String value, List<String> problems) {
        if (!value.equals(node.path(field).asText())) {
            problems.add(where + "." + field + " is not '" + value + "'");
        }
    }

    private static <T> Set<T> union(Set<T> a, Set<T> b) {
        Set<T> out = new TreeSet<>(a);
        out.addAll(b);
        return Set.copyOf(out);
    }

    private static <T> List<T> union(List<T> a, List<T> b) {
        List<T> out = new ArrayList<>(a);
        out.addAll(b);
        return List.copyOf(out);
    }
}
