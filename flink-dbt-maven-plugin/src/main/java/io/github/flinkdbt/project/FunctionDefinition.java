package io.github.flinkdbt.project;

import io.github.flinkdbt.common.SourcePosition;

/**
 * A Java user-defined function of the project, declared in a schema file:
 * <pre>
 * functions:
 *   - name: to_cents
 *     class: com.acme.udf.ToCents
 * </pre>
 */
public record FunctionDefinition(String name, String className, String description, SourcePosition position) {}
