package io.github.flinkdbt.run;

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

    boolean awaitStopRequest(long timeout, TimeUnit unit) throws InterruptedException {
        return stopRequested.await(timeout, unit);
    }

    void markStopped() {
        stopped.countDown();
    }
}
