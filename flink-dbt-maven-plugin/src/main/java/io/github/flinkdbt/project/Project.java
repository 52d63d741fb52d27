package io.github.flinkdbt.project;

import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * A loaded model project: everything rendered and checked that can be checked without Flink.
 *
 * @param catalog the Flink catalog models live in
 * @param database the default Flink database of models
 * @param models enabled models that loaded without problems, by name (sorted)
 * @param brokenModels models with problems (reported); models reading them are not planned
 * @param brokenSources source tables with problems (reported), by {@code source.table}
 * @param environmentRead names of the environment variables the project read
 * @param onRunStart dbt_project.yml's {@code on-run-start} statements, rendered: run before any model
 * @param exposures what uses the models downstream (dashboards, applications), for the docs and manifest
 * @param warnings what loading found to fix that does not stop the build ({@code file:line  message}),
 *     for the pages that list them (the docs site)
 * @param onRunEnd its {@code on-run-end} statements, rendered: run after every model (failed or not)
 */
public record Project(
        ProjectLayout layout,
        String catalog,
        String database,
        Map<String, Model> models,
        List<SourceTable> sources,
        List<DataTest> dataTests,
        List<UnitTest> unitTests,
        List<SingularTest> singularTests,
        List<FunctionDefinition> functions,
        List<Exposure> exposures,
        Map<String, String> docs,
        Map<String, Object> vars,
        Set<String> brokenModels,
        Set<String> brokenSources,
        Set<String> environmentRead,
        List<String> onRunStart,
        List<String> onRunEnd,
        List<String> warnings) {

    public Project {
        warnings = warnings == null ? List.of() : List.copyOf(warnings);
        exposures = exposures == null ? List.of() : List.copyOf(exposures);
    }

    public String name() {
        return layout.name();
    }

    /** The same project with these models instead. */
    public Project withModels(Map<String, Model> newModels) {
        return new Project(
                layout,
                catalog,
                database,
                new TreeMap<>(newModels),
                sources,
                dataTests,
                unitTests,
                singularTests,
                functions,
                exposures,
                docs,
                vars,
                brokenModels,
                brokenSources,
                environmentRead,
                onRunStart,
                onRunEnd,
                warnings);
    }

    public Model model(String name) {
        return models.get(name);
    }

    public SourceTable source(String uniqueName) {
        return sources.stream()
                .filter(s -> s.uniqueName().equals(uniqueName))
                .findFirst()
                .orElse(null);
    }
}
