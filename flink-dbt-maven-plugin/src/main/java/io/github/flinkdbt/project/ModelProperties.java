package io.github.flinkdbt.project;

import io.github.flinkdbt.common.SourcePosition;
import java.util.List;
import java.util.Map;

/**
 * What a schema file says about a model under {@code models:} (or a seed, or a snapshot).
 *
 * @param relation a snapshot defined in YAML (dbt 1.9): what it snapshots, {@code ref('x')} or
 *     {@code source('a', 'b')}; null otherwise
 */
public record ModelProperties(
        String name,
        String description,
        Map<String, ConfigValue> config,
        List<ColumnDefinition> columns,
        SourcePosition position,
        String relation) {}
