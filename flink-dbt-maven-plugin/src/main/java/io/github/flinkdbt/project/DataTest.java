package io.github.flinkdbt.project;

import java.util.Map;

/**
 * A data test: generic ({@code not_null}, {@code unique}, {@code accepted_values},
 * {@code relationships}, or a custom {@code {% test %}}) attached to a model or source, optionally
 * to one of its columns.
 *
 * @param uniqueName dbt's test name, e.g. {@code not_null_orders_order_id}
 * @param attachedTo a model name, or {@code source_name.table_name} when {@code onSource}
 * @param arguments the test's arguments (values, to, field, ...)
 */
public record DataTest(
        String testName,
        String uniqueName,
        String attachedTo,
        boolean onSource,
        String column,
        Map<String, Object> arguments,
        String severity,
        String where,
        SourcePosition position) {}
