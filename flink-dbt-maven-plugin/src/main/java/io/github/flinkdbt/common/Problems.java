package io.github.flinkdbt.common;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.TreeSet;

/** Collects problems from every stage (thread-safe: models are planned in parallel). */
public final class Problems {

    private final List<Problem> problems = new ArrayList<>();

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

    /** Throws when anything was collected. */
    public void throwIfAny() {
        if (!isEmpty()) {
            throw new ProblemsException(sorted());
        }
    }
}
