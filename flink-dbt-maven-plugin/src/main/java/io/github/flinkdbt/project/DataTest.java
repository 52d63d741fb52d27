package io.github.flinkdbt.project;

import io.github.flinkdbt.common.SourcePosition;
import java.util.List;
import java.util.Map;

/**
 * A data test: generic ({@code not_null}, {@code unique}, {@code accepted_values},
 * {@code relationships}, or a custom {@code {% test %}}) attached to a model or source, optionally
 * to one of its columns.
 *
 * @param uniqueName dbt's test name, e.g. {@code not_null_orders_order_id}
 * @param attachedTo a model name, or {@code source_name.table_name} when {@code onSource}
 * @param arguments the test's arguments (values, to, field, ...)
 * @param sql the query whose rows are the failures (null until the project is assembled)
 * @param refs the models the query reads
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
        SourcePosition position,
        SqlText sql,
        List<String> refs) {

    /** The same test with its query: rows it returns are failures. */
    DataTest withSql(SqlText query, List<String> reads) {
        return new DataTest(
                testName,
                uniqueName,
                attachedTo,
                onSource,
                column,
                arguments,
                severity,
                where,
                position,
                query,
                List.copyOf(reads));
    }

    /** Whether a failure fails the build (severity error) or only warns. */
    public boolean failsBuild() {
        return !"warn".equals(severity);
    }
}
