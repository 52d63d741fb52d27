package io.github.flinkdbt.project;

import io.github.flinkdbt.common.SourcePosition;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A dbt 1.8 unit test: a model, its inputs as fixtures, and the rows it must produce.
 *
 * @param given inputs in declaration order
 * @param expect the expected output as written (rows, format, fixture)
 */
public record UnitTest(
        String name,
        String model,
        String description,
        List<Input> given,
        Map<String, Object> expect,
        Map<String, Object> overrides,
        List<String> tags,
        SourcePosition position) {

    /** What a test's {@code overrides} render the project with; {@code is_incremental} is left to the test. */
    public RenderOverrides renderOverrides() {
        Map<String, Object> macros = new LinkedHashMap<>();
        if (overrides.get("macros") instanceof Map<?, ?> map) {
            map.forEach((name, output) -> {
                if (!"is_incremental".equals(name)) {
                    macros.put(String.valueOf(name), output);
                }
            });
        }
        Map<String, Object> vars = new LinkedHashMap<>();
        if (overrides.get("vars") instanceof Map<?, ?> map) {
            map.forEach((name, value) -> vars.put(String.valueOf(name), value));
        }
        Map<String, String> environment = new LinkedHashMap<>();
        if (overrides.get("env_vars") instanceof Map<?, ?> map) {
            map.forEach((name, value) -> environment.put(String.valueOf(name), String.valueOf(value)));
        }
        return new RenderOverrides(vars, environment, macros, position);
    }

    /**
     * One {@code given} entry: {@code input: ref('x')}, {@code source('s','t')} or {@code this} (an
     * incremental model's current table) plus its data.
     */
    public record Input(
            String input, String refName, String sourceName, Map<String, Object> data, SourcePosition position) {

        /** Whether it gives {@code this} (named so that it is no property where the project is written as JSON). */
        public boolean namesThis() {
            return refName == null && sourceName == null;
        }
    }
}
