package io.github.flinkdbt.project;

import io.github.flinkdbt.common.Problems;
import io.github.flinkdbt.common.SourcePosition;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Query hints of dbt-flink-adapter and its forks: {@code /** mode('streaming') fetch_timeout_ms(5000) *}{@code /}
 * comments in a model's or test's SQL. Those that mean something here become config of the model
 * (below every other config): {@code mode} as {@code type}, {@code execution_config('k=v;k2=v2')},
 * {@code upgrade_mode}, {@code job_state}. The rest are warned about once and left as comments.
 */
final class AdapterHints {

    private static final Pattern COMMENT = Pattern.compile("/\\*\\*(.+?)\\*/");
    private static final Pattern HINT = Pattern.compile("([A-Za-z0-9_]+)\\((.+?)\\)");
    private static final Map<String, String> IGNORED = Map.of(
            "fetch_timeout_ms", "tests and runs read bounded inputs to their end here",
            "fetch_max", "tests and runs read bounded inputs to their end here",
            "test_query", "data tests are known as tests by where they are written",
            "drop_statement", "run and deploy replace a model's relation in one step themselves",
            "statement_set_group", "each streaming model runs as its own job here",
            "statement_set_leader", "each streaming model runs as its own job here",
            "additional_dependencies", "jobs get the project's classpath (plugin dependencies)");

    private AdapterHints() {}

    /** The config a model's hints set; warnings for hints that mean nothing here. */
    static Map<String, ConfigValue> config(SourceText source, Problems problems) {
        Map<String, ConfigValue> config = new LinkedHashMap<>();
        if (!source.text().contains("/**")) {
            return config;
        }
        Matcher comment = COMMENT.matcher(source.text());
        while (comment.find()) {
            Matcher hint = HINT.matcher(comment.group(1));
            while (hint.find()) {
                String name = hint.group(1);
                String value = hint.group(2).strip().replaceAll("^['\"]|['\"]$", "");
                SourcePosition at = source.position(comment.start(1) + hint.start());
                switch (name) {
                    case "mode" -> config.put("type", new ConfigValue(value, at));
                    case "upgrade_mode", "job_state" -> config.put(name, new ConfigValue(value, at));
                    case "execution_config" -> config.put("execution_config", new ConfigValue(options(value), at));
                    default -> {
                        String why = IGNORED.get(name);
                        if (why != null) {
                            problems.warn(at, "query hint '" + name + "' (dbt-flink-adapter) is ignored: " + why + ".");
                        }
                    }
                }
            }
        }
        return config;
    }

    /** Warnings for the hints of a test's SQL: none of them means anything for a test here. */
    static void inTest(SourceText source, Problems problems) {
        Matcher comment = COMMENT.matcher(source.text());
        while (comment.find()) {
            Matcher hint = HINT.matcher(comment.group(1));
            while (hint.find()) {
                if (List.of("mode", "fetch_timeout_ms", "fetch_max", "test_query")
                        .contains(hint.group(1))) {
                    problems.warn(
                            source.position(comment.start(1) + hint.start()),
                            "query hint '" + hint.group(1) + "' (dbt-flink-adapter) is ignored in tests: a test reads"
                                    + " its bounded inputs to their end, in batch mode.");
                }
            }
        }
    }

    /** {@code k=v;k2=v2} as options. */
    private static Map<String, Object> options(String text) {
        Map<String, Object> options = new TreeMap<>();
        for (String item : text.split(";")) {
            int equals = item.indexOf('=');
            if (equals > 0) {
                options.put(
                        item.substring(0, equals).strip(),
                        item.substring(equals + 1).strip());
            }
        }
        return options;
    }
}
