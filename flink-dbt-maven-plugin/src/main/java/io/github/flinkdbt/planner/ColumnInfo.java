package io.github.flinkdbt.planner;

/**
 * A column of a model's output.
 *
 * @param type the type as Flink shows it, e.g. {@code BIGINT NOT NULL}, {@code TIMESTAMP(3) *ROWTIME*}
 * @param serializedType the type in Flink's serializable form (time attributes dropped)
 */
public record ColumnInfo(String name, String type, String serializedType) {}
