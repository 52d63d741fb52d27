package io.github.flinkdbt.common;

import java.util.HashMap;
import java.util.Map;
import java.util.function.Supplier;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.table.api.TableEnvironment;

/**
 * Flink options that hold for one action on a shared table environment and are undone after it.
 * Undoing the table config is not enough: translating a query copies the table config into the
 * execution environment's configuration, which the table config falls back to. Without undoing
 * that too, one model's {@code table.exec.state.ttl} or {@code execution.state-recovery.path}
 * silently applies to every model after it.
 */
public final class ScopedOptions {

    private ScopedOptions() {}

    public static <T> T with(TableEnvironment environment, Map<String, String> options, Supplier<T> action) {
        if (options.isEmpty()) {
            return action.get();
        }
        Configuration config = environment.getConfig().getConfiguration();
        Configuration root = environment.getConfig().getRootConfiguration() instanceof Configuration c ? c : null;
        Map<String, String> previous = snapshot(config, options);
        Map<String, String> previousRoot = root == null ? Map.of() : snapshot(root, options);
        options.forEach(config::setString);
        try {
            return action.get();
        } finally {
            restore(config, previous);
            if (root != null) {
                restore(root, previousRoot);
            }
        }
    }

    private static Map<String, String> snapshot(Configuration config, Map<String, String> options) {
        Map<String, String> values = new HashMap<>();
        Map<String, String> all = config.toMap();
        options.keySet().forEach(key -> values.put(key, all.get(key)));
        return values;
    }

    private static void restore(Configuration config, Map<String, String> values) {
        values.forEach((key, value) -> {
            if (value == null) {
                config.removeKey(key);
            } else {
                config.setString(key, value);
            }
        });
    }
}
