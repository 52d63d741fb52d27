package io.github.flinkdbt.state;

import io.github.flinkdbt.plan.PlanGraph;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * What Flink will do with a real savepoint when it starts the new plan: each operator with state
 * in the savepoint either finds its UID in the new plan (restores) or does not (the restore fails,
 * or with ignore-unclaimed-state that state is lost without a word).
 */
final class SavepointCheck {

    private SavepointCheck() {}

    static ModelVerdict apply(
            ModelVerdict verdict, StateCompatibility.Candidate model, PlanGraph plan, SavepointMetadata savepoint) {
        Set<String> prefixes = new TreeSet<>();
        List<String> sinkTables = new ArrayList<>();
        plan.nodes().values().forEach(node -> {
            prefixes.add(PlanGraph.uidPrefix(node));
            if (PlanGraph.sinkTable(node) != null) {
                sinkTables.add(PlanGraph.sinkTable(node));
            }
        });
        Map<String, Long> restored = new LinkedHashMap<>();
        List<OperatorCheck> extra = new ArrayList<>();
        List<String> dropped = new ArrayList<>();
        for (SavepointMetadata.Operator operator : savepoint.operators()) {
            if (!operator.hasState()) {
                continue;
            }
            String uid = operator.uid();
            if (uid.contains("/") && !uid.startsWith(model.name() + "/")) {
                continue; // another model's operator in a shared savepoint directory
            }
            String prefix = uid.contains("/") ? uid.substring(0, uid.lastIndexOf('/') + 1) : null;
            if (prefix != null && prefixes.contains(prefix)) {
                restored.merge(prefix.substring(0, prefix.length() - 1), operator.stateBytes(), Long::sum);
            } else if (prefix == null && !uid.isEmpty() && sinkTables.stream().anyMatch(uid::contains)) {
                extra.add(new OperatorCheck(
                        uid, "sink", OperatorCheck.RESTORES, operator.stateBytes(), "the table sink's own operator"));
            } else {
                String shown = uid.isEmpty() ? "operator " + operator.operatorId() + " (no UID in the savepoint)" : uid;
                dropped.add(shown + " (" + OperatorCheck.size(operator.stateBytes()) + ")");
                extra.add(new OperatorCheck(
                        shown,
                        "",
                        OperatorCheck.DROPPED,
                        operator.stateBytes(),
                        "has state in the savepoint; no operator of the new plan has its UID"));
            }
        }
        List<OperatorCheck> operators = new ArrayList<>();
        for (OperatorCheck operator : verdict.operators()) {
            if (operator.outcome().equals(OperatorCheck.DROPPED)) {
                continue; // the savepoint says what is dropped
            }
            Long bytes = restored.get(operator.uid());
            operators.add(bytes == null ? operator : operator.withState(bytes));
        }
        operators.addAll(extra);
        List<String> reasons = new ArrayList<>(verdict.reasons());
        Verdict outcome = verdict.verdict();
        if (!dropped.isEmpty()) {
            reasons.add("the savepoint " + savepoint.name()
                    + " holds state no operator of the new plan "
                    + "takes: " + String.join(", ", dropped) + "; the restore fails, or, ignoring unclaimed state, "
                    + "loses it");
            outcome = Verdict.STATE_INCOMPATIBLE;
        }
        if (verdict.verdict() == Verdict.NEW && !restored.isEmpty()) {
            reasons.add("the savepoint has state under this plan's UIDs; without a baseline plan whether it fits "
                    + "cannot be told: give the baseline the savepoint was taken with");
        }
        return new ModelVerdict(
                verdict.name(),
                outcome,
                List.copyOf(reasons),
                List.copyOf(operators),
                verdict.policy(),
                verdict.path());
    }
}
