package io.github.flinkdbt.project;

import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A table declared under {@code sources:}; registered with its connector options so models can
 * read it with {@code source('name', 'table')}.
 *
 * @param connectorProperties the Flink {@code WITH} options, rendered
 * @param secretProperties keys whose values are secrets (by name or because they came from a
 *     secret env var); they are redacted from every output
 * @param mode dbt-flink-adapter's {@code type}: "streaming", "batch" or null
 */
public record SourceTable(
        String sourceName,
        String name,
        Relation relation,
        String description,
        Map<String, String> connectorProperties,
        Set<String> secretProperties,
        Watermark watermark,
        List<String> primaryKey,
        List<ColumnDefinition> columns,
        String mode,
        List<String> tags,
        SourcePosition position) {

    /** {@code source_name.table_name}, how tests and the manifest refer to it. */
    public String uniqueName() {
        return sourceName + "." + name;
    }
}
