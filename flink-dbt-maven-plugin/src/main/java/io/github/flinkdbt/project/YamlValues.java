package io.github.flinkdbt.project;

import io.github.flinkdbt.common.Problems;
import io.github.flinkdbt.common.SourcePosition;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Turns YAML config mappings into {@link ConfigValue}s, rendering Jinja in strings
 * ({@code {{ env_var('KAFKA_BROKERS') }}}) and remembering which entries hold secrets.
 */
final class YamlValues {

    private final JinjaEnvironment jinja;
    private final ProjectSymbols symbols;
    private final Problems problems;

    YamlValues(JinjaEnvironment jinja, ProjectSymbols symbols, Problems problems) {
        this.jinja = jinja;
        this.symbols = symbols;
        this.problems = problems;
    }

    /** A {@code config:} mapping as config values; {@code skip} filters keys (e.g. "+" prefixes). */
    Map<String, ConfigValue> config(YamlNode map) {
        Map<String, ConfigValue> out = new LinkedHashMap<>();
        if (map == null || map.isNull()) {
            return out;
        }
        if (!map.isMap()) {
            problems.add(map.position(), "config must be a mapping of key: value.", null);
            return out;
        }
        map.entries().forEach((key, value) -> out.put(key, value(value, map.keyPosition(key))));
        return out;
    }

    /** One config value, rendered. */
    ConfigValue value(YamlNode node, SourcePosition keyPosition) {
        Map<String, String> secretTemplates = new TreeMap<>();
        Object plain = render(node, secretTemplates, null);
        Map<String, SourcePosition> keyPositions = new LinkedHashMap<>();
        if (node.isMap()) {
            node.keys().forEach(key -> keyPositions.put(key, node.keyPosition(key)));
        }
        return new ConfigValue(plain, keyPosition, secretTemplates, keyPositions);
    }

    /** A string, rendered; null stays null. */
    String string(YamlNode node) {
        if (node == null || node.isNull()) {
            return null;
        }
        if (!node.isScalar()) {
            problems.add(node.position(), "Expected a single value here, found " + node.describeKind() + ".", null);
            return null;
        }
        return jinja.renderValue(node.text(), node.position(), symbols, problems)
                .value();
    }

    private Object render(YamlNode node, Map<String, String> secretTemplates, String key) {
        switch (node.kind()) {
            case MAP: {
                Map<String, Object> map = new LinkedHashMap<>();
                node.entries().forEach((k, v) -> map.put(k, render(v, secretTemplates, k)));
                return map;
            }
            case LIST: {
                List<Object> list = new ArrayList<>();
                node.items().forEach(item -> list.add(render(item, secretTemplates, key)));
                return list;
            }
            default:
                if (node.value() instanceof String text) {
                    JinjaEnvironment.RenderedValue rendered =
                            jinja.renderValue(text, node.position(), symbols, problems);
                    if (key != null && (rendered.secret() || Secrets.isSecretKey(key))) {
                        secretTemplates.put(key, text);
                    }
                    return rendered.value();
                }
                return node.value();
        }
    }
}
