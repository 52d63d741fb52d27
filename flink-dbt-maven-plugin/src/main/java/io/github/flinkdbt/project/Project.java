package io.github.flinkdbt.project;

import java.util.List;
import java.util.Map;

/**
 * A loaded model project: everything rendered and checked that can be checked without Flink.
 *
 * @param catalog the Flink catalog models live in
 * @param database the default Flink database of models
 * @param models enabled models by name (sorted)
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
        Map<String, String> docs,
        Map<String, Object> vars) {

    public String name() {
        return layout.name();
    }

    public Model model(String name) {
        return models.get(name);
    }

    public SourceTable source(String uniqueName) {
        return sources.stream().filter(s -> s.uniqueName().equals(uniqueName)).findFirst().orElse(null);
    }
}
