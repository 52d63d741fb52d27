package io.github.flinkdbt.run;

import io.github.flinkdbt.api.RunControl;
import io.github.flinkdbt.common.BuildLog;
import io.github.flinkdbt.home.DeployedPlans;
import io.github.flinkdbt.home.SavepointHistory;
import io.github.flinkdbt.home.SavepointHistory.RestorePoint;
import io.github.flinkdbt.planner.PlannedModel;
import io.github.flinkdbt.project.Model;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.function.Predicate;
import org.apache.flink.core.fs.Path;
import org.apache.flink.runtime.client.JobExecutionException;
import org.apache.flink.runtime.rest.messages.TriggerId;
import org.apache.iceberg.SnapshotRef;

/**
 * The streaming jobs of a run. Without {@code keepRunning} each runs until its bounded inputs
 * end; with it, they run until the JVM is asked to stop (Ctrl-C), and are then stopped with a
 * savepoint in the model's state directory, which the next run restores.
 */
final class StreamingJobs {

    private final RunSession session;
    private final String project;
    private final boolean keepRunning;
    private final RunControl control;
    private final RunFailures failures;
    private final BuildLog log;
    private final Map<String, ModelExecutor.StartedJob> running = Collections.synchronizedMap(new LinkedHashMap<>());
    private final Map<String, String> restoreNotes = new LinkedHashMap<>();

    StreamingJobs(
            RunSession session,
            String project,
            boolean keepRunning,
            RunControl control,
            RunFailures failures,
            BuildLog log) {
        this.session = session;
        this.project = project;
        this.keepRunning = keepRunning;
        this.control = control;
        this.failures = failures;
        this.log = log;
    }

    /**
     * Starts a model's job from the newest of its last savepoint and its latest retained checkpoint;
     * without state only under full refresh, or when it has neither.
     */
    void start(ModelExecutor executor, Model model, PlannedModel planned, boolean fullRefresh) {
        Path state = session.home().state(project, model.name());
        Optional<RestorePoint> restore =
                fullRefresh ? Optional.empty() : SavepointHistory.restorePoint(state, session.hints());
        ModelExecutor.StartedJob job = executor.startStreaming(
                model, planned, restore.map(RestorePoint::location).orElse(null));
        DeployedPlans.record(state, planned.plan().json());
        running.put(model.name(), job);
        restoreNotes.put(
                model.name(),
                restore.map(point -> ", restored from " + point.describe())
                        .orElse(
                                fullRefresh
                                        ? ", starts without state (full refresh)"
                                        : ", starts empty: no savepoint or retained checkpoint to restore"));
    }

    String jobId(String model) {
        return running.get(model).jobId().toString();
    }

    String restoredNote(String model) {
        return restoreNotes.get(model);
    }

    /** Waits for the bounded streaming jobs among {@code models} to finish. */
    void awaitUpstream(Collection<String> models, Consumer<ModelRun> results) {
        if (keepRunning) {
            return;
        }
        awaitEach(models::contains, results);
    }

    /** Waits for every job: to the end of its input, or with keepRunning until the JVM stops. */
    void awaitAll(Consumer<ModelRun> results) {
        if (keepRunning && !running.isEmpty()) {
            keepRunningUntilStopped(results);
            return;
        }
        awaitEach(model -> true, results);
    }

