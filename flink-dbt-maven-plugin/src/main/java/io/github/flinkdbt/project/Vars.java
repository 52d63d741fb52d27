package io.github.flinkdbt.project;

import io.github.flinkdbt.common.FlinkDbtException;
import io.github.flinkdbt.common.Problems;
import java.util.Map;
import java.util.TreeMap;

/** Variables given as one YAML (or JSON) mapping, like dbt's {@code --vars '{start: 2026-01-01}'}. */
public final class Vars {

    private Vars() {}

    /** The mapping in {@code yaml}; {@code origin} (how the user gave it) names it in the error. */
    public static Map<String, Object> parse(String yaml, String origin) {
        Map<String, Object> vars = new TreeMap<>();
        if (yaml == null || yaml.isBlank()) {
            return vars;
        }
        Problems problems = new Problems();
        YamlNode parsed = YamlReader.parse(yaml, origin, problems).orElse(null);
        if (parsed == null || !parsed.isMap()) {
            throw new FlinkDbtException(origin + " must be a YAML mapping, e.g. " + origin
                    + "='{start_date: 2026-01-01, region: eu}'"
                    + (problems.isEmpty() ? "" : "\n" + problems.sorted().get(0).message()));
        }
        parsed.entries().forEach((name, value) -> vars.put(name, value.toPlain()));
        return vars;
    }
}
