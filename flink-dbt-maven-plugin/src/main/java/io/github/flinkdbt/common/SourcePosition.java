package io.github.flinkdbt.common;

import java.util.Comparator;

/**
 * A place in a project file, as users see it: a path relative to the project directory with
 * forward slashes, a 1-based line and column. 0 means "unknown".
 */
public record SourcePosition(String file, int line, int column) implements Comparable<SourcePosition> {

    private static final Comparator<SourcePosition> ORDER = Comparator.comparing(SourcePosition::file)
            .thenComparingInt(SourcePosition::line)
            .thenComparingInt(SourcePosition::column);

    public static SourcePosition of(String file) {
        return new SourcePosition(file, 0, 0);
    }

    public static SourcePosition of(String file, int line) {
        return new SourcePosition(file, line, 0);
    }

    public SourcePosition atLine(int newLine, int newColumn) {
        return new SourcePosition(file, newLine, newColumn);
    }

    @Override
    public int compareTo(SourcePosition other) {
        return ORDER.compare(this, other);
    }

    @Override
    public String toString() {
        if (line <= 0) {
            return file;
        }
        return column <= 0 ? file + ":" + line : file + ":" + line + ":" + column;
    }
}
