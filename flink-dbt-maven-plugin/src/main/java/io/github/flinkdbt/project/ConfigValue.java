package io.github.flinkdbt.project;

import io.github.flinkdbt.common.SourcePosition;
import java.util.Map;
import java.util.Set;

/**
 * A configuration value and where it was set (dbt_project.yml, a schema file, or config()).
 *
 * @param secretKeys for a mapping value: the keys whose values came from secret env vars
 * @param keyPositions for a mapping value written in YAML: where each of its keys is
 */
public record ConfigValue(
        Object value, SourcePosition position, Set<String> secretKeys, Map<String, SourcePosition> keyPositions) {

    public ConfigValue(Object value, SourcePosition position) {
        this(value, position, Set.of(), Map.of());
    }

    /** Where {@code key} of this mapping value was written; the value's own position when not known. */
    public SourcePosition positionOf(String key) {
        return keyPositions.getOrDefault(key, position);
    }
}
