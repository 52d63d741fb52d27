package io.github.flinkdbt.cluster;

import io.github.flinkdbt.common.FlinkDbtException;
import java.net.MalformedURLException;
import java.net.URI;
import java.net.URL;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.apache.flink.api.common.JobID;
import org.apache.flink.api.common.JobStatus;
import org.apache.flink.api.dag.Pipeline;
import org.apache.flink.client.deployment.executors.PipelineExecutorUtils;
import org.apache.flink.client.program.rest.RestClusterClient;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.DeploymentOptions;
import org.apache.flink.configuration.PipelineOptions;
import org.apache.flink.configuration.PipelineOptionsInternal;
import org.apache.flink.configuration.RestOptions;
import org.apache.flink.core.execution.SavepointFormatType;
import org.apache.flink.runtime.client.DuplicateJobSubmissionException;
import org.apache.flink.runtime.client.JobStatusMessage;
import org.apache.flink.runtime.execution.ExecutionState;
import org.apache.flink.runtime.jobgraph.JobGraph;
import org.apache.flink.runtime.jobgraph.SavepointRestoreSettings;
import org.apache.flink.runtime.jobmaster.JobResult;
import org.apache.flink.runtime.rest.handler.async.AsynchronousOperationResult;
import org.apache.flink.runtime.rest.messages.EmptyRequestBody;
import org.apache.flink.runtime.rest.messages.JobExceptionsHeaders;
import org.apache.flink.runtime.rest.messages.JobExceptionsInfoWithHistory;
import org.apache.flink.runtime.rest.messages.JobMessageParameters;
import org.apache.flink.runtime.rest.messages.TriggerId;
import org.apache.flink.runtime.rest.messages.checkpoints.CheckpointStatistics;
import org.apache.flink.runtime.rest.messages.checkpoints.CheckpointingStatistics;
import org.apache.flink.runtime.rest.messages.checkpoints.CheckpointingStatisticsHeaders;
import org.apache.flink.runtime.rest.messages.job.JobDetailsInfo;
import org.apache.flink.runtime.rest.messages.job.JobExceptionsMessageParameters;
import org.apache.flink.runtime.rest.messages.job.savepoints.SavepointInfo;
import org.apache.flink.runtime.rest.messages.job.savepoints.SavepointStatusHeaders;
import org.apache.flink.runtime.rest.messages.job.savepoints.SavepointStatusMessageParameters;
import org.apache.flink.runtime.rest.messages.job.savepoints.SavepointTriggerMessageParameters;
import org.apache.flink.runtime.rest.messages.job.savepoints.stop.StopWithSavepointRequestBody;
import org.apache.flink.runtime.rest.messages.job.savepoints.stop.StopWithSavepointTriggerHeaders;
import org.apache.flink.runtime.rest.messages.queue.QueueStatus;

/**
 * A Flink cluster reached over its REST API (Flink's {@link RestClusterClient}). Every call goes
 * there, also for the cluster this JVM runs itself ({@link EmbeddedCluster}).
 */
public class RestFlinkCluster implements FlinkCluster {

    private static final long POLL_MILLIS = 200;
    private static final long STOP_MARGIN_MILLIS = 300;
    private static final long QUIET_WINDOW_POLL_MILLIS = 50;
    private static final long QUIET_WINDOW_WAIT_MILLIS = 30_000;
    private static final long CALL_SECONDS = 60;
    private static final Duration ENDED_GRACE = Duration.ofSeconds(10);

    private final URI address;
    private final PatientCalls calls;
    /** Where this JVM's calls go: the cluster, or a forwarder to it. */
    private final URI callAddress;

    private final RestProxy proxy;
    private final RestClusterClient<String> client;
    private final ExecutorService polling = Executors.newCachedThreadPool(runnable -> {
        Thread thread = new Thread(runnable, "flink-dbt-savepoint-poll");
        thread.setDaemon(true);
        return thread;
    });

    /** A client of the cluster whose REST API is at {@code address} (nothing is called yet). */
    protected RestFlinkCluster(URI address) {
        this(address, null);
    }

