package io.github.flinkdbt;

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
}
