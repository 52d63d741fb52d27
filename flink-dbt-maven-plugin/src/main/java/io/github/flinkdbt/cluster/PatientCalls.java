package io.github.flinkdbt.cluster;

import io.github.flinkdbt.common.FlinkDbtException;
import java.net.URI;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Supplier;

/**
 * Calls to a cluster's REST API that wait out a cluster that does not answer — no connection, no
 * answer in time, a gateway or leader not there yet — asking again with backoff until their
 * patience is spent, then throw {@link ClusterUnreachable}. An answer, also an error, ends a call.
 */
final class PatientCalls {

    /** How long the cluster may go without answering before a call gives up; a test shortens it. */
    static final String PATIENCE_PROPERTY = "flink-dbt.test.restPatienceSeconds";

    private static final long PATIENCE_SECONDS = 120;
    private static final long BACKOFF_FIRST_MILLIS = 250;
    private static final long BACKOFF_MAX_MILLIS = 5_000;

    private final URI address;
    private final Duration patience = Duration.ofSeconds(Long.getLong(PATIENCE_PROPERTY, PATIENCE_SECONDS));
    /** How long one attempt of a quick call waits for its answer. */
    private final Duration attempt = Duration.ofMillis(Math.max(1_000, Math.min(10_000, patience.toMillis() / 3)));

    PatientCalls(URI address) {
        this.address = address;
    }

    /** A quick call: a question, or an order Flink acknowledges at once. */
    <T> T call(String what, Supplier<CompletableFuture<T>> request) {
        return call(what, request, attempt);
    }

    /**
     * Makes the request, and again while the cluster does not answer it within {@code timeout}. Every
     * request made this way must be idempotent: a lost answer does not mean nothing happened.
     *
     * @param what what the cluster is asked to do, for messages ("cancel job …")
     */
    <T> T call(String what, Supplier<CompletableFuture<T>> request, Duration timeout) {
        long start = System.nanoTime();
        long deadline = start + patience.toNanos();
        long backoff = BACKOFF_FIRST_MILLIS;
        int attempts = 0;
        while (true) {
            attempts++;
            CompletableFuture<T> call = request.get();
            String unanswered;
            try {
                return call.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
            } catch (TimeoutException e) {
                call.cancel(true);
                unanswered = "no answer within " + timeout.toMillis() / 1000.0 + " s";
            } catch (ExecutionException e) {
                unanswered = RestErrors.unanswered(e.getCause());
                if (unanswered == null) {
                    throw failure(what, e);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw failure(what, e);
            }
            long left = (deadline - System.nanoTime()) / 1_000_000;
            if (left <= 0) {
                throw new ClusterUnreachable("The Flink cluster at " + address + " did not answer when asked to " + what
                        + ": " + unanswered + " (asked " + attempts + " times in "
                        + (System.nanoTime() - start) / 100_000_000 / 10.0 + " s).");
            }
            sleep(Math.min(backoff, left));
            backoff = Math.min(backoff * 2, BACKOFF_MAX_MILLIS);
        }
    }

    /** A failure the cluster answered with. */
    FlinkDbtException failure(String what, Exception e) {
        Throwable cause = e instanceof ExecutionException && e.getCause() != null ? e.getCause() : e;
        return new FlinkDbtException(
                "Could not " + what + " on the Flink cluster at " + address + ": " + FlinkDbtException.rootCause(cause),
                cause);
    }

    static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new FlinkDbtException("Interrupted while waiting for the Flink cluster", e);
        }
    }
}
