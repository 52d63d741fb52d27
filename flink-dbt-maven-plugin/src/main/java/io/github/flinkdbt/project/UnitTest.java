package io.github.flinkdbt.project;

import io.github.flinkdbt.common.SourcePosition;
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
        SourcePosition position) {

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
