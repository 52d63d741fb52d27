package io.github.flinkdbt.cluster;

import java.io.IOException;
import java.net.ConnectException;
import java.nio.channels.ClosedChannelException;
import org.apache.flink.runtime.rest.util.RestClientException;
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
     * Why a request got no answer from the cluster (no connection, a closed connection, a gateway or
     * a leader not there yet); null when the cluster answered, also with an error.
     */
    static String unanswered(Throwable error) {
        for (Throwable t = error; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof ConnectException) {
                return "connection refused";
            }
            if (t instanceof ClosedChannelException
                    || t.getClass().getSimpleName().equals("ConnectTimeoutException")
                    || t.getClass().getSimpleName().equals("ReadTimeoutException")) {
                return "the connection failed (" + t.getClass().getSimpleName() + ")";
            }
            if (t instanceof IOException && String.valueOf(t.getMessage()).contains("Connection reset")) {
                return "the connection was reset";
            }
            if (t instanceof RestClientException rest) {
                int status = rest.getHttpResponseStatus().code();
                return status == 502 || status == 503 || status == 504 ? "HTTP " + status : null;
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
