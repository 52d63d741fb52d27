package io.github.flinkdbt.project;

import io.github.flinkdbt.common.SourcePosition;
import java.util.List;

/**
 * A downstream use of the project's models (a dashboard, an application, a notebook), as dbt's
 * {@code exposures:} declare it: shown in the lineage and written to the manifest; nothing runs it.
 *
 * @param type dashboard, notebook, analysis, ml or application
 * @param refs the models it depends on ({@code ref('x')})
 * @param sources the sources it depends on ({@code source('s', 't')} as {@code s.t})
 */
public record Exposure(
        String name,
        String type,
        String label,
        String ownerName,
        String ownerEmail,
        String description,
        String url,
        String maturity,
        List<String> tags,
        List<String> refs,
        List<String> sources,
        SourcePosition position) {}
