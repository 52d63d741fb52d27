package io.github.flinkdbt.home.ledger;

import java.util.Map;
import java.util.TreeMap;

/**
 * One entry of a deployment ledger: a deployment's start and end, and every step of it in
 * between (the journal a re-run resumes from). Written once, never changed.
 *
 * @param sequence its place in the ledger (1, 2, …), given when it is appended
 * @param at when it was appended (ISO-8601 instant)
 * @param deployment the deployment it belongs to
 * @param fencingToken the lock token of the deployer that wrote it
 * @param kind what it records
 * @param model the model a step is about; null for the deployment itself
 * @param facts what the step knows: job ids, trigger ids, savepoint locations, checksums, outcome,
 *     durations; never a secret
 */
public record LedgerRecord(
        long sequence,
        String at,
        String deployment,
        long fencingToken,
        Kind kind,
        String model,
        Map<String, String> facts) {

    /** What a record says happened. */
    public enum Kind {
        DEPLOYMENT_STARTED,
        /** A model's action is about to start: what it will do, from which state. */
        INTENT,
        /** Stop with savepoint asked for, under a trigger id chosen (and recorded) first. */
        SAVEPOINT_TRIGGERED,
        SAVEPOINT_TAKEN,
        /** A job is about to be submitted under a job id chosen (and recorded) first. */
        JOB_SUBMITTING,
        HEALTHY,
        COMMITTED,
        ROLLING_BACK,
        ROLLED_BACK,
        FAILED,
        SAVEPOINT_DISPOSED,
        DEPLOYMENT_FINISHED
    }

    public LedgerRecord {
        facts = new TreeMap<>(facts);
    }

    /** A record to append: its sequence and time are given by the ledger. */
    public static LedgerRecord of(String deployment, Kind kind, String model, Map<String, String> facts) {
        return new LedgerRecord(0, null, deployment, 0, kind, model, facts);
    }

    LedgerRecord appended(long sequence, String at, long fencingToken) {
        return new LedgerRecord(sequence, at, deployment, fencingToken, kind, model, facts);
    }
}
