package io.github.flinkdbt.project;

import io.github.flinkdbt.common.SourcePosition;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A model: one SQL file, rendered, configured and ready to plan.
 *
 * @param path the file, relative to the project directory (e.g. {@code src/main/sql/orders.sql})
 * @param displayPath the file as messages show it
 * @param relation where it lives in Flink (unused for ephemeral models)
 * @param sql the SQL the planner sees: refs resolved, ephemeral models inlined as CTEs
 * @param incrementalSql for incremental models, the {@code is_incremental()} variant; else null
 * @param refs models it reads directly, in order of first use
 * @param refPositions where each of {@code refs} is first referenced
 * @param sources source tables it reads ({@code source_name.table_name})
 * @param columns column docs from the schema file
 */
public record Model(
        String name,
        String path,
        String displayPath,
        String checksum,
        ModelConfig config,
        Relation relation,
        SqlText sql,
        SqlText incrementalSql,
        List<String> refs,
        Map<String, SourcePosition> refPositions,
        List<String> sources,
        String description,
        List<ColumnDefinition> columns,
        SourcePosition position) {

    public Materialization materialization() {
        return config.materialized();
    }

    /**
     * Adds the tables this model's SQL reads: its refs and sources, looking through the ephemeral
     * models inlined into it (their own inputs instead).
     */
    /**
     * What {@code state:modified} compares with a baseline: the file, the SQL as compiled (macros
     * and vars rendered) and the config as configured (secrets redacted).
     */
    public String stateChecksum() {
        return SourceText.sha256(String.join(
                "\0",
                checksum,
                materialization().configName(),
                sql.text(),
                incrementalSql == null ? "" : incrementalSql.text(),
                config.redactedValues().toString()));
    }

    /** The same model with the {@code unique_key} the planner inferred from its query. */
    public Model withUniqueKey(List<String> key) {
        return withConfig(config.withUniqueKey(key));
    }

    /** The same model with another config. */
    Model withConfig(ModelConfig newConfig) {
        return new Model(
                name,
                path,
                displayPath,
                checksum,
                newConfig,
                relation,
                sql,
                incrementalSql,
                refs,
                refPositions,
                sources,
                description,
                columns,
                position);
    }

    public void inputs(Map<String, Model> models, Set<String> refs, Set<String> sources) {
        sources.addAll(this.sources);
        for (String ref : this.refs) {
            Model upstream = models.get(ref);
            if (upstream != null && upstream.materialization() == Materialization.EPHEMERAL) {
                upstream.inputs(models, refs, sources);
            } else {
                refs.add(ref);
            }
        }
    }
}
