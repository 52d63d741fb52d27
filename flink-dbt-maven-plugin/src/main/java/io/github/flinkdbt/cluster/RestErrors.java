package io.github.flinkdbt.cluster;

import org.apache.flink.util.SerializedThrowable;

/** Reading the errors a Flink cluster answers with: its own exceptions arrive serialized or as text. */
final class RestErrors {

    private RestErrors() {}

    /** Whether {@code error} is, or reports from the cluster's side, an exception of {@code type}. */
    static boolean mentions(Throwable error, Class<? extends Throwable> type) {
        for (Throwable t = error; t != null && t.getCause() != t; t = t.getCause()) {
            if (type.isInstance(t) || String.valueOf(t.getMessage()).contains(type.getName())) {
                return true;
            }
        }
        return false;
    }

    /** The cause of {@code type} in {@code error}, deserialized when it came from the cluster; null if none. */
    static Throwable causeOf(Throwable error, Class<? extends Throwable> type) {
        for (Throwable t = error; t != null; t = t.getCause()) {
            if (type.isInstance(t)) {
                return t;
            }
            if (t instanceof SerializedThrowable serialized
                    && type.getName().equals(serialized.getOriginalErrorClassName())) {
                return serialized.deserializeError(RestErrors.class.getClassLoader());
            }
            if (t.getCause() == t) {
                break;
            }
        }
        return null;
    }

    /**
     * The innermost cause a stack trace's text names ({@code Caused by: x.Y: message}), or its first
     * line when it has none: what a person needs from a job's failure.
     */
    static String lastCause(String stackTrace) {
        String cause = stackTrace.lines().findFirst().orElse("").strip();
        for (String line : (Iterable<String>) stackTrace.lines()::iterator) {
            String stripped = line.strip();
            if (stripped.startsWith("Caused by: ")) {
                cause = stripped.substring("Caused by: ".length());
            }
        }
        return cause;
    }
}
