package io.github.flinkdbt.deploy;

import io.github.flinkdbt.api.Hints;
import io.github.flinkdbt.cluster.FlinkCluster;
import io.github.flinkdbt.cluster.FlinkCluster.JobInfo;
import io.github.flinkdbt.common.FlinkDbtException;
import io.github.flinkdbt.deploy.DeployedState.DeployedModel;
import io.github.flinkdbt.home.DeployedPlans;
import io.github.flinkdbt.home.FlinkDbtHome;
import io.github.flinkdbt.home.SavepointHistory;
import io.github.flinkdbt.home.SavepointHistory.RestorePoint;
import io.github.flinkdbt.run.StreamingStarts;
import io.github.flinkdbt.state.ModelVerdict;
import io.github.flinkdbt.state.Verdict;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import org.apache.flink.api.common.JobID;

/**
 * The one action per streaming model a deployment takes: the plans of the build (desired), the
 * ledger (deployed), the live cluster (what runs, found by the job ids the ledger recorded, and by
 * name for jobs started outside a deployment) and the state verdicts, side by side.
 */
final class DeployPlanner {

    private final String project;
    private final FlinkCluster cluster;
    private final FlinkDbtHome home;
    private final Hints hints;

    DeployPlanner(String project, FlinkCluster cluster, FlinkDbtHome home, Hints hints) {
        this.project = project;
        this.cluster = cluster;
        this.home = home;
        this.hints = hints;
    }

    /**
     * @param plans the build's streaming models' plans, by model
     * @param verdicts their state verdicts against what is deployed, by model
     */
    List<ModelAction> plan(Map<String, String> plans, Map<String, ModelVerdict> verdicts, DeployedState state) {
        Map<String, JobInfo> byName = new TreeMap<>();
        for (JobInfo job : cluster.jobs(StreamingStarts.jobName(project, ""))) {
            if (!job.status().isGloballyTerminalState()) {
                byName.put(job.name(), job);
            }
        }
        List<ModelAction> actions = new ArrayList<>();
        plans.forEach((model, plan) -> actions.add(
                decide(model, plan, verdicts.get(model), state.models().get(model), byName)));
        state.models().forEach((model, deployed) -> {
            if (!plans.containsKey(model)) {
                actions.add(drop(deployed));
            }
        });
        return actions;
    }

    private ModelAction decide(
            String model, String plan, ModelVerdict verdict, DeployedModel deployed, Map<String, JobInfo> byName) {
        String verdictName =
                verdict == null ? Verdict.NEW.name() : verdict.verdict().name();
        boolean incompatible = verdict != null && verdict.verdict() == Verdict.STATE_INCOMPATIBLE;
        String policy = verdict == null ? "fail" : verdict.policy();
        JobID running = deployed != null && runs(deployed.job()) ? deployed.job() : null;
        JobInfo unrecorded = byName.get(StreamingStarts.jobName(project, model));
        if (running == null
                && unrecorded != null
                && (deployed == null || !unrecorded.id().equals(deployed.job()))) {
            running = unrecorded.id(); // started by run (or by hand): the deployment takes it over
        }
        String previousPlan = deployed != null
                ? deployed.plan()
                : DeployedPlans.last(home.state(project, model))
                        .map(DeployedPlans::checksum)
                        .orElse(null);
        String refusal = incompatible && policy.equals("reprocess")
                ? model + " cannot keep its state and its policy is on_state_incompatible='reprocess', which this"
                        + " version cannot do yet (rebuilding state from the sources). Set 'allow_state_loss' to"
                        + " start it empty, or revert the change."
                : null;
        if (running != null) {
            boolean same = deployed != null
                    && running.equals(deployed.job())
                    && DeployedPlans.checksum(plan).equals(deployed.plan());
            if (same) {
                return new ModelAction(
                        model,
                        DeployAction.NOOP,
                        verdictName,
                        "job " + running + " runs this plan",
                        null,
                        running,
                        null,
                        previousPlan,
                        null);
            }
            String takeOver = deployed == null || !running.equals(deployed.job())
                    ? "; takes over job " + running + " (started outside a deployment)"
                    : "";
            if (incompatible) {
                return new ModelAction(
                        model,
                        DeployAction.START_EMPTY,
                        verdictName,
                        "stop with savepoint (kept), start without state: "
                                + verdict.reasons().get(0) + takeOver,
                        plan,
                        running,
                        null,
                        previousPlan,
                        refusal);
            }
            // only stateless operators changed, or none keeps state: all of it restores as it was
            boolean stateless = verdict != null
                    && (verdict.verdict() == Verdict.STATELESS_CHANGE
                            || verdict.operators().isEmpty() && verdict.verdict() != Verdict.NEW);
            return new ModelAction(
                    model,
                    stateless ? DeployAction.RESTART : DeployAction.UPGRADE,
                    verdictName,
                    "stop with savepoint, restore" + (stateless ? " (stateless change)" : "") + takeOver,
                    plan,
                    running,
                    null,
                    previousPlan,
                    refusal);
        }
        Optional<RestorePoint> restore = SavepointHistory.restorePoint(home.state(project, model), hints);
        if (incompatible || restore.isEmpty()) {
            boolean lostState = deployed != null || incompatible;
            if (lostState && !policy.equals("allow_state_loss")) {
                String why = incompatible
                        ? verdict.reasons().get(0)
                        : "its job " + deployed.job()
                                + " is gone and no savepoint or retained checkpoint of it is left";
                return new ModelAction(
                        model,
                        DeployAction.RESTORE,
                        verdictName,
                        why,
                        plan,
                        null,
                        null,
                        previousPlan,
                        refusal != null
                                ? refusal
                                : model + " would start without state: " + why
                                        + ". Put its last savepoint or checkpoint back in " + home.state(project, model)
                                        + ", or set {{ config(on_state_incompatible='allow_state_loss') }} to start"
                                        + " it empty.");
            }
            return new ModelAction(
                    model,
                    lostState ? DeployAction.START_EMPTY : DeployAction.CREATE,
                    verdictName,
                    lostState ? "starts without state (allow_state_loss)" : "starts without state",
                    plan,
                    null,
                    null,
                    previousPlan,
                    refusal);
        }
        String from = restore.get().location().toUri().toString();
        if (deployed == null) {
            return new ModelAction(
                    model,
                    DeployAction.CREATE,
                    verdictName,
                    "restores " + restore.get().describe(),
                    plan,
                    null,
                    from,
                    previousPlan,
                    refusal);
        }
        return new ModelAction(
                model,
                DeployAction.RESTORE,
                verdictName,
                "job " + deployed.job() + " is gone; restores " + restore.get().describe(),
                plan,
                null,
                from,
                previousPlan,
                refusal);
    }

    private ModelAction drop(DeployedModel deployed) {
        JobID running = runs(deployed.job()) ? deployed.job() : null;
        return new ModelAction(
                deployed.name(),
                DeployAction.DROP,
                Verdict.REMOVED.name(),
                running != null ? "stop with a final savepoint (kept)" : "its job is gone already; forget it",
                null,
                running,
                null,
                deployed.plan(),
                null);
    }

    /** Whether the job is on the cluster and not ended. */
    private boolean runs(JobID job) {
        try {
            return !cluster.job(job).status().isGloballyTerminalState();
        } catch (FlinkDbtException unknown) {
            return false;
        }
    }
}
