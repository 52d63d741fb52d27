package io.github.flinkdbt.cluster;

import java.nio.file.Path;
import java.util.List;
import org.apache.flink.api.common.JobID;
import org.apache.flink.core.execution.RecoveryClaimMode;

/**
 * What a job is submitted with, beyond its pipeline.
 *
 * @param jobId the job's id, chosen by the caller so that submitting it again is recognised
 * @param restoreFrom the savepoint or retained checkpoint it starts from; null to start empty
 * @param claimMode who owns the restored snapshot; NO_CLAIM leaves it to the caller (it is not
 *     deleted, and the job takes a full checkpoint of its own first)
 * @param ignoreUnclaimedState start even when state in the snapshot has no operator to go to (that
 *     state is lost)
 * @param jars jars shipped with the job (uploaded for its tasks)
 * @param classpaths URLs of classes every node of the cluster can read itself (not uploaded)
 */
public record Submission(
        JobID jobId,
        String restoreFrom,
        RecoveryClaimMode claimMode,
        boolean ignoreUnclaimedState,
        List<Path> jars,
        List<String> classpaths) {

    public Submission {
        jars = List.copyOf(jars);
        classpaths = List.copyOf(classpaths);
    }

    /**
     * A new job with a fresh id, starting from {@code restoreFrom} (or empty) and leaving that
     * snapshot to its owner, with the project's classes and connectors as {@code classpath} says.
     */
    public static Submission of(String restoreFrom, JobClasspath classpath) {
        return of(JobID.generate(), restoreFrom, classpath);
    }

    /** The same, under an id the caller chose (and recorded) first. */
    public static Submission of(JobID jobId, String restoreFrom, JobClasspath classpath) {
        return new Submission(
                jobId, restoreFrom, RecoveryClaimMode.NO_CLAIM, false, classpath.jars(), classpath.classpaths());
    }
}
