package io.github.flinkdbt.deploy;

import org.apache.flink.api.common.JobID;

/**
 * One model's line of a deploy plan.
 *
 * @param action what the deployment does
 * @param verdict the state verdict against what is deployed (UNCHANGED, STATE_COMPATIBLE, …; NEW)
 * @param detail why, and from which state it starts, in a few words
 * @param plan the plan it starts (compiled JSON); null for a drop or no change
 * @param running the job that runs it now and is stopped first; null when none runs
 * @param restoreFrom what the started job restores when it does not come from a stop's savepoint
 * @param previousPlan the checksum of the plan it runs now, for a rollback; null when unknown
 * @param refusal why the deployment must not do this (a policy forbids it); null when allowed
 */
public record ModelAction(
        String model,
        DeployAction action,
        String verdict,
        String detail,
        String plan,
        JobID running,
        String restoreFrom,
        String previousPlan,
        String refusal) {

    public boolean changes() {
        return action != DeployAction.NOOP;
    }
}