    private void keepRunningUntilStopped(Consumer<ModelRun> results) {
        log.info("flink-dbt: " + running.size() + " streaming job(s) running; web UI at "
                + session.cluster().restAddress() + ". Press Ctrl-C to stop them with a savepoint.");
        Thread hook = new Thread(
                () -> {
                    try {
                        control.stopAndWait(5, TimeUnit.MINUTES);
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                },
                "flink-dbt-stop-with-savepoint");
        Runtime.getRuntime().addShutdownHook(hook);
        try {
            while (!control.awaitStopRequest(1, TimeUnit.SECONDS)) {
                if (running.values().stream().allMatch(job -> job.result().isDone())) {
                    // every job ended by itself (bounded inputs, or failed)
                    awaitEach(model -> true, results);
                    return;
                }
            }
            stopWithSavepoints(results);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            stopWithSavepoints(results);
        } finally {
            control.markStopped();
            try {
                Runtime.getRuntime().removeShutdownHook(hook);
            } catch (IllegalStateException shuttingDown) {
                // the hook is waiting for markStopped, which has happened
            }
        }
    }

    /**
     * Stops every running job with a savepoint and records where, for the next run. All stops are
     * triggered at once, so the jobs' savepoints are taken side by side rather than one after another.
     */
    void stopWithSavepoints(Consumer<ModelRun> results) {
        Map<String, CompletableFuture<String>> stopping = new LinkedHashMap<>();
        Map<String, ModelExecutor.StartedJob> jobs = new LinkedHashMap<>();
        for (String model : new ArrayList<>(running.keySet())) {
            ModelExecutor.StartedJob job = running.remove(model);
            jobs.put(model, job);
            if (!job.result().isDone()) {
                String directory =
                        session.home().savepoints(project, model).toUri().toString();
                stopping.put(
                        model,
                        session.cluster()
                                .stopWithSavepoint(job.jobId(), directory, new TriggerId(), job.checkpointMinPause()));
            }
        }
        long start = System.currentTimeMillis();
        for (Map.Entry<String, ModelExecutor.StartedJob> entry : jobs.entrySet()) {
            String model = entry.getKey();
            ModelExecutor.StartedJob job = entry.getValue();
            CompletableFuture<String> stop = stopping.get(model);
            if (stop == null) {
                results.accept(await(job)); // its inputs ended before the stop: nothing left to save
                continue;
            }
            try {
                String location = stop.get(5, TimeUnit.MINUTES);
                SavepointHistory.record(session.home().state(project, model), location);
                results.accept(ModelRun.ended(
                        job.model(),
                        ModelRun.SUCCESS,
                        job.jobId().toString(),
                        rows(job),
                        job.startedAt(),
                        "stopped with savepoint " + location + " (" + (System.currentTimeMillis() - start) + " ms)"));
            } catch (Exception e) {
                if (e instanceof InterruptedException) {
                    Thread.currentThread().interrupt();
                }
                if (endedByItself(job)) {
                    results.accept(await(job)); // its inputs ended while the stop was asked for
                    continue;
                }
                results.accept(ModelRun.ended(
                        job.model(),
                        ModelRun.ERROR,
                        job.jobId().toString(),
                        -1,
                        job.startedAt(),
                        "could not stop with a savepoint: " + failures.rootMessage(e)));
            }
        }
    }

    /** Whether the job finished by itself (its bounded inputs ended), so there was nothing to stop. */
    private static boolean endedByItself(ModelExecutor.StartedJob job) {
        try {
            return job.result().get(10, TimeUnit.SECONDS).isSuccess();
        } catch (Exception notFinished) {
            return false;
        }
    }

    /** Waits for the jobs of the models {@code which} accepts, in the order they started. */
    private void awaitEach(Predicate<String> which, Consumer<ModelRun> results) {
        for (String model : new ArrayList<>(running.keySet())) {
            if (which.test(model)) {
                results.accept(await(running.remove(model)));
            }
        }
    }

    private ModelRun await(ModelExecutor.StartedJob job) {
        Model model = job.model();
        String jobId = job.jobId().toString();
        try {
            job.result().get().toJobExecutionResult(session.classLoader());
            return ModelRun.ended(
                    model,
                    ModelRun.SUCCESS,
                    jobId,
                    rows(job),
                    job.startedAt(),
                    "inputs ended; wrote " + model.relation().display());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("Interrupted while waiting for " + model.name(), e);
        } catch (ExecutionException | JobExecutionException | IOException | ClassNotFoundException e) {
            failures.debug(log, e);
            return ModelRun.ended(model, ModelRun.ERROR, jobId, -1, job.startedAt(), failures.describe(model, e));
        }
    }

    private static long rows(ModelExecutor.StartedJob job) {
        return job.icebergTable() == null
                ? -1
                : IcebergTables.addedSince(job.icebergTable(), SnapshotRef.MAIN_BRANCH, job.snapshotBefore());
    }

    List<String> runningModels() {
        return List.copyOf(running.keySet());
    }
}
