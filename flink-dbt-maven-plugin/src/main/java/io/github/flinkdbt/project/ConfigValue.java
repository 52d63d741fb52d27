package io.github.flinkdbt.project;

import io.github.flinkdbt.common.SourcePosition;
import java.util.Map;

/**
 * A configuration value and where it was set (dbt_project.yml, a schema file, or config()).
 *
 * @param secretTemplates for a mapping value: each key whose value is a secret (by its name, or because
 *     a secret env var went into it), with the YAML text it was rendered from
 * @param keyPositions for a mapping value written in YAML: where each of its keys is
 */
public record ConfigValue(
        Object value,
        SourcePosition position,
        Map<String, String> secretTemplates,
        Map<String, SourcePosition> keyPositions) {

    public ConfigValue(Object value, SourcePosition position) {
        this(value, position, Map.of(), Map.of());
    }

    /** Where {@code key} of this mapping value was written; the value's own position when not known. */
    public SourcePosition positionOf(String key) {
        return keyPositions.getOrDefault(key, position);
    }
}
