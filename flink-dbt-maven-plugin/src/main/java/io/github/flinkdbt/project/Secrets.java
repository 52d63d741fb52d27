package io.github.flinkdbt.project;

import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
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

    /** A copy with every secret value replaced by {@value #REDACTED}. */
    public static Map<String, String> redact(Map<String, String> options, Set<String> secretKeys) {
        Map<String, String> out = new TreeMap<>();
        options.forEach((k, v) -> out.put(k, secretKeys.contains(k) || isSecretKey(k) ? REDACTED : v));
        return out;
    }
}
