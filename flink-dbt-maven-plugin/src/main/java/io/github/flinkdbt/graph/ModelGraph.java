package io.github.flinkdbt.graph;

import io.github.flinkdbt.common.Problems;
import io.github.flinkdbt.common.SourcePosition;
import io.github.flinkdbt.project.Model;
import io.github.flinkdbt.project.Project;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.Deque;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * The models and who reads whom. Topological order is deterministic (ties broken by name), so
 * every output built from it is too. A cycle is reported with each model and file on it.
 */
public final class ModelGraph {

    private final Project project;
    private final Map<String, Set<String>> upstream;
    private final Map<String, Set<String>> downstream;
    private final List<String> order;

    private ModelGraph(
            Project project,
            Map<String, Set<String>> upstream,
            Map<String, Set<String>> downstream,
            List<String> order) {
        this.project = project;
        this.upstream = upstream;
        this.downstream = downstream;
        this.order = order;
    }

    /** Builds the graph; a cycle is a problem (the graph is still returned, without an order). */
    public static ModelGraph of(Project project, Problems problems) {
        Map<String, Set<String>> upstream = new TreeMap<>();
        Map<String, Set<String>> downstream = new TreeMap<>();
        for (Model model : project.models().values()) {
            upstream.put(model.name(), new TreeSet<>());
            downstream.putIfAbsent(model.name(), new TreeSet<>());
        }
        for (Model model : project.models().values()) {
            for (String ref : model.refs()) {
                if (upstream.containsKey(ref)) {
                    upstream.get(model.name()).add(ref);
                    downstream.computeIfAbsent(ref, k -> new TreeSet<>()).add(model.name());
                }
            }
        }
        List<String> order = new ArrayList<>();
        Map<String, Integer> waiting = new HashMap<>();
        TreeSet<String> ready = new TreeSet<>();
        upstream.forEach((name, deps) -> {
            waiting.put(name, deps.size());
            if (deps.isEmpty()) {
                ready.add(name);
            }
        });
        while (!ready.isEmpty()) {
            String next = ready.pollFirst();
            order.add(next);
            for (String child : downstream.get(next)) {
                if (waiting.merge(child, -1, Integer::sum) == 0) {
                    ready.add(child);
                }
            }
        }
        if (order.size() < upstream.size()) {
            reportCycles(project, upstream, order, problems);
        }
        return new ModelGraph(project, upstream, downstream, List.copyOf(order));
    }

    private static void reportCycles(
            Project project, Map<String, Set<String>> upstream, List<String> ordered, Problems problems) {
        Set<String> remaining = new TreeSet<>(upstream.keySet());
        remaining.removeAll(ordered);
        Set<String> reported = new TreeSet<>();
        for (String start : remaining) {
            if (reported.contains(start)) {
                continue;
            }
            List<String> cycle = findCycle(start, upstream, remaining);
            if (cycle.isEmpty() || reported.containsAll(cycle)) {
                continue;
            }
            reported.addAll(cycle);
            // rotate so the message starts at the alphabetically first model: deterministic
            int first = cycle.indexOf(Collections.min(cycle));
            List<String> rotated = new ArrayList<>(cycle.subList(first, cycle.size()));
            rotated.addAll(cycle.subList(0, first));
            StringBuilder hint = new StringBuilder();
            for (int i = 0; i < rotated.size(); i++) {
                Model model = project.model(rotated.get(i));
                String next = rotated.get((i + 1) % rotated.size());
                SourcePosition at = model.refPositions().getOrDefault(next, model.position());
                hint.append(at)
                        .append("  ")
                        .append(model.name())
                        .append(" reads ref('")
                        .append(next)
                        .append("')\n");
            }
            hint.append("Break the cycle by removing one of these refs.");
            Model head = project.model(rotated.get(0));
            String path = String.join(" -> ", rotated) + " -> " + rotated.get(0);
            problems.add(
                    head.refPositions().getOrDefault(rotated.get(1 % rotated.size()), head.position()),
                    "Models form a cycle: " + path,
                    hint.toString());
        }
    }

    /** A cycle through {@code start} following upstream edges among {@code candidates}, or empty. */
    private static List<String> findCycle(String start, Map<String, Set<String>> upstream, Set<String> candidates) {
        Deque<String> path = new ArrayDeque<>();
        Set<String> onPath = new LinkedHashSet<>();
        return dfs(start, upstream, candidates, path, onPath, new TreeSet<>());
    }

    private static List<String> dfs(
            String node,
            Map<String, Set<String>> upstream,
            Set<String> candidates,
            Deque<String> path,
            Set<String> onPath,
            Set<String> done) {
        path.addLast(node);
        onPath.add(node);
        for (String dep : upstream.get(node)) {
            if (!candidates.contains(dep) || done.contains(dep)) {
                continue;
            }
            if (onPath.contains(dep)) {
                List<String> list = new ArrayList<>(path);
                return new ArrayList<>(list.subList(list.indexOf(dep), list.size()));
            }
            List<String> found = dfs(dep, upstream, candidates, path, onPath, done);
            if (!found.isEmpty()) {
                return found;
            }
        }
        path.removeLast();
        onPath.remove(node);
        done.add(node);
        return List.of();
    }

    public Project project() {
        return project;
    }

    /** Models in dependency order, ties by name. */
    public List<String> topologicalOrder() {
        return order;
    }

    /** Direct upstream models. */
    public Set<String> parents(String model) {
        return upstream.getOrDefault(model, Set.of());
    }

    /** Direct downstream models. */
    public Set<String> children(String model) {
        return downstream.getOrDefault(model, Set.of());
    }

    /** Upstream models within {@code depth} steps (-1: all). */
    public Set<String> ancestors(String model, int depth) {
        return walk(List.of(model), upstream, depth);
    }

    /** Downstream models within {@code depth} steps (-1: all). */
    public Set<String> descendants(String model, int depth) {
        return walk(List.of(model), downstream, depth);
    }

    /** Everything downstream of any of {@code models}. */
    public Set<String> descendantsOf(Collection<String> models) {
        return walk(models, downstream, -1);
    }

    private static Set<String> walk(Collection<String> start, Map<String, Set<String>> edges, int depth) {
        Set<String> seen = new TreeSet<>();
        Deque<String> frontier = new ArrayDeque<>(start);
        for (int level = 0; !frontier.isEmpty() && (depth < 0 || level < depth); level++) {
            Deque<String> next = new ArrayDeque<>();
            for (String node : frontier) {
                for (String neighbour : edges.getOrDefault(node, Set.of())) {
                    if (seen.add(neighbour)) {
                        next.add(neighbour);
                    }
                }
            }
            frontier = next;
        }
        return seen;
    }
}
