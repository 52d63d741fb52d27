package io.github.flinkdbt.project;

import io.github.flinkdbt.common.SourcePosition;
import java.util.List;
import java.util.Map;

/**
 * A table declared under {@code sources:}; registered with its connector options so models can
 * read it with {@code source('name', 'table')}.
 *
 * @param connectorProperties the Flink {@code WITH} options, rendered
 * @param secretProperties the options whose values are secrets (by name or because they came from a
 *     secret env var), each with the YAML text it was rendered from (what a bundle carries
 *     instead of the value); they are redacted from every output
 * @param optionPositions where each of {@code connectorProperties} was written
 * @param mode dbt-flink-adapter's {@code type}: "streaming", "batch" or null
 * @param node for a source over a table of the catalog: the seed or model of this project that
 *     writes it (models reading the source then run after it, as after a ref), else null
 */
public record SourceTable(
        String sourceName,
        String name,
        Relation relation,
        String description,
        Map<String, String> connectorProperties,
        Map<String, String> secretProperties,
        Map<String, SourcePosition> optionPositions,
        Watermark watermark,
        List<String> primaryKey,
        List<ColumnDefinition> columns,
        String mode,
        List<String> tags,
        SourcePosition position,
        String node) {

    /**
     * A source without connector properties names a relation that exists: a seed or model of this
     * project, or a table created elsewhere in the project's catalog (dbt's sources).
     */
    public boolean overCatalogTable() {
        return connectorProperties.isEmpty();
    }

    /** The same source, written by {@code writer} (a seed or model of this project). */
    public SourceTable writtenBy(String writer) {
        return with(columns, writer);
    }

    /** The same source with the columns its table has in the catalog. */
    public SourceTable withColumns(List<ColumnDefinition> catalogColumns) {
        return with(List.copyOf(catalogColumns), node);
    }

    private SourceTable with(List<ColumnDefinition> newColumns, String newNode) {
        return new SourceTable(
                sourceName,
                name,
                relation,
                description,
                connectorProperties,
                secretProperties,
                optionPositions,
                watermark,
                primaryKey,
                newColumns,
                mode,
                tags,
                position,
                newNode);
    }

    /** Where the connector option {@code key} was written; the table's position when not known. */
    public SourcePosition positionOf(String key) {
        return optionPositions.getOrDefault(key, position);
    }

    /** {@code source_name.table_name}, how tests and the manifest refer to it. */
    public String uniqueName() {
        return sourceName + "." + name;
    }
}
