package io.github.flinkdbt.common;

import java.util.Comparator;

/**
 * One thing wrong with the project: where, what, and (when we know it) how to fix it.
 *
 * @param hint the fix, possibly several lines; null when the message says it all
 */
public record Problem(SourcePosition position, String message, String hint) implements Comparable<Problem> {

    private static final Comparator<Problem> ORDER =
            Comparator.comparing(Problem::position).thenComparing(Problem::message);

    public static Problem at(SourcePosition position, String message) {
        return new Problem(position, message, null);
    }

    public static Problem at(SourcePosition position, String message, String hint) {
        return new Problem(position, message, hint);
    }

    /** The problem as printed: {@code file:line:col  message}, then the hint indented. */
    public String format() {
        StringBuilder text = new StringBuilder(position.toString()).append("  ").append(message);
        if (hint != null && !hint.isBlank()) {
            for (String line : hint.strip().split("\n")) {
                text.append("\n          ").append(line);
            }
        }
        return text.toString();
    }

    @Override
    public int compareTo(Problem other) {
        return ORDER.compare(this, other);
    }
}
