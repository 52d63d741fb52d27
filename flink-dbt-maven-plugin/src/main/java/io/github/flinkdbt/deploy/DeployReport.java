package io.github.flinkdbt.deploy;

import io.github.flinkdbt.api.Hints;
import io.github.flinkdbt.common.BuildLog;
import io.github.flinkdbt.common.FlinkDbtException;
import io.github.flinkdbt.deploy.DeployOutcome.ModelResult;
import io.github.flinkdbt.project.Model;
import io.github.flinkdbt.project.ModelConfig;
import io.github.flinkdbt.project.Relation;
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Collectors;

/** What {@code plan} and {@code deploy} print: the actions like {@code terraform plan}, then how each ended. */
final class DeployReport {

    private DeployReport() {}

    /** @param title what is planned, e.g. {@code deploy plan for <cluster>} */
    static void plan(BuildLog log, String title, DeployedState state, List<ModelAction> actions) {
        String last = state.lastFinished() == null
                ? "nothing deployed yet"
                : "last deployment #" + state.lastFinished().deployment() + " at "
                        + state.lastFinished().at();
        log.info("flink-dbt: " + title + " (" + last + ")");
        for (ModelAction action : actions) {
            String line = String.format(
                    Locale.ROOT,
                    "  %s %-28s %-12s %-19s %s",
                    action.action().symbol(),
                    action.model(),
                    action.action(),
                    action.verdict(),
                    action.detail());
            if (action.refusal() != null) {
                log.error(line);
            } else {
                log.info(line);
            }
        }
        Map<DeployAction, Long> counts = actions.stream()
                .collect(Collectors.groupingBy(
                        ModelAction::action, () -> new EnumMap<>(DeployAction.class), Collectors.counting()));
        log.info("Plan: "
                + counts.entrySet().stream()
                        .map(e -> e.getValue() + " "
                                + e.getKey().name().toLowerCase(Locale.ROOT).replace('_', ' '))
                        .collect(Collectors.joining(", "))
                + (actions.isEmpty() ? "no streaming models" : "") + ".");
    }

    /** The batch models the deployment applies as {@code run} does, before and after the streaming ones. */
    static void batch(BuildLog log, List<String> before, List<String> after) {
        if (!before.isEmpty()) {
            log.info("  batch models applied first, in DAG order: " + String.join(", ", before));
        }
        if (!after.isEmpty()) {
            log.info("  batch models applied after the streaming ones (they read them): " + String.join(", ", after));
        }
    }

    /** Logs how each model ended; throws naming every model that did not end on its new plan. */
    /**
     * The sink a model writes and what output written into it twice does there: an upsert ends
     * with the same rows, an append holds them twice.
     */
    static String sink(Model model) {
        if (model == null) {
            return "its sink";
        }
        ModelConfig config = model.config();
        Relation relation = model.relation();
        String connector = config.connectorProperties().get("connector");
        String topic = config.connectorProperties().get("topic");
        String where = config.writesIceberg()
                ? "the Iceberg table " + relation.catalog() + "." + relation.database() + "." + relation.name()
                : connector + (topic == null ? "" : " topic " + topic) + " (table " + relation.name() + ")";
        if (!config.uniqueKey().isEmpty()) {
            return where + ", an upsert on " + String.join(", ", config.uniqueKey()) + ": it ends with the same rows";
        }
        if (connector != null && connector.startsWith("upsert-")) {
            return where + ", an upsert: it ends with the same rows";
        }
        return where + ", an append: readers see those rows twice";
    }

    static void finished(BuildLog log, DeployOutcome outcome, Hints hints) {
        for (ModelResult result : outcome.models()) {
            log.info(String.format(
                    Locale.ROOT,
                    "  %-28s %-12s %-12s %s",
                    result.model(),
                    result.action(),
                    result.outcome(),
                    result.job() == null ? "" : "job " + result.job()));
        }
        if (outcome.failures().isEmpty()) {
            log.info("flink-dbt: deployment #" + outcome.deployment() + " committed.");
            return;
        }
        StringBuilder message = new StringBuilder("flink-dbt: deployment #" + outcome.deployment() + ": "
                + outcome.failures().size() + " model(s) did not end on their new plan:");
        for (ModelResult failed : outcome.failures()) {
            message.append("\n  ")
                    .append(failed.model())
                    .append(": ")
                    .append(failed.outcome().toLowerCase(Locale.ROOT).replace('_', ' '))
                    .append(" — ")
                    .append(failed.cause());
            if (failed.outcome().equals("ROLLED_BACK")) {
                message.append("\n    The previous plan runs again (job ")
                        .append(failed.job())
                        .append("), restored from ")
                        .append(failed.savepoint())
                        .append(
                                failed.replayed() == null
                                        ? ". The new plan had committed no output: nothing is written twice."
                                        : ". The new plan had committed output (a checkpoint completed), which the"
                                                + " previous one writes again into " + failed.replayed() + ".");
            }
        }
        message.append("\nThe other models ended on their new plans. Fix the cause and deploy again.");
        throw new FlinkDbtException(message.toString());
    }
}
