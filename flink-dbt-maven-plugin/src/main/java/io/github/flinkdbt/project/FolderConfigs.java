package io.github.flinkdbt.project;

import io.github.flinkdbt.common.Problems;
import io.github.flinkdbt.common.Suggestions;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * dbt_project.yml's folder-level configs ({@code models: my_project: staging: +materialized: view}).
 * Keys with {@code +} are configs; other keys name a folder or model below, or (dbt's older form)
 * a known config key. Anything else is reported with its line.
 */
final class FolderConfigs {

    private final YamlNode projectTree;
    private final String section;
    private final YamlValues values;
    private final Map<String, Map<String, ConfigValue>> cache = new HashMap<>();
    private final Map<String, FolderConfigs> packages = new HashMap<>();

    private FolderConfigs(YamlNode projectTree, String section, YamlValues values) {
        this.projectTree = projectTree;
        this.section = section;
        this.values = values;
    }

    /**
     * Reads {@code tree} (the {@code models:} or {@code sources:} node) for {@code projectName}, and
     * checks each plain key against {@code paths}: every folder/model path of the project as
     * segment lists.
     */
    static FolderConfigs read(
            YamlNode tree,
            String projectName,
            String section,
            List<List<String>> paths,
            YamlValues values,
            Problems problems) {
        return read(tree, projectName, Set.of(), section, paths, values, problems);
    }

    /** The same, where keys naming one of {@code packageNames} configure that local package's nodes. */
    static FolderConfigs read(
            YamlNode tree,
            String projectName,
            Set<String> packageNames,
            String section,
            List<List<String>> paths,
            YamlValues values,
            Problems problems) {
        if (tree == null || tree.isNull()) {
            return new FolderConfigs(null, section, values);
        }
        if (!tree.isMap()) {
            problems.add(
                    tree.position(), section + ": in " + ProjectLayout.DBT_PROJECT_FILE + " must be a mapping.", null);
            return new FolderConfigs(null, section, values);
        }
        YamlNode projectTree = null;
        Map<String, YamlNode> packageTrees = new HashMap<>();
        for (String key : tree.keys()) {
            if (key.equals(projectName)) {
                projectTree = tree.get(key);
            } else if (packageNames.contains(key)) {
                packageTrees.put(key, tree.get(key));
            } else if (key.startsWith("+") || ConfigRules.isKnown(key)) {
                problems.add(
                        tree.keyPosition(key),
                        "Configs under " + section + ": go below the project name.",
                        section + ":\n  " + projectName + ":\n    " + key + ": ...");
            } else {
                problems.add(
                        tree.keyPosition(key),
                        "'" + key + "' under " + section + ": is neither this project's name ('" + projectName
                                + "') nor a package's (packages.yml)."
                                + Suggestions.didYouMean(key, union(projectName, packageNames)),
                        null);
            }
        }
        FolderConfigs configs = new FolderConfigs(projectTree, section, values);
        packageTrees.forEach((name, node) -> configs.packages.put(name, new FolderConfigs(node, section, values)));
        if (projectTree != null) {
            configs.check(projectTree, new ArrayList<>(), children(paths), problems);
        }
        return configs;
    }

    /** The configs this project sets for a local package's node at {@code segments}. */
    Map<String, ConfigValue> forPackage(String packageName, List<String> segments) {
        FolderConfigs configs = packages.get(packageName);
        return configs == null ? Map.of() : configs.forPath(segments);
    }

    private static Set<String> union(String name, Set<String> names) {
        Set<String> all = new TreeSet<>(names);
        all.add(name);
        return all;
    }

    /** The configs for a model (or source) at {@code segments}: folders, then its own name. */
    Map<String, ConfigValue> forPath(List<String> segments) {
        if (projectTree == null) {
            return Map.of();
        }
        return cache.computeIfAbsent(String.join("/", segments), k -> collect(segments));
    }

    private Map<String, ConfigValue> collect(List<String> segments) {
        List<Map<String, ConfigValue>> layers = new ArrayList<>();
        YamlNode level = projectTree;
        layers.add(configsAt(level));
        for (String segment : segments) {
            YamlNode child = level.isMap() ? level.get(segment) : null;
            if (child == null || !child.isMap()) {
                break;
            }
            level = child;
            layers.add(configsAt(level));
        }
        @SuppressWarnings("unchecked")
        Map<String, ConfigValue>[] array = layers.toArray(new Map[0]);
        return ConfigRules.merge(array);
    }

    private Map<String, ConfigValue> configsAt(YamlNode level) {
        Map<String, ConfigValue> out = new LinkedHashMap<>();
        if (level == null || !level.isMap()) {
            return out;
        }
        level.entries().forEach((key, value) -> {
            if (key.startsWith("+")) {
                out.put(key.substring(1), values.value(value, level.keyPosition(key)));
            } else if (!value.isMap() && ConfigRules.isKnown(key)) {
                out.put(key, values.value(value, level.keyPosition(key)));
            }
        });
        return out;
    }

    private void check(YamlNode level, List<String> at, Map<String, Set<String>> children, Problems problems) {
        if (!level.isMap()) {
            problems.add(level.position(), "Expected folder configs (a mapping) here.", null);
            return;
        }
        Set<String> here = children.getOrDefault(String.join("/", at), Set.of());
        for (Map.Entry<String, YamlNode> entry : level.entries().entrySet()) {
            String key = entry.getKey();
            if (key.startsWith("+")) {
                continue;
            }
            if (here.contains(key) && entry.getValue().isMap()) {
                List<String> next = new ArrayList<>(at);
                next.add(key);
                check(entry.getValue(), next, children, problems);
            } else if (!ConfigRules.isKnown(key) || entry.getValue().isMap()) {
                String where = section + "." + String.join(".", at).replaceAll("^$", "(project)");
                problems.add(
                        level.keyPosition(key),
                        "'" + key + "' in " + where + " is neither a folder, a " + section.replaceAll("s$", "")
                                + " nor a config key." + Suggestions.didYouMean(key, here),
                        "Prefix configs with '+' (e.g. +materialized: table); other keys must name a folder.");
            }
        }
    }

    /** For every path prefix, the names directly below it. */
    private static Map<String, Set<String>> children(List<List<String>> paths) {
        Map<String, Set<String>> children = new TreeMap<>();
        for (List<String> path : paths) {
            for (int i = 0; i < path.size(); i++) {
                children.computeIfAbsent(String.join("/", path.subList(0, i)), k -> new TreeSet<>())
                        .add(path.get(i));
            }
        }
        return children;
    }
}
