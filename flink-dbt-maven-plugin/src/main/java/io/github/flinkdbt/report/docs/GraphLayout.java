package io.github.flinkdbt.report.docs;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * A layered drawing of the lineage DAG, computed once when the site is written (so the browser only
 * draws): each node in the column after its furthest parent, the nodes of a column ordered by the
 * mean height of their neighbours (a few sweeps down and up, which untangles most crossings), each
 * column centred. Deterministic: same graph, same drawing.
 */
final class GraphLayout {

    static final int COLUMN_WIDTH = 320;
    static final int ROW_HEIGHT = 44;
    private static final int SWEEPS = 6;
    /** Width to height of the drawing that wide layers wrap to: a screen's. */
    private static final double ASPECT = 1.6;
    /** Fewer rows than this never wrap: a small graph stays one column per layer. */
    private static final int MIN_ROWS = 12;

    /** Where a node is drawn: the centre of its box. */
    record Point(int x, int y) {}

    private GraphLayout() {}

    /**
     * @param parents each node's parents, for every node in drawing order (the order breaks ties);
     *     parents that are not nodes are ignored
     */
    static Map<String, Point> of(Map<String, List<String>> parents) {
        Map<String, List<String>> children = new HashMap<>();
        parents.forEach((node, ps) -> ps.forEach(
                p -> children.computeIfAbsent(p, k -> new ArrayList<>()).add(node)));
        Map<String, Integer> layer = new HashMap<>();
        parents.keySet().forEach(node -> layer(node, parents, layer, new HashMap<>()));
        TreeMap<Integer, List<String>> columns = new TreeMap<>();
        parents.keySet()
                .forEach(node -> columns.computeIfAbsent(layer.get(node), l -> new ArrayList<>())
                        .add(node));

        Map<String, Double> y = new HashMap<>();
        columns.values().forEach(column -> place(column, y));
        for (int sweep = 0; sweep < SWEEPS; sweep++) {
            boolean down = sweep % 2 == 0;
            for (List<String> column :
                    down ? columns.values() : columns.descendingMap().values()) {
                Map<String, List<String>> neighbours = down ? parents : children;
                Map<String, Double> wanted = new HashMap<>();
                for (String node : column) {
                    double sum = 0;
                    int count = 0;
                    for (String n : neighbours.getOrDefault(node, List.of())) {
                        Double at = y.get(n);
                        if (at != null) {
                            sum += at;
                            count++;
                        }
                    }
                    wanted.put(node, count == 0 ? y.get(node) : sum / count);
                }
                column.sort(Comparator.comparingDouble(wanted::get));
                place(column, y);
            }
        }
        int rows = rows(columns.values().stream().map(List::size).toList());
        Map<String, Point> placed = new HashMap<>();
        int x = 0;
        for (List<String> column : columns.values()) {
            // a layer taller than the drawing's rows wraps into side-by-side sub-columns
            int wraps = (column.size() + rows - 1) / rows;
            int perColumn = (column.size() + wraps - 1) / wraps;
            for (int i = 0; i < column.size(); i++) {
                int sub = i / perColumn;
                int inSub = Math.min(perColumn, column.size() - sub * perColumn);
                double top = -(inSub - 1) / 2.0 * ROW_HEIGHT;
                placed.put(column.get(i), new Point(x + sub * COLUMN_WIDTH, (int)
                        Math.round(top + (i % perColumn) * ROW_HEIGHT)));
            }
            x += wraps * COLUMN_WIDTH;
        }
        Map<String, Point> points = new LinkedHashMap<>();
        parents.keySet().forEach(node -> points.put(node, placed.get(node)));
        return points;
    }

    /**
     * How many rows the drawing has: wide layers wrap so that the whole graph gets about a screen's
     * proportions (rather than one column of hundreds of nodes); small graphs do not wrap.
     */
    static int rows(List<Integer> layerSizes) {
        int tallest = layerSizes.stream().mapToInt(Integer::intValue).max().orElse(1);
        int best = tallest;
        double bestDistance = Double.MAX_VALUE;
        for (int rows = Math.min(MIN_ROWS, tallest); rows <= tallest; rows++) {
            int width = 0;
            for (int size : layerSizes) {
                width += (size + rows - 1) / rows * COLUMN_WIDTH;
            }
            double distance = Math.abs(Math.log((double) width / (rows * ROW_HEIGHT) / ASPECT));
            if (distance < bestDistance - 1e-9) {
                bestDistance = distance;
                best = rows;
            }
        }
        return best;
    }

    /** Rows from the top, the column centred on 0. */
    private static void place(List<String> column, Map<String, Double> y) {
        double first = -(column.size() - 1) / 2.0 * ROW_HEIGHT;
        for (int i = 0; i < column.size(); i++) {
            y.put(column.get(i), first + i * ROW_HEIGHT);
        }
    }

    private static int layer(
            String node, Map<String, List<String>> parents, Map<String, Integer> layer, Map<String, Boolean> visiting) {
        Integer known = layer.get(node);
        if (known != null) {
            return known;
        }
        visiting.put(node, true);
        int deepest = -1;
        for (String parent : parents.getOrDefault(node, List.of())) {
            if (parents.containsKey(parent) && !visiting.containsKey(parent)) {
                deepest = Math.max(deepest, layer(parent, parents, layer, visiting));
            }
        }
        visiting.remove(node);
        layer.put(node, deepest + 1);
        return deepest + 1;
    }
}
