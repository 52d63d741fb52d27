package io.github.flinkdbt.project;

import io.github.flinkdbt.common.Problems;
import io.github.flinkdbt.common.SourcePosition;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The project's snapshots: {@code {% snapshot name %}...{% endsnapshot %}} blocks in the snapshot
 * paths, as nodes other models ref() and {@code run} builds in DAG order.
 */
final class SnapshotModels {

    private static final Pattern BLOCK = Pattern.compile(
            "\\{%-?\\s*snapshot\\s+([A-Za-z_][A-Za-z0-9_]*)\\s*-?%}(.*?)\\{%-?\\s*endsnapshot\\s*-?%}", Pattern.DOTALL);
    private static final Pattern OPENING = Pattern.compile("\\{%-?\\s*snapshot\\b");

    /** A snapshot block: its file, and the file's text with everything but the block's body blanked (positions kept). */
    record Block(String name, Path file, SourceText body, SourcePosition position, List<String> segments) {}

    /** A rendered snapshot, before its refs are resolved. */
    record Rendered(Block block, RenderedTemplate template, ModelConfig config, Relation relation, boolean broken) {}

    private final JinjaEnvironment jinja;
    private final Problems problems;

    SnapshotModels(JinjaEnvironment jinja, Problems problems) {
        this.jinja = jinja;
        this.problems = problems;
    }

    /** The snapshot blocks of the project by name; a name another node has is reported. */
    Map<String, Block> find(ProjectLayout layout, Set<String> takenNames) {
        Map<String, Block> blocks = new TreeMap<>();
        List<Path> dirs = ProjectFiles.dirs(layout, layout.snapshotPaths());
        for (Path file : ProjectFiles.files(dirs, ".sql", List.of())) {
            SourceText source = ProjectFiles.read(problems, layout, file);
            Matcher block = BLOCK.matcher(source.text());
            int found = 0;
            while (block.find()) {
                found++;
                String name = block.group(1);
                SourcePosition at = source.position(block.start());
                Block previous = blocks.get(name);
                if (previous != null || takenNames.contains(name)) {
                    problems.add(
                            at,
                            "Two nodes are named '" + name + "'"
                                    + (previous != null
                                            ? " (the other snapshot is at " + previous.position() + ")."
                                            : "."),
                            "Snapshot, model and seed names must be unique; rename the snapshot.");
                    continue;
                }
                blocks.put(
                        name,
                        new Block(
                                name,
                                file,
                                SourceText.of(source.path(), blankOutside(source.text(), block.start(2), block.end(2))),
                                at,
                                ProjectFiles.segments(dirs, file, name)));
            }
            if (found == 0 && !source.text().isBlank()) {
                Matcher opening = OPENING.matcher(source.text());
                problems.add(
                        opening.find() ? source.position(opening.start()) : source.start(),
                        opening.find(0)
                                ? "This {% snapshot %} block has no {% endsnapshot %} (or no name)."
                                : "A file in a snapshot path holds no {% snapshot %} block.",
                        "Write {% snapshot name %} select ... {% endsnapshot %}, or move the file to the models.");
            }
        }
        return blocks;
    }

    /**
     * Snapshots defined in YAML (dbt 1.9: {@code relation:} and a config) as blocks selecting
     * everything from that relation, written at the entry's line so problems point there.
     */
    Map<String, Block> fromYaml(Map<String, ModelProperties> properties, Set<String> takenNames) {
        Map<String, Block> blocks = new TreeMap<>();
        for (ModelProperties entry : properties.values()) {
            if (entry.relation() == null) {
                continue;
            }
            if (takenNames.contains(entry.name())) {
                problems.add(
                        entry.position(),
                        "Two nodes are named '" + entry.name() + "'.",
                        "Snapshot, model and seed names must be unique; rename the snapshot.");
                continue;
            }
            String relation = entry.relation().trim();
            if (!relation.matches("(ref|source)\\(.*\\)")) {
                problems.add(
                        entry.position(),
                        "Snapshot '" + entry.name()
                                + "': relation must be ref('model') or source('name', 'table'), not '" + relation
                                + "'.",
                        null);
                continue;
            }

            blocks.put(
                    entry.name(),
                    new Block(
                            entry.name(),
                            null,
                            SourceText.placedAt(entry.position(), "select * from {{ " + relation + " }}\n"),
                            entry.position(),
                            List.of(entry.name())));
        }
        return blocks;
    }

