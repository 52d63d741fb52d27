package io.github.flinkdbt.project;

import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Pattern;

/** Decides which option values are secrets, so none is ever written to a file or a log. */
public final class Secrets {

    public static final String REDACTED = "****";

    private static final Pattern SECRET_KEY = Pattern.compile(
            "(?i).*(password|passwd|secret|token|credential|jaas|private[._-]?key|access[._-]?key|api[._-]?key"
                    + "|auth\\.user\\.info|sasl\\.oauthbearer|bearer).*");

    private Secrets() {}

    /** Whether an option's name says it holds a secret (e.g. {@code properties.sasl.jaas.config}). */
    public static boolean isSecretKey(String key) {
        return SECRET_KEY.matcher(key).matches();
    }

    /**
     * The secret options among {@code options} (merged from {@code layers}, the later winning),
     * each with the YAML text it was rendered from; an option secret by its name but set without
     * such text (a literal, or in a model's {@code config()} call) maps to its value.
     */
    static Map<String, String> templates(Map<String, String> options, List<ConfigValue> layers) {
        Map<String, String> templates = new TreeMap<>();
        for (ConfigValue layer : layers) {
            if (layer.value() instanceof Map<?, ?> map) {
                map.keySet().forEach(key -> templates.remove(String.valueOf(key)));
            }
            templates.putAll(layer.secretTemplates());
        }
        templates.keySet().retainAll(options.keySet());
        options.forEach((key, value) -> {
            if (isSecretKey(key)) {
                templates.putIfAbsent(key, value);
            }
        });
        return Map.copyOf(templates);
    }

    /** The values of a project's secret options (to scrub them from any message). */
    public static Set<String> values(Project project) {
        Set<String> values = new TreeSet<>();
        for (SourceTable source : project.sources()) {
            source.connectorProperties().forEach((k, v) -> {
                if (source.secretProperties().containsKey(k) || isSecretKey(k)) {
                    values.add(v);
                }
            });
        }
        for (Model model : project.models().values()) {
            model.config().connectorProperties().forEach((k, v) -> {
                if (model.config().secretConnectorProperties().containsKey(k) || isSecretKey(k)) {
                    values.add(v);
                }
            });
        }
        values.removeIf(v -> v.length() < 4);
        return values;
    }

    /** The text with every one of {@code secrets} replaced by {@value #REDACTED}. */
    public static String scrub(String text, Set<String> secrets) {
        if (text == null) {
            return null;
        }
        String out = text;
        for (String secret : secrets) {
            out = out.replace(secret, REDACTED);
        }
        return out;
    }

    /** A copy with every secret value replaced by {@value #REDACTED}. */
    public static Map<String, String> redact(Map<String, String> options, Set<String> secretKeys) {
        Map<String, String> out = new TreeMap<>();
        options.forEach((k, v) -> out.put(k, secretKeys.contains(k) || isSecretKey(k) ? REDACTED : v));
        return out;
    }
}
