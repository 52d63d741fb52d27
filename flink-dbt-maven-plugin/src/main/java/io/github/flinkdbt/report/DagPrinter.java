package io.github.flinkdbt.report;

import io.github.flinkdbt.graph.ModelGraph;
import io.github.flinkdbt.project.Model;
import io.github.flinkdbt.project.Project;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/** The model DAG as lines of text: each model in build order with what it reads. */
public final class DagPrinter {

    private DagPrinter() {}

    public static List<String> lines(ModelGraph graph) {
        Project project = graph.project();
        int width = 5;
        for (String name : graph.topologicalOrder()) {
            width = Math.max(width, name.length());
        }
        List<String> lines = new ArrayList<>();
        for (String name : graph.topologicalOrder()) {
            Model model = project.model(name);
            List<String> inputs = new ArrayList<>(model.refs());
            model.sources().forEach(s -> inputs.add("source:" + s));
            lines.add(String.format(
                            "%-" + width + "s  %-15s %s",
                            name,
                            model.materialization().configName(),
                            inputs.isEmpty() ? "" : "<- " + String.join(", ", inputs))
                    .stripTrailing());
        }
        return lines;
    }

    /** "7 models: 3 streaming_table, 2 view, 1 table, 1 incremental". */
    public static String summary(Project project) {
        Map<String, Integer> counts = new TreeMap<>();
        project.models().values().forEach(m -> counts.merge(m.materialization().configName(), 1, Integer::sum));
        List<String> parts = new ArrayList<>();
        counts.forEach((k, v) -> parts.add(v + " " + k));
        int total = project.models().size();
        return total + (total == 1 ? " model" : " models") + (parts.isEmpty() ? "" : ": " + String.join(", ", parts));
    }
}
