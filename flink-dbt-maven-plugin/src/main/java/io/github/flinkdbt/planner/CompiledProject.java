package io.github.flinkdbt.planner;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonProperty;
import io.github.flinkdbt.common.Problems;
import io.github.flinkdbt.graph.ModelGraph;
import io.github.flinkdbt.graph.Selection;
import io.github.flinkdbt.project.Project;

/**
 * A project as a compile leaves it: loaded, its DAG, the models selected, and what planning gave
 * each of them. What {@code run}, the tests and the compile output are made from. It travels
 * whole (as JSON) from the compile to the JVM that runs it; the DAG is rebuilt there from the
 * project.
 */
public record CompiledProject(
        Project project, @JsonIgnore ModelGraph graph, Selection selection, PlanningResult result) {

    @JsonCreator
    static CompiledProject restore(
            @JsonProperty("project") Project project,
            @JsonProperty("selection") Selection selection,
            @JsonProperty("result") PlanningResult result) {
        return new CompiledProject(project, ModelGraph.of(project, new Problems()), selection, result);
    }
}
