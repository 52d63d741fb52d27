package io.github.flinkdbt.project;

import io.github.flinkdbt.common.Problems;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/** The project's seeds (CSV files) as models other models ref(). */
final class SeedModels {

    private final Problems problems;

    SeedModels(Problems problems) {
        this.problems = problems;
    }

    /** Seed CSV files by name; a name a model has already is reported. */
    Map<String, Path> names(ProjectLayout layout, Map<String, Path> modelNames) {
        return ProjectFiles.nodeNames(
                problems,
                layout,
                ProjectFiles.files(ProjectFiles.dirs(layout, layout.seedPaths()), ".csv", List.of()),
                "Seed",
                modelNames);
    }

    Map<String, Model> models(
            ProjectLayout layout, Map<String, Path> files, SchemaDefinitions schema, String catalog, String database) {
        Map<String, Model> seeds = new TreeMap<>();
        for (Map.Entry<String, Path> entry : files.entrySet()) {
            String name = entry.getKey();
            SourceText csv = ProjectFiles.read(problems, layout, entry.getValue());
            ModelProperties properties = schema.models().get(name);
            Map<String, ConfigValue> raw = properties == null ? Map.of() : properties.config();
            Map<String, ConfigValue> common = new LinkedHashMap<>();
            raw.forEach((key, value) -> {
                if (List.of("enabled", "tags", "alias", "schema", "database", "docs", "meta")
                        .contains(key)) {
                    common.put(key, value);
                }
            });
            ModelConfig general = ConfigRules.resolve(name, common, problems);
            Map<String, Object> values = new TreeMap<>(general.values());
            raw.forEach((key, value) -> values.put(key, value.value()));
            values.put("materialized", Materialization.SEED.configName());
            ModelConfig config = new ModelConfig(
                    Materialization.SEED,
                    general.enabled(),
                    general.tags(),
                    general.alias(),
                    general.schema(),
                    general.database(),
                    List.of(),
                    List.of(),
                    Map.of(),
                    Map.of(),
                    Map.of(),
                    Map.of(),
                    Map.of(),
                    null,
                    null,
                    values);
            SqlText sql = SeedLoader.query(csv, raw, problems);
            if (sql == null || !config.enabled()) {
                continue;
            }
            seeds.put(
                    name,
                    new Model(
                            name,
                            layout.relative(entry.getValue()),
                            csv.path(),
                            csv.checksum(),
                            config,
                            ProjectLoader.relation(name, config, catalog, database),
                            sql,
                            null,
                            List.of(),
                            Map.of(),
                            List.of(),
                            properties == null ? null : properties.description(),
                            properties == null ? List.of() : properties.columns(),
                            csv.start()));
        }
        return seeds;
    }
}
