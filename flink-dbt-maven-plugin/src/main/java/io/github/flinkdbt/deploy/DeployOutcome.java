package io.github.flinkdbt.deploy;

import java.util.List;

/**
 * What a deployment did.
 *
 * @param deployment its number in the ledger; null when there was nothing to deploy (or a dry run)
 * @param models each model's action and where it ended
 */
public record DeployOutcome(String deployment, List<ModelResult> models) {

    public DeployOutcome {
        models = List.copyOf(models);
    }

    /**
     * @param outcome COMMITTED (the new plan runs, healthy), ROLLED_BACK (the previous plan runs again),
     *     FAILED (nothing runs the new plan; see the cause), UNCHANGED or PLANNED (a dry run)
     * @param job the job that runs the model now; null when none
     * @param savepoint the savepoint it restored, or the final one of a drop
     */
    /**
     * @param replayed for a model rolled back after its new plan had committed output: the sink that
     *     output is written to again, and what that means for it; null when nothing is written twice
     */
    public record ModelResult(
            String model,
            DeployAction action,
            String outcome,
            String job,
            String savepoint,
            String cause,
            String replayed) {

        public ModelResult(
                String model, DeployAction action, String outcome, String job, String savepoint, String cause) {
            this(model, action, outcome, job, savepoint, cause, null);
        }
    }

    public List<ModelResult> failures() {
        return models.stream()
                .filter(m -> m.outcome().equals("FAILED") || m.outcome().equals("ROLLED_BACK"))
                .toList();
    }
}
