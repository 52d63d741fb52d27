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
        return message.lines().findFirst().orElse(message).strip();
    }
}
