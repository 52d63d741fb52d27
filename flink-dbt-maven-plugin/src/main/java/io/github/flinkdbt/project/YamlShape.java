package io.github.flinkdbt.project;

import io.github.flinkdbt.common.Problems;
import java.util.List;

/** Checks of a schema file's shape (lists, mappings, names), each mistake a problem at its line. */
final class YamlShape {

    private final Problems problems;

    YamlShape(Problems problems) {
        this.problems = problems;
    }

    List<YamlNode> list(YamlNode map, String key) {
        YamlNode node = map.get(key);
        if (node == null || node.isNull()) {
            return List.of();
        }
        if (!node.isList()) {
            problems.add(
                    node.position(),
                    key + " must be a list ('- name: ...' entries), found " + node.describeKind() + ".",
                    null);
            return List.of();
        }
        return node.items();
    }

    boolean expectMap(YamlNode node, String what) {
        if (node.isMap()) {
            return true;
        }
        problems.add(
                node.position(),
                "Each " + what + " must be a mapping with a name, found " + node.describeKind() + ".",
                null);
        return false;
    }

    String requiredName(YamlNode node, String what) {
        YamlNode name = node.get("name");
        if (name == null || name.text() == null) {
            problems.add(
                    node.position(),
                    "This " + what + " has no name.",
                    "Add name: <" + what.replace(' ', '_') + "_name>");
            return null;
        }
        return name.text();
    }
}
