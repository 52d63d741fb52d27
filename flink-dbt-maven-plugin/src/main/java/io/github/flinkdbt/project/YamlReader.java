package io.github.flinkdbt.project;

import io.github.flinkdbt.common.Problems;
import io.github.flinkdbt.common.SourcePosition;
import java.io.IOException;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Date;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;
import org.yaml.snakeyaml.error.Mark;
import org.yaml.snakeyaml.error.MarkedYAMLException;
import org.yaml.snakeyaml.error.YAMLException;
import org.yaml.snakeyaml.nodes.MappingNode;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.NodeTuple;
import org.yaml.snakeyaml.nodes.ScalarNode;
import org.yaml.snakeyaml.nodes.SequenceNode;

/**
 * Reads YAML (1.1, like dbt's PyYAML) into {@link YamlNode}s that carry line numbers. Syntax
 * errors and duplicate keys become problems at their line.
 */
public final class YamlReader {

    private YamlReader() {}

    /** Reads a file; empty on a syntax error (the problem is recorded). */
    public static Optional<YamlNode> read(Path file, String displayPath, Problems problems) {
        String text;
        try {
            text = Files.readString(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            problems.add(SourcePosition.of(displayPath), "Cannot read file: " + e.getMessage());
            return Optional.empty();
        }
        return parse(text, displayPath, problems);
    }

    /** Parses text; empty on a syntax error (the problem is recorded). */
    public static Optional<YamlNode> parse(String text, String displayPath, Problems problems) {
        LoaderOptions options = new LoaderOptions();
        options.setAllowDuplicateKeys(true);
        Node root;
        try {
            root = new Yaml(new SafeConstructor(options)).compose(new StringReader(text));
        } catch (MarkedYAMLException e) {
            Mark mark = e.getProblemMark() != null ? e.getProblemMark() : e.getContextMark();
            SourcePosition where = mark == null
                    ? SourcePosition.of(displayPath)
                    : new SourcePosition(displayPath, mark.getLine() + 1, mark.getColumn() + 1);
            String what = e.getProblem() != null ? e.getProblem() : e.getMessage();
            String context = e.getContext() != null ? " (" + e.getContext() + ")" : "";
            problems.add(
                    where, "Invalid YAML: " + what + context, "Check the indentation and quoting around this line.");
            return Optional.empty();
        } catch (YAMLException e) {
            problems.add(SourcePosition.of(displayPath), "Invalid YAML: " + e.getMessage());
            return Optional.empty();
        }
        if (root == null) {
            return Optional.of(YamlNode.emptyMap(new SourcePosition(displayPath, 1, 1)));
        }
        return Optional.of(new Converter(displayPath, problems, options).convert(root));
    }

    private static final class Converter extends SafeConstructor {
        private final String file;
        private final Problems problems;

        Converter(String file, Problems problems, LoaderOptions options) {
            super(options);
            this.file = file;
            this.problems = problems;
        }

        YamlNode convert(Node node) {
            SourcePosition at = position(node);
            if (node instanceof MappingNode mapping) {
                reportDuplicates(mapping);
                flattenMapping(mapping);
                Map<String, YamlNode> entries = new LinkedHashMap<>();
                Map<String, SourcePosition> keys = new LinkedHashMap<>();
                for (NodeTuple tuple : mapping.getValue()) {
                    Object key = tuple.getKeyNode() instanceof ScalarNode ? constructObject(tuple.getKeyNode()) : null;
                    SourcePosition keyAt = position(tuple.getKeyNode());
                    if (key == null) {
                        problems.add(keyAt, "Invalid YAML: a mapping key must be a plain name");
                        continue;
                    }
                    String name = String.valueOf(key);
                    entries.put(name, convert(tuple.getValueNode()));
                    keys.put(name, keyAt);
                }
                return YamlNode.map(at, entries, keys);
            }
            if (node instanceof SequenceNode sequence) {
                List<YamlNode> items = new ArrayList<>();
                for (Node item : sequence.getValue()) {
                    items.add(convert(item));
                }
                return YamlNode.list(at, items);
            }
            Object value = constructObject(node);
            if (value instanceof Date date) {
                // keep dates as written (2026-01-01), as dbt renders them
                value = ((ScalarNode) node).getValue();
            }
            return YamlNode.scalar(at, value);
        }

        /** SnakeYAML keeps the last of duplicate keys silently; a schema file must not. */
        private void reportDuplicates(MappingNode mapping) {
            Map<String, SourcePosition> seen = new LinkedHashMap<>();
            for (NodeTuple tuple : mapping.getValue()) {
                if (tuple.getKeyNode() instanceof ScalarNode scalar && !"<<".equals(scalar.getValue())) {
                    SourcePosition at = position(scalar);
                    SourcePosition first = seen.putIfAbsent(scalar.getValue(), at);
                    if (first != null) {
                        problems.add(
                                at,
                                "Duplicate key '" + scalar.getValue() + "' (first at line " + first.line() + ")",
                                "Remove one of the two entries.");
                    }
                }
            }
        }

        private SourcePosition position(Node node) {
            Mark mark = node.getStartMark();
            return mark == null
                    ? SourcePosition.of(file)
                    : new SourcePosition(file, mark.getLine() + 1, mark.getColumn() + 1);
        }
    }
}
