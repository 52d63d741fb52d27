package io.github.flinkdbt.planner;

import io.github.flinkdbt.common.Json;
import io.github.flinkdbt.project.ColumnDefinition;
import io.github.flinkdbt.project.Model;
import io.github.flinkdbt.project.Secrets;
import io.github.flinkdbt.project.SourceTable;
import io.github.flinkdbt.project.SourceText;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;

/**
 * Checksums of everything a model's planning depends on: its rendered SQL and config, what it
 * reads (a view's or ephemeral's own key, a table's definition, a source's definition), the
 * Flink and plugin versions, the Flink options, and the project's function classes.
 */
final class CacheKeys {

    private final String global;

    CacheKeys(String pluginVersion, String flinkVersion, Map<String, String> configuration, String functions) {
        this.global = "flink-dbt " + pluginVersion + "|flink " + flinkVersion + "|" + new TreeMap<>(configuration)
                + "|functions " + functions;
    }

    /** A model's key; {@code inputs} maps each ref and source to its output key or definition. */
    String model(Model model, Map<String, String> inputs) {
        StringBuilder text = new StringBuilder(global)
                .append("|model ")
                .append(model.name())
                .append("|")
                .append(model.materialization())
                .append("|")
                .append(model.relation())
                .append("|config ")
                .append(Json.write(new TreeMap<>(model.config().values())))
                .append("|sql ")
                .append(model.sql().text())
                .append("|incremental ")
                .append(
                        model.incrementalSql() == null
                                ? ""
                                : model.incrementalSql().text())
                .append("|inputs ")
                .append(new TreeMap<>(inputs));
        return SourceText.sha256(text.toString());
    }

    /** What a model's readers depend on: a view's whole key, or a table's definition. */
    static String output(PlannedModel planned) {
        return planned.materialization().isMaterialized()
                ? SourceText.sha256(planned.tableDefinition())
                : planned.cacheKey();
    }

    /** A source's definition (secrets redacted: a new password does not change a plan). */
    static String source(SourceTable source) {
        StringBuilder text = new StringBuilder(source.relation().toString());
        for (ColumnDefinition column : source.columns()) {
            text.append('|')
                    .append(column.name())
                    .append(' ')
                    .append(column.kind())
                    .append(' ')
                    .append(column.dataType())
                    .append(' ')
                    .append(column.expression());
        }
        text.append("|watermark ")
                .append(
                        source.watermark() == null
                                ? ""
                                : source.watermark().column() + " "
                                        + source.watermark().strategy());
        text.append("|pk ").append(source.primaryKey());
        text.append("|options ")
                .append(Secrets.redact(
                        source.connectorProperties(), source.secretProperties().keySet()));
        return SourceText.sha256(text.toString());
    }

    /** The project's compiled classes and libraries, when it declares functions. */
    static String functions(List<Path> classpath, boolean hasFunctions) {
        if (!hasFunctions) {
            return "none";
        }
        StringBuilder text = new StringBuilder();
        for (Path entry : classpath) {
            try {
                if (Files.isDirectory(entry)) {
                    try (Stream<Path> files = Files.walk(entry)) {
                        for (Path file : (Iterable<Path>)
                                files.filter(Files::isRegularFile).sorted()::iterator) {
                            text.append(entry.relativize(file))
                                    .append(' ')
                                    .append(SourceText.sha256(
                                            new String(Files.readAllBytes(file), StandardCharsets.ISO_8859_1)))
                                    .append('\n');
                        }
                    }
                } else if (Files.isRegularFile(entry)) {
                    text.append(entry.getFileName())
                            .append(' ')
                            .append(Files.size(entry))
                            .append(' ')
                            .append(Files.getLastModifiedTime(entry).toMillis())
                            .append('\n');
                }
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return SourceText.sha256(text.toString());
    }
}
