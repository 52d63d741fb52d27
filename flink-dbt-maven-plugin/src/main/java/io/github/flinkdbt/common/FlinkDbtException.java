package io.github.flinkdbt.common;

/**
 * A failure the user can act on. The message is complete and printable as is: what is wrong,
 * where, and what to do about it.
 */
public class FlinkDbtException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    public FlinkDbtException(String message) {
        super(message);
    }

    public FlinkDbtException(String message, Throwable cause) {
        super(message, cause);
    }

    /** The innermost cause of {@code failure} in one line: its class and the first line of its message. */
    public static String rootCause(Throwable failure) {
        Throwable root = failure;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        String message = root.getMessage() == null
                ? root.getClass().getSimpleName()
                : root.getClass().getSimpleName() + ": " + root.getMessage();
        String onCluster = lastCauseOnTheCluster(message);
        return onCluster != null
                ? onCluster
                : message.lines().findFirst().orElse(message).strip();
    }

    /**
     * A cluster's REST API answers a failed request with the server's whole stack trace as text
     * ({@code [Internal server error., <Exception on server side: ...}); the last of its
     * {@code Caused by:} lines says what went wrong, e.g. a class the cluster cannot load.
     */
    private static String lastCauseOnTheCluster(String message) {
        if (!message.contains("<Exception on server side:")) {
            return null;
        }
        String cause = null;
        for (String line : message.lines().toList()) {
            String stripped = line.strip();
            if (stripped.startsWith(CAUSED_BY)) {
                cause = stripped.substring(CAUSED_BY.length());
            }
        }
        if (cause == null) {
            return null;
        }
        int colon = cause.indexOf(':');
        String type = colon < 0 ? cause : cause.substring(0, colon);
        String simple = type.substring(type.lastIndexOf('.') + 1);
        return simple + (colon < 0 ? "" : cause.substring(colon)) + " (on the cluster)";
    }

    private static final String CAUSED_BY = "Caused by: ";
}
