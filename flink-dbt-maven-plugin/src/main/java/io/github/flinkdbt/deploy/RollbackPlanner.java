package io.github.flinkdbt.deploy;

import io.github.flinkdbt.api.Command;
import io.github.flinkdbt.api.Hints;
import io.github.flinkdbt.api.Option;
import io.github.flinkdbt.cluster.FlinkCluster;
import io.github.flinkdbt.common.FlinkDbtException;
import io.github.flinkdbt.deploy.DeployedState.Commit;
import io.github.flinkdbt.deploy.DeployedState.DeployedModel;
import io.github.flinkdbt.home.DeployedPlans;
import io.github.flinkdbt.home.FlinkDbtHome;
import io.github.flinkdbt.home.ledger.Ledger;
import java.io.IOException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.apache.flink.api.common.JobID;
import org.apache.flink.core.fs.Path;

/**
 * {@code rollback}: the last deployment that committed anything, taken back model by model from
 * the ledger alone. A model it upgraded (or restarted, or started empty) goes back to its previous
 * plan from the savepoint that deployment took of it, after its job now is stopped with a
 * savepoint that is kept; a model it created is dropped (final savepoint kept); a model it dropped
 * comes back from its final savepoint. Output written since that savepoint is written again by the
 * previous plan. Batch models are not rolled back.
 */
final class RollbackPlanner {

    /**
     * What a rollback does.
     *
     * @param release the deployment it takes back
     * @param plans the plans the changed models go back to, by model
     */
    record Rollback(String release, List<ModelAction> actions, Map<String, String> plans) {}

    private static final String VERDICT = "ROLLBACK";

    private final String project;
    private final FlinkCluster cluster;
    private final FlinkDbtHome home;
    private final Hints hints;

    RollbackPlanner(String project, FlinkCluster cluster, FlinkDbtHome home, Hints hints) {
        this.project = project;
        this.cluster = cluster;
        this.home = home;
        this.hints = hints;
    }

    /** The savepoints a rollback of the last release restores: never disposed of while it is the last. */
    static Set<String> needed(DeployedState state) {
        Set<String> needed = new HashSet<>();
        for (Commit commit : state.lastRelease()) {
            String savepoint = commit.facts().get("savepoint");
            if (savepoint != null && commit.facts().containsKey("previousPlan")) {
                needed.add(savepoint);
            }
        }
        return needed;
    }

    /**
     * @param inProject the models the build has: a model comes back only with its definition (its
     *     job's settings, its table), so one whose file is gone is refused
     */
    Rollback plan(DeployedState state, Ledger ledger, Set<String> inProject) {
        List<Commit> release = state.lastRelease();
        if (release.isEmpty()) {
            throw new FlinkDbtException("Nothing to roll back: no deployment in the ledger " + ledger.directory()
                    + " changed a streaming model. Deploy first: " + hints.command(Command.DEPLOY) + ".");
        }
        String number = release.get(0).deployment();
        List<ModelAction> actions = new ArrayList<>();
        Map<String, String> plans = new TreeMap<>();
        for (Commit commit : release) {
            ModelAction action = back(number, commit, state, inProject);
            actions.add(action);
            if (action.plan() != null) {
                plans.put(action.model(), action.plan());
            }
        }
        return new Rollback(number, actions, plans);
    }

    private ModelAction back(String release, Commit commit, DeployedState state, Set<String> inProject) {
        String model = commit.model();
        Map<String, String> facts = commit.facts();
        DeployedModel now = state.models().get(model);
        JobID running = now != null && runs(now.job()) ? now.job() : null;
        String previous = facts.get("previousPlan");
        String savepoint = facts.get("savepoint");
        if (previous == null && !facts.containsKey("drop")) {
            return new ModelAction(
                    model,
                    DeployAction.DROP,
                    VERDICT,
                    "new in #" + release + ": "
                            + (running != null ? "stop with a final savepoint (kept)" : "its job is gone; forget it"),
                    null,
                    running,
                    null,
                    now == null ? null : now.plan(),
                    null);
        }
        if (previous != null && previous.equals(facts.get("plan"))) {
            return new ModelAction(
                    model,
                    DeployAction.NOOP,
                    VERDICT,
                    "#" + release + " kept its plan",
                    null,
                    running,
                    null,
                    previous,
                    null);
        }
        String plan = archivedPlan(model, previous);
        String refusal = plan == null
                ? model + ": its plan before #" + release + " (" + previous + ") is not in "
                        + home.state(project, model) + " any more, so it cannot be started again."
                        + " Deploy the previous version of the project instead."
                : !inProject.contains(model)
                        ? model + ": #" + release + " dropped it and the project has no model of that name any"
                                + " more; its job needs the model's settings to start again. Put its SQL file back,"
                                + " then run the rollback again (or deploy)."
                        : restorable(model, release, savepoint, state);
        boolean dropped = facts.containsKey("drop");
        String detail = dropped
                ? "dropped in #" + release + ": restores its final savepoint " + name(savepoint)
                : "back to plan " + shortChecksum(previous) + " from " + name(savepoint) + " (taken in #" + release
                        + ")" + (running != null ? ", after a savepoint of job " + running + " (kept)" : "")
                        + "; output since then is written again";
        return new ModelAction(
                model,
                running != null ? DeployAction.UPGRADE : DeployAction.RESTORE,
                VERDICT,
                detail,
                plan,
                running,
                savepoint,
                now == null ? facts.get("plan") : now.plan(),
                refusal);
    }

    private String archivedPlan(String model, String checksum) {
        if (checksum == null) {
            return null;
        }
        try {
            return DeployedPlans.archived(home.state(project, model), checksum);
        } catch (FlinkDbtException missing) {
            return null;
        }
    }

    /** Why the savepoint cannot be restored; null when it can. */
    private String restorable(String model, String release, String savepoint, DeployedState state) {
        if (savepoint == null) {
            return model + ": #" + release + " started it without state and nothing of its previous plan's state"
                    + " is left: a rollback cannot give it back. Deploy the previous version of the project instead.";
        }
        if (state.disposed().contains(savepoint) || !exists(savepoint)) {
            return model + ": the savepoint its previous plan restores, " + savepoint + ", is gone"
                    + (state.disposed().contains(savepoint)
                            ? " (disposed of: " + hints.set(Option.SAVEPOINTS_TO_KEEP, "<n>") + " keeps more)"
                            : "")
                    + ". Deploy the previous version of the project instead: it restores what runs now.";
        }
        return null;
    }

    private static boolean exists(String savepoint) {
        try {
            Path metadata = new Path(savepoint, "_metadata");
            return metadata.getFileSystem().exists(metadata);
        } catch (IOException | RuntimeException e) {
            return false;
        }
    }

    private boolean runs(JobID job) {
        try {
            return !cluster.job(job).status().isGloballyTerminalState();
        } catch (FlinkDbtException unknown) {
            return false;
        }
    }

    private static String name(String location) {
        String trimmed = location.endsWith("/") ? location.substring(0, location.length() - 1) : location;
        return trimmed.substring(trimmed.lastIndexOf('/') + 1);
    }

    private static String shortChecksum(String checksum) {
        return checksum.substring(0, Math.min(12, checksum.length()));
    }
}