    /** Renders a snapshot's block with its configs (dbt_project.yml's, its schema file's, its own). */
    Rendered render(
            Block block,
            ProjectSymbols symbols,
            FolderConfigs folders,
            ModelProperties properties,
            String catalog,
            String database) {
        int before = problems.size();
        RenderedTemplate template = jinja.render(
                block.body(), symbols, block.name(), false, state -> new Relation(catalog, database, block.name()));
        problems.addAll(template.state().problems());
        Map<String, ConfigValue> call = new LinkedHashMap<>();
        for (RenderState.ConfigCall config : template.state().configCalls()) {
            config.values().forEach((k, v) -> call.put(k, new ConfigValue(v, config.position())));
        }
        Map<String, ConfigValue> merged = ConfigRules.merge(
                folders.forPath(block.segments()), properties == null ? Map.of() : properties.config(), call);
        ModelConfig config = config(merged, SnapshotConfig.read(block.name(), merged, block.position(), problems));
        Relation relation = ProjectLoader.relation(block.name(), config, catalog, database);
        return new Rendered(block, template, config, relation, problems.size() > before);
    }

    /** The snapshot as a node: its query, the table it keeps, what it reads. */
    Model model(Rendered rendered, SqlAssembler assembler, ModelProperties properties, List<String> reads) {
        Block block = rendered.block();
        SqlText sql = assembler.assemble(rendered.template());
        if (sql.text().isBlank()) {
            problems.add(
                    block.position(), "Snapshot '" + block.name() + "' has no SQL.", "Write a SELECT statement in it.");
        }
        return new Model(
                block.name(),
                block.body().path(),
                block.body().path(),
                block.body().checksum(),
                rendered.config(),
                rendered.relation(),
                sql,
                null,
                reads,
                Map.of(),
                List.copyOf(rendered.template().state().sources()),
                properties == null ? null : properties.description(),
                properties == null ? List.of() : properties.columns(),
                block.position());
    }

    /** The node config of a snapshot: an Iceberg table keyed by its scd id, new query columns added as they come. */
    private ModelConfig config(Map<String, ConfigValue> merged, SnapshotConfig snapshot) {
        ConfigRules.Reader read = new ConfigRules.Reader(merged, problems);
        Map<String, String> execution = new TreeMap<>(read.stringMap("default_execution_config"));
        execution.putAll(read.stringMap("execution_config"));
        if (read.string("parallelism") != null) {
            execution.put("parallelism.default", read.string("parallelism"));
        }
        Map<String, Object> values = new TreeMap<>();
        merged.forEach((key, value) -> values.put(key, value.value()));
        values.put("materialized", Materialization.SNAPSHOT.configName());
        values.put("on_schema_change", "append_new_columns");
        String schema = read.string("target_schema");
        String database = read.string("target_database");
        return new ModelConfig(
                Materialization.SNAPSHOT,
                read.bool("enabled", true),
                read.stringList("tags"),
                read.string("alias"),
                schema != null ? schema : read.string("schema"),
                database != null ? database : read.string("database"),
                List.of(snapshot.columns().scdId()),
                List.of(),
                Map.of(),
                Map.of(),
                Map.of(),
                read.stringMap("properties"),
                execution,
                null,
                null,
                values);
    }

    private static String blankOutside(String text, int start, int end) {
        StringBuilder out = new StringBuilder(text.length());
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            out.append(i >= start && i < end || c == '\n' ? c : ' ');
        }
        return out.toString();
    }
}
