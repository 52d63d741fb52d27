package io.github.flinkdbt.cluster;

import io.github.flinkdbt.common.FlinkDbtException;

/**
 * The cluster did not answer a call — no connection, or no answer in time — however often it was
 * asked within the patience of a client. Unlike an answer (an error Flink gave), it says nothing
 * about the job: whoever gets it must not conclude anything from it but wait for the cluster.
 */
public final class ClusterUnreachable extends FlinkDbtException {

    private static final long serialVersionUID = 1L;

    ClusterUnreachable(String message) {
        super(message);
    }

    /** The unreachable cluster in {@code failure} or its causes; null when the cluster answered. */
    public static ClusterUnreachable in(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof ClusterUnreachable unreachable) {
                return unreachable;
            }
        }
        return null;
    }
}
