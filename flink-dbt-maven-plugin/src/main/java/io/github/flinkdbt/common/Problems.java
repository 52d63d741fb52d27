package io.github.flinkdbt.common;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/** Collects problems from every stage (thread-safe: models are planned in parallel). */
public final class Problems {

    private final List<Problem> problems = new ArrayList<>();
    private final Map<String, Set<SourcePosition>> warnings = new TreeMap<>();

    public synchronized void add(Problem problem) {
        problems.add(problem);
    }

    public void add(SourcePosition position, String message) {
        add(Problem.at(position, message));
    }

    public void add(SourcePosition position, String message, String hint) {
        add(Problem.at(position, message, hint));
    }

    public synchronized void addAll(Collection<Problem> more) {
        problems.addAll(more);
    }

    public synchronized boolean isEmpty() {
        return problems.isEmpty();
    }

    public synchronized int size() {
        return problems.size();
    }

    /** Sorted by file, line, column; duplicates removed, so output is deterministic. */
    public synchronized List<Problem> sorted() {
        return List.copyOf(new TreeSet<>(problems));
    }

    /**
     * Records something that does not stop the build but should be read; the same message from
     * several places is one warning naming them.
     */
    public synchronized void warn(SourcePosition position, String message) {
        warnings.computeIfAbsent(message, k -> new TreeSet<>()).add(position);
    }

    /** One line per warning, {@code file:line:col  message}, with the other places it came from. */
    public synchronized List<String> warnings() {
        List<String> lines = new ArrayList<>();
        warnings.forEach((message, places) -> {
            List<String> where = places.stream().map(SourcePosition::toString).toList();
            String also = where.size() == 1
                    ? ""
                    : " (also at " + String.join(", ", where.subList(1, Math.min(where.size(), 4)))
                            + (where.size() > 4 ? " and " + (where.size() - 4) + " more places" : "") + ")";
            lines.add(where.get(0) + "  " + message + also);
        });
        lines.sort(null);
        return lines;
    }

    /** Throws when anything was collected. */
    public void throwIfAny() {
        if (!isEmpty()) {
            throw new ProblemsException(sorted());
        }
    }
}