    private RestFlinkCluster(URI address, RestProxy proxy) {
        this.callAddress = proxy == null ? address : proxy.address();
        this.proxy = proxy;
        Configuration config = new Configuration();
        config.set(RestOptions.ADDRESS, callAddress.getHost());
        config.set(RestOptions.PORT, callAddress.getPort());
        // PatientCalls asks again, with the patience of a deploy; Flink's client asks once
        config.set(RestOptions.RETRY_MAX_ATTEMPTS, 0);
        this.address = address;
        this.calls = new PatientCalls(address);
        try {
            this.client = new RestClusterClient<>(config, "flink-dbt");
        } catch (Exception e) {
            throw new FlinkDbtException("Cannot reach the Flink cluster at " + address + ": " + e.getMessage(), e);
        }
    }

    /** A client of the cluster whose REST API is at {@code address} (nothing is called yet). */
    public static RestFlinkCluster connect(URI address) {
        return new RestFlinkCluster(address, null);
    }

    /** A client of the cluster at {@code address} that calls it through {@code proxy} (closed with it). */
    static RestFlinkCluster through(URI address, RestProxy proxy) {
        return new RestFlinkCluster(address, proxy);
    }

    @Override
    public boolean embedded() {
        return false;
    }

    @Override
    public Set<String> libraries() {
        Set<String> libraries = new TreeSet<>();
        new ClusterRestApi(callAddress)
                .get("/jobmanager/environment", Duration.ofSeconds(10))
                .ifPresent(environment -> environment.path("classpath").forEach(entry -> {
                    String path = entry.asText();
                    if (path.endsWith(".jar")) {
                        libraries.add(ClusterClasspath.artifactIdOf(path.substring(path.lastIndexOf('/') + 1)));
                    }
                }));
        return libraries;
    }

    @Override
    public boolean inThisJvm() {
        return EmbeddedCluster.runsInThisJvm(address);
    }

    @Override
    public URI restAddress() {
        return address;
    }

    @Override
    public Map<String, String> submissionOptions() {
        Map<String, String> options = new TreeMap<>();
        options.put(DeploymentOptions.TARGET.key(), "remote");
        options.put(RestOptions.ADDRESS.key(), callAddress.getHost());
        options.put(RestOptions.PORT.key(), String.valueOf(callAddress.getPort()));
        return options;
    }

    @Override
    public JobID submit(Pipeline pipeline, Submission submission, ClassLoader classLoader) {
        Configuration config = new Configuration();
        config.set(
                PipelineOptionsInternal.PIPELINE_FIXED_JOB_ID,
                submission.jobId().toHexString());
        config.set(
                PipelineOptions.JARS,
                submission.jars().stream().map(RestFlinkCluster::url).toList());
        config.set(PipelineOptions.CLASSPATHS, submission.classpaths());
        JobGraph job;
        try {
            job = PipelineExecutorUtils.getJobGraph(pipeline, config, classLoader);
        } catch (MalformedURLException e) {
            throw new FlinkDbtException("A jar to ship is not a file: " + e.getMessage(), e);
        }
        job.setSavepointRestoreSettings(
                submission.restoreFrom() == null
                        ? SavepointRestoreSettings.none()
                        : SavepointRestoreSettings.forPath(
                                submission.restoreFrom(), submission.ignoreUnclaimedState(), submission.claimMode()));
        try {
            // the fixed job id makes a submission asked again, after no answer, the same job
            calls.call("submit job " + job.getName(), () -> client.submitJob(job), Duration.ofSeconds(CALL_SECONDS));
        } catch (FlinkDbtException e) {
            if (!RestErrors.mentions(e, DuplicateJobSubmissionException.class)) {
                throw e;
            }
            // submitted before, by a caller that did not hear back: the same job, not a second one
            JobInfo known = job(submission.jobId());
            if (known.status().isGloballyTerminalState()) {
                throw new FlinkDbtException(
                        "Job id " + submission.jobId() + " on the Flink cluster at " + address
                                + " belongs to a job that ended (" + known.status() + "); a new job needs a new id.",
                        e);
            }
        }
        return submission.jobId();
    }

