package io.github.flinkdbt.state;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.github.flinkdbt.common.Json;
import io.github.flinkdbt.plan.PlanGraph;
import io.github.flinkdbt.plan.PlanOperator;
import io.github.flinkdbt.plan.PlanUids;
import io.github.flinkdbt.plan.ProjectPlan;
import io.github.flinkdbt.plan.StateSignature;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Carries operator UIDs over from a baseline plan. Each stateful node of the new plan is matched to
 * a baseline node whose state it can read ({@link StateSignature#restoresInto}) and takes that
 * node's UID, so Flink maps the old state onto it however the rest of the plan moved. A stateful
 * node without a match gets a UID no baseline node had ({@code <role>~<signature hash>}), so Flink
 * never restores state into a node that cannot read it: the restore fails instead, or, when state
 * loss is allowed, the node starts empty.
 */
public final class UidContinuity {

    private UidContinuity() {}

    /** Which new node took which baseline node's state; node ids of each plan. */
    public record Match(Map<Integer, Integer> newToBaseline) {}

    public static ProjectPlan apply(ProjectPlan plan, String baselineJson) {
        if (baselineJson == null) {
            return plan;
        }
        PlanGraph current = PlanGraph.parse(plan.json());
        PlanGraph baseline = PlanGraph.parse(baselineJson);
        Match match = match(current, baseline);
        Set<String> taken = new HashSet<>();
        baseline.stateful().forEach(id -> taken.add(PlanGraph.uidPrefix(baseline.node(id))));
        Map<Integer, String> prefixes = new LinkedHashMap<>();
        for (Map.Entry<Integer, Integer> pair : match.newToBaseline().entrySet()) {
            prefixes.put(pair.getKey(), PlanGraph.uidPrefix(baseline.node(pair.getValue())));
        }
        for (Map.Entry<Integer, ObjectNode> entry : current.nodes().entrySet()) {
            int id = entry.getKey();
            ObjectNode node = entry.getValue();
            if (prefixes.containsKey(id) || !StateSignature.keepsState(node)) {
                continue;
            }
            String prefix = PlanGraph.uidPrefix(node);
            if (taken.contains(prefix) || prefixes.containsValue(prefix)) {
                String base = prefix.substring(0, prefix.length() - 1) + "~"
                        + current.signature(id).fingerprint();
                prefix = base + "/";
                for (int n = 2; taken.contains(prefix) || prefixes.containsValue(prefix); n++) {
                    prefix = base + "-" + n + "/";
                }
            }
            prefixes.put(id, prefix);
        }
        boolean changed = false;
        for (Map.Entry<Integer, String> entry : prefixes.entrySet()) {
            ObjectNode node = current.node(entry.getKey());
            if (!PlanGraph.uidPrefix(node).equals(entry.getValue())) {
                ((ObjectNode) node.get("configuration"))
                        .put(PlanUids.UID_FORMAT, entry.getValue() + "<transformation>");
                changed = true;
            }
        }
        if (!changed) {
            return plan;
        }
        List<PlanOperator> operators = new ArrayList<>();
        for (PlanOperator operator : plan.operators()) {
            String prefix = prefixes.getOrDefault(operator.nodeId(), operator.uidPrefix());
            operators.add(new PlanOperator(
                    operator.nodeId(),
                    operator.type(),
                    operator.role(),
                    operator.stateful(),
                    prefix,
                    operator.stateNames(),
                    operator.inputs()));
        }
        return new ProjectPlan(plan.model(), Json.write(current.root()), List.copyOf(operators));
    }

    /**
     * Pairs stateful nodes whose state restores: first those in the same role, then any, each in
     * plan order, so the result does not depend on anything but the two plans.
     */
    public static Match match(PlanGraph current, PlanGraph baseline) {
        Map<Integer, StateSignature> before = signatures(baseline);
        Map<Integer, StateSignature> after = signatures(current);
        Map<Integer, Integer> pairs = new LinkedHashMap<>();
        Set<Integer> used = new HashSet<>();
        for (boolean sameRole : new boolean[] {true, false}) {
            for (Map.Entry<Integer, StateSignature> node : after.entrySet()) {
                if (pairs.containsKey(node.getKey())) {
                    continue;
                }
                String role = PlanGraph.role(current.node(node.getKey()));
                for (Map.Entry<Integer, StateSignature> old : before.entrySet()) {
                    if (used.contains(old.getKey())
                            || (sameRole
                                    && !PlanGraph.role(baseline.node(old.getKey()))
                                            .equals(role))) {
                        continue;
                    }
                    if (old.getValue().restoresInto(node.getValue())) {
                        pairs.put(node.getKey(), old.getKey());
                        used.add(old.getKey());
                        break;
                    }
                }
            }
        }
        return new Match(pairs);
    }

    static Map<Integer, StateSignature> signatures(PlanGraph plan) {
        Map<Integer, StateSignature> signatures = new LinkedHashMap<>();
        plan.stateful().forEach(id -> signatures.put(id, plan.signature(id)));
        return signatures;
    }
}
