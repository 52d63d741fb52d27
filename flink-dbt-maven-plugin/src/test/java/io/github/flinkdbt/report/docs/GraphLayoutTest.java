package io.github.flinkdbt.report.docs;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.flinkdbt.bench.ProjectGenerator;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** The lineage drawing of the benchmark generator's 500-model project, checked for what makes it readable. */
class GraphLayoutTest {

    private static final Pattern REF = Pattern.compile("ref\\('(m\\d+)'\\)");
    private static final Pattern SOURCE = Pattern.compile("source\\('gen', '(events_\\d+)'\\)");

    @Test
    void theBenchmarkProjectIsDrawnWithoutOverlapsLeftToRightInAScreensProportions() {
        Map<String, List<String>> parents = new LinkedHashMap<>();
        for (int i = 0; i < ProjectGenerator.SOURCES; i++) {
            parents.put("events_" + i, List.of());
        }
        for (ProjectGenerator.GeneratedModel model : ProjectGenerator.models(500)) {
            List<String> inputs = new ArrayList<>();
            for (Pattern pattern : List.of(REF, SOURCE)) {
                Matcher m = pattern.matcher(model.sql());
                while (m.find()) {
                    if (!inputs.contains(m.group(1))) {
                        inputs.add(m.group(1));
                    }
                }
            }
            parents.put(model.name(), inputs);
        }

        Map<String, GraphLayout.Point> layout = GraphLayout.of(parents);

        assertThat(layout).hasSize(505).doesNotContainValue(null);
        // no two boxes overlap: one per row of a column
        Set<GraphLayout.Point> seen = new HashSet<>();
        layout.values()
                .forEach(point ->
                        assertThat(seen.add(point)).as(point.toString()).isTrue());
        assertThat(layout.values()).allSatisfy(point -> {
            assertThat(point.x() % GraphLayout.COLUMN_WIDTH).isZero();
            assertThat(layout.values())
                    .filteredOn(other -> other.x() == point.x() && other != point)
                    .allSatisfy(other ->
                            assertThat(Math.abs(other.y() - point.y())).isGreaterThanOrEqualTo(GraphLayout.ROW_HEIGHT));
        });
        // every edge runs left to right: a model is drawn right of everything it reads
        parents.forEach((node, inputs) ->
                inputs.forEach(input -> assertThat(layout.get(input).x())
                        .as(input + " → " + node)
                        .isLessThan(layout.get(node).x())));
        // wide layers wrapped: about a screen's proportions, not a strip of hundreds of rows
        int width = layout.values().stream()
                        .mapToInt(GraphLayout.Point::x)
                        .max()
                        .orElseThrow()
                - layout.values().stream().mapToInt(GraphLayout.Point::x).min().orElseThrow()
                + GraphLayout.COLUMN_WIDTH;
        int height = layout.values().stream()
                        .mapToInt(GraphLayout.Point::y)
                        .max()
                        .orElseThrow()
                - layout.values().stream().mapToInt(GraphLayout.Point::y).min().orElseThrow()
                + GraphLayout.ROW_HEIGHT;
        assertThat((double) width / height).isBetween(1.0, 2.6);
        // the same graph, the same drawing
        assertThat(GraphLayout.of(parents)).isEqualTo(layout);
    }
}
