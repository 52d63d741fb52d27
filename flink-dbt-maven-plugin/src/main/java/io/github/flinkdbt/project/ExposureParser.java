package io.github.flinkdbt.project;

import io.github.flinkdbt.common.Problems;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** One entry of a schema file's {@code exposures:}; each mistake a problem at its line. */
final class ExposureParser {

    private static final Set<String> TYPES = Set.of("dashboard", "notebook", "analysis", "ml", "application");
    private static final Set<String> MATURITIES = Set.of("high", "medium", "low");
    private static final Pattern REF = Pattern.compile("\\s*ref\\(\\s*['\"]([^'\"]+)['\"]\\s*\\)\\s*");
    private static final Pattern SOURCE =
            Pattern.compile("\\s*source\\(\\s*['\"]([^'\"]+)['\"]\\s*,\\s*['\"]([^'\"]+)['\"]\\s*\\)\\s*");

    private ExposureParser() {}

    static Optional<Exposure> parse(YamlNode node, YamlShape shape, YamlValues values, Problems problems) {
        if (!shape.expectMap(node, "exposure")) {
            return Optional.empty();
        }
        YamlKeys.EXPOSURE.check(node, problems);
        String name = shape.requiredName(node, "exposure");
        if (name == null) {
            return Optional.empty();
        }
        String type = values.string(node.get("type"));
        if (type == null || !TYPES.contains(type)) {
            problems.add(
                    node.get("type") == null
                            ? node.position()
                            : node.get("type").position(),
                    "Exposure '" + name + "' needs a type: one of " + String.join(", ", new TreeSet<>(TYPES))
                            + (type == null ? "." : ", not '" + type + "'."),
                    null);
            return Optional.empty();
        }
        YamlNode owner = node.get("owner");
        if (owner == null || !owner.isMap() || (owner.get("name") == null && owner.get("email") == null)) {
            problems.add(
                    owner == null ? node.position() : owner.position(),
                    "Exposure '" + name + "' needs an owner with a name or an email.",
                    "Add:\n  owner:\n    name: <team or person>\n    email: <address>");
            return Optional.empty();
        }
        String maturity = values.string(node.get("maturity"));
        if (maturity != null && !MATURITIES.contains(maturity)) {
            problems.add(
                    node.get("maturity").position(),
                    "Exposure '" + name + "': maturity is high, medium or low, not '" + maturity + "'.",
                    null);
        }
        List<String> refs = new ArrayList<>();
        List<String> sources = new ArrayList<>();
        for (YamlNode dependency : shape.list(node, "depends_on")) {
            String text = dependency.text() == null ? "" : dependency.text();
            Matcher ref = REF.matcher(text);
            Matcher source = SOURCE.matcher(text);
            if (ref.matches()) {
                refs.add(ref.group(1));
            } else if (source.matches()) {
                sources.add(source.group(1) + "." + source.group(2));
            } else {
                problems.add(
                        dependency.position(),
                        "Exposure '" + name + "' depends on '" + text + "', which is neither ref('model') nor"
                                + " source('source', 'table').",
                        "Write - ref('orders') or - source('shop', 'orders')");
            }
        }
        List<String> tags = new ArrayList<>();
        YamlNode tagNode = node.get("tags");
        if (tagNode != null && tagNode.isList()) {
            tagNode.items().forEach(t -> tags.add(t.text()));
        } else if (tagNode != null && tagNode.text() != null) {
            tags.add(tagNode.text());
        }
        return Optional.of(new Exposure(
                name,
                type,
                values.string(node.get("label")),
                owner.get("name") == null ? null : values.string(owner.get("name")),
                owner.get("email") == null ? null : values.string(owner.get("email")),
                values.string(node.get("description")),
                values.string(node.get("url")),
                maturity,
                List.copyOf(tags),
                List.copyOf(refs),
                List.copyOf(sources),
                node.position()));
    }
}
