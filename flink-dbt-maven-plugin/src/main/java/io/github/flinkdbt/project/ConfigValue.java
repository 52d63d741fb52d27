package io.github.flinkdbt.project;

import java.util.Set;

/**
 * A configuration value and where it was set (dbt_project.yml, a schema file, or config()).
 *
 * @param secretKeys for a mapping value: the keys whose values came from secret env vars
 */
public record ConfigValue(Object value, SourcePosition position, Set<String> secretKeys) {

    public ConfigValue(Object value, SourcePosition position) {
        this(value, position, Set.of());
    }
}
