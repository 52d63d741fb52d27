package io.github.flinkdbt.project;

import java.util.AbstractMap;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * The environment as {@code env_var()} sees it, remembering which variables were read, so a build
 * can tell whether a later build sees the same environment. Only names are kept, never values.
 */
public final class EnvironmentReads extends AbstractMap<String, String> {

    private final Map<String, String> environment;
    private final Set<String> read = new TreeSet<>();

    public EnvironmentReads(Map<String, String> environment) {
        this.environment = environment;
    }

    @Override
    public synchronized String get(Object key) {
        read.add(String.valueOf(key));
        return environment.get(key);
    }

    @Override
    public boolean containsKey(Object key) {
        return get(key) != null;
    }

    @Override
    public Set<Entry<String, String>> entrySet() {
        throw new UnsupportedOperationException("Read single variables with get().");
    }

    /** Names read so far. */
    public synchronized Set<String> names() {
        return Set.copyOf(read);
    }
}
