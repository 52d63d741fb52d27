package io.github.flinkdbt.project;

import io.github.flinkdbt.TestProjects;
import io.github.flinkdbt.common.Problem;
import io.github.flinkdbt.common.Problems;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/** Loads test projects and collects their problems. */
final class Loading {

    private Loading() {}

    record Result(Project project, List<Problem> problems, List<String> warnings) {
        String messages() {
            return String.join("\n", problems.stream().map(Problem::format).toList());
        }

        Model model(String name) {
            return project.model(name);
        }
    }

    static Result load(Path dir) {
        return load(dir, Map.of(), Map.of());
    }

    static Result load(Path dir, Map<String, Object> vars, Map<String, String> environment) {
        Problems problems = new Problems();
        Project project = ProjectLoader.load(
                TestProjects.loading(
                        TestProjects.settings(dir).vars(vars).build().compile(), environment),
                problems);
        return new Result(project, problems.sorted(), problems.warnings());
    }
}
