package io.github.flinkdbt.project;

import io.github.flinkdbt.common.SourcePosition;
import java.util.Locale;
import java.util.Optional;

/**
 * A column declared in YAML. Sources use all of it (dbt-flink-adapter's keys); models use the name
 * and description.
 *
 * @param dataType Flink SQL type as written, e.g. {@code BIGINT}, {@code TIMESTAMP(3)}; null if
 *     not given
 * @param expression for COMPUTED: the SQL expression; for METADATA: the metadata key (optional)
 */
public record ColumnDefinition(
        String name, String dataType, String description, Kind kind, String expression, SourcePosition position) {

    /** dbt-flink-adapter's {@code column_type}. */
    public enum Kind {
        PHYSICAL,
        METADATA,
        COMPUTED;

        public String configName() {
            return name().toLowerCase(Locale.ROOT);
        }

        public static Optional<Kind> fromConfig(String value) {
            for (Kind kind : values()) {
                if (kind.configName().equals(value.toLowerCase(Locale.ROOT))) {
                    return Optional.of(kind);
                }
            }
            return Optional.empty();
        }
    }
}
