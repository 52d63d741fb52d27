package io.github.flinkdbt.api;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * Stops a run that keeps its streaming jobs running: from a JVM shutdown hook (Ctrl-C, SIGTERM)
 * or from a caller (tests, an IDE). Stopping means a savepoint for every running job; the caller
 * may wait until they are taken.
 */
public final class RunControl {

    private final CountDownLatch stopRequested = new CountDownLatch(1);
    private final CountDownLatch stopped = new CountDownLatch(1);

    /** Asks the run to stop its streaming jobs with savepoints. */
    public void stop() {
        stopRequested.countDown();
    }

    /** Asks the run to stop and waits until its jobs are stopped (or the timeout passes). */
    public boolean stopAndWait(long timeout, TimeUnit unit) throws InterruptedException {
        stop();
        return stopped.await(timeout, unit);
    }

    /** For the run: whether a stop was asked for within the timeout. */
    public boolean awaitStopRequest(long timeout, TimeUnit unit) throws InterruptedException {
        return stopRequested.await(timeout, unit);
    }

    /** For the run: its jobs are stopped. */
    public void markStopped() {
        stopped.countDown();
    }
}