    @Override
    public CompletableFuture<String> stopWithSavepoint(
            JobID job, String targetDirectory, TriggerId trigger, Duration minPause) {
        SavepointTriggerMessageParameters parameters =
                StopWithSavepointTriggerHeaders.getInstance().getUnresolvedMessageParameters();
        parameters.jobID.resolve(job);
        return CompletableFuture.supplyAsync(
                () -> {
                    awaitBetweenCheckpoints(job, minPause);
                    // the trigger id makes a stop asked again, after no answer, the same stop
                    calls.call(
                            "stop job " + job + " with a savepoint",
                            () -> client.sendRequest(
                                    StopWithSavepointTriggerHeaders.getInstance(),
                                    parameters,
                                    new StopWithSavepointRequestBody(
                                            targetDirectory, false, SavepointFormatType.CANONICAL, trigger)));
                    return awaitSavepoint(job, trigger);
                },
                polling);
    }

    /**
     * Waits until no checkpoint of the job is in flight and none can start before the stop arrives:
     * its last checkpoint completed less than {@code minPause} (less a margin for the stop's own way
     * there) ago. A job that does not run has no checkpoint to wait for; after a while without such a
     * moment the stop goes anyway.
     */
    private void awaitBetweenCheckpoints(JobID job, Duration minPause) {
        long window = minPause.toMillis() - STOP_MARGIN_MILLIS;
        if (window <= 0) {
            return;
        }
        long deadline = System.currentTimeMillis() + QUIET_WINDOW_WAIT_MILLIS;
        JobMessageParameters parameters =
                CheckpointingStatisticsHeaders.getInstance().getUnresolvedMessageParameters();
        parameters.jobPathParameter.resolve(job);
        while (System.currentTimeMillis() < deadline && job(job).status() == JobStatus.RUNNING) {
            CheckpointingStatistics statistics = calls.call(
                    "ask for the checkpoints of job " + job,
                    () -> client.sendRequest(
                            CheckpointingStatisticsHeaders.getInstance(), parameters, EmptyRequestBody.getInstance()));
            CheckpointStatistics.CompletedCheckpointStatistics latest =
                    statistics.getLatestCheckpoints().getCompletedCheckpointStatistics();
            if (statistics.getCounts().getNumberInProgressCheckpoints() == 0
                    && latest != null
                    && System.currentTimeMillis() - latest.getLatestAckTimestamp() < window) {
                return;
            }
            PatientCalls.sleep(QUIET_WINDOW_POLL_MILLIS);
        }
    }

    /** Polls the savepoint of {@code trigger} until it completes; its location, or its failure. */
    private String awaitSavepoint(JobID job, TriggerId trigger) {
        SavepointStatusMessageParameters parameters =
                SavepointStatusHeaders.getInstance().getUnresolvedMessageParameters();
        parameters.jobIdPathParameter.resolve(job);
        parameters.triggerIdPathParameter.resolve(trigger);
        while (true) {
            AsynchronousOperationResult<SavepointInfo> status = calls.call(
                    "ask for the savepoint of job " + job,
                    () -> client.sendRequest(
                            SavepointStatusHeaders.getInstance(), parameters, EmptyRequestBody.getInstance()));
            if (status.queueStatus().getId() == QueueStatus.Id.COMPLETED) {
                SavepointInfo info = status.resource();
                if (info.getFailureCause() == null) {
                    return info.getLocation();
                }
                Throwable failure = info.getFailureCause().deserializeError(RestFlinkCluster.class.getClassLoader());
                throw new FlinkDbtException(
                        "The savepoint of job " + job + " failed: " + FlinkDbtException.rootCause(failure), failure);
            }
            PatientCalls.sleep(POLL_MILLIS);
        }
    }

    @Override
    public JobInfo job(JobID job) {
        JobDetailsInfo details = calls.call("ask for job " + job, () -> client.getJobDetails(job));
        Map<String, Integer> tasks = new TreeMap<>();
        for (JobDetailsInfo.JobVertexDetailsInfo vertex : details.getJobVertexInfos()) {
            for (Map.Entry<ExecutionState, Integer> state :
                    vertex.getTasksPerState().entrySet()) {
                if (state.getValue() > 0) {
                    tasks.merge(state.getKey().name(), state.getValue(), Integer::sum);
                }
            }
        }
        return new JobInfo(job, details.getName(), details.getJobStatus(), tasks);
    }

