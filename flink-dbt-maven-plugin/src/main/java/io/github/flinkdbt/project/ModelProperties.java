package io.github.flinkdbt.project;

import io.github.flinkdbt.common.SourcePosition;
import java.util.List;
import java.util.Map;

/** What a schema file says about a model under {@code models:}. */
public record ModelProperties(
        String name,
        String description,
        Map<String, ConfigValue> config,
        List<ColumnDefinition> columns,
        SourcePosition position) {}
