package io.github.flinkdbt.project;

import io.github.flinkdbt.common.SourcePosition;

/** {@code WATERMARK FOR column AS strategy}, declared on a source table. */
public record Watermark(String column, String strategy, SourcePosition position) {}