    @Override
    public JobCheckpoints checkpoints(JobID job) {
        JobMessageParameters parameters =
                CheckpointingStatisticsHeaders.getInstance().getUnresolvedMessageParameters();
        parameters.jobPathParameter.resolve(job);
        CheckpointingStatistics statistics = calls.call(
                "ask for the checkpoints of job " + job,
                () -> client.sendRequest(
                        CheckpointingStatisticsHeaders.getInstance(), parameters, EmptyRequestBody.getInstance()));
        CheckpointingStatistics.LatestCheckpoints latest = statistics.getLatestCheckpoints();
        CheckpointingStatistics.RestoredCheckpointStatistics restored = latest.getRestoredCheckpointStatistics();
        return new JobCheckpoints(
                completed(latest.getCompletedCheckpointStatistics()),
                completed(latest.getSavepointStatistics()),
                Optional.ofNullable(restored)
                        .map(r -> new Checkpoint(r.getId(), r.getExternalPath(), r.isSavepoint(), false)));
    }

    private static Optional<Checkpoint> completed(CheckpointStatistics.CompletedCheckpointStatistics checkpoint) {
        return Optional.ofNullable(checkpoint)
                .map(c -> new Checkpoint(c.getId(), c.getExternalPath(), c.isSavepoint(), takenByAStop(c)));
    }

    /** Whether a stop with savepoint took it (its REST type, an enum Flink does not make public, is SYNC_SAVEPOINT). */
    private static boolean takenByAStop(CheckpointStatistics checkpoint) {
        Object type = checkpoint.getCheckpointType();
        return "SYNC_SAVEPOINT".equals(String.valueOf(type));
    }

    @Override
    public List<JobInfo> jobs(String namePrefix) {
        List<JobInfo> jobs = new ArrayList<>();
        for (JobStatusMessage job : calls.call("list the jobs", client::listJobs)) {
            if (job.getJobName().startsWith(namePrefix)) {
                jobs.add(new JobInfo(job.getJobId(), job.getJobName(), job.getJobState(), Map.of()));
            }
        }
        jobs.sort((a, b) -> a.name().compareTo(b.name()));
        return jobs;
    }

    @Override
    public CompletableFuture<JobResult> result(JobID job) {
        return client.requestJobResult(job);
    }

    @Override
    public List<JobFailure> failures(JobID job) {
        JobExceptionsMessageParameters parameters =
                JobExceptionsHeaders.getInstance().getUnresolvedMessageParameters();
        parameters.jobPathParameter.resolve(job);
        JobExceptionsInfoWithHistory exceptions = calls.call(
                "ask for the exceptions of job " + job,
                () -> client.sendRequest(
                        JobExceptionsHeaders.getInstance(), parameters, EmptyRequestBody.getInstance()));
        List<JobFailure> failures = new ArrayList<>();
        for (JobExceptionsInfoWithHistory.RootExceptionInfo entry :
                exceptions.getExceptionHistory().getEntries()) {
            String trace = entry.getStacktrace() == null ? entry.getExceptionName() : entry.getStacktrace();
            failures.add(new JobFailure(RestErrors.lastCause(trace), entry.getTaskName(), entry.getTimestamp()));
        }
        failures.sort(Comparator.comparingLong(JobFailure::timestamp));
        return failures;
    }

    @Override
    public void cancel(JobID job) {
        try {
            calls.call("cancel job " + job, () -> client.cancel(job));
        } catch (FlinkDbtException e) {
            // it ended on its own (failed, finished) before the cancel arrived: nothing left to cancel. The
            // cluster's job details are cached for a moment (web.refresh-interval): they may say so later.
            long deadline = System.nanoTime() + ENDED_GRACE.toNanos();
            while (!job(job).status().isGloballyTerminalState()) {
                if (System.nanoTime() > deadline) {
                    throw e;
                }
                PatientCalls.sleep(POLL_MILLIS);
            }
        }
    }

    @Override
    public void disposeSavepoint(String location) {
        calls.call("dispose of the savepoint " + location, () -> client.disposeSavepoint(location));
    }

    @Override
    public void close() {
        polling.shutdownNow();
        client.close();
        if (proxy != null) {
            proxy.close();
        }
    }

    private static String url(Path jar) {
        try {
            URL url = jar.toAbsolutePath().toUri().toURL();
            return url.toString();
        } catch (MalformedURLException e) {
            throw new IllegalArgumentException(jar.toString(), e);
        }
    }
}
