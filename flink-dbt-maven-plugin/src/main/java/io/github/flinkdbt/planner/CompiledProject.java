package io.github.flinkdbt.planner;

import io.github.flinkdbt.graph.ModelGraph;
import io.github.flinkdbt.graph.Selection;
import io.github.flinkdbt.project.Project;

/**
 * A project as a compile leaves it: loaded, its DAG, the models selected, and what planning gave
 * each of them. What {@code run}, the tests and the compile output are made from.
 */
public record CompiledProject(Project project, ModelGraph graph, Selection selection, PlanningResult result) {}
