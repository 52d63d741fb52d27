package io.github.flinkdbt.project;

import io.github.flinkdbt.common.SourcePosition;
import java.util.Map;

/**
 * What a unit test renders the project with instead of the build's values (dbt's {@code overrides}).
 *
 * @param vars variables over the build's
 * @param environment environment variables over the build's, as {@code env_var()} sees them
 * @param macros macros replaced by a fixed output, by name ({@code current_timestamp}) or with their
 *     namespace ({@code dbt.current_timestamp})
 * @param at the unit test, where problems with the overrides are reported
 */
public record RenderOverrides(
        Map<String, Object> vars, Map<String, String> environment, Map<String, Object> macros, SourcePosition at) {

    /** Whether the build's render serves (nothing is overridden). */
    public boolean isEmpty() {
        return vars.isEmpty() && environment.isEmpty() && macros.isEmpty();
    }
}
