package io.github.flinkdbt.state;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.github.flinkdbt.plan.ExecNodeTypes;
import io.github.flinkdbt.plan.PlanGraph;
import io.github.flinkdbt.plan.RowTypes;
import io.github.flinkdbt.plan.StateSignature;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * Decides, per streaming model, what its state does when the new plan replaces the baseline's,
 * and, with a savepoint, which of the savepoint's operators restore, which are new and which
 * would be dropped. The new plans are expected to carry the UIDs {@link UidContinuity} gave them
 * against the same baseline.
 */
public final class StateCompatibility {

    /** A streaming model of the new compile: its plan, its policy and its file. */
    public record Candidate(String name, String planJson, String policy, String path) {}

    private StateCompatibility() {}

    public static List<ModelVerdict> check(
            Map<String, Candidate> current, Baseline baseline, Map<String, SavepointMetadata> savepoints) {
        Set<String> names = new TreeSet<>(current.keySet());
        names.addAll(baseline.plans().keySet());
        // models are independent: judged side by side, reported in name order
        return names.parallelStream()
                .map(name -> verdict(name, current.get(name), baseline, savepoints))
                .toList();
    }

    private static ModelVerdict verdict(
            String name, Candidate model, Baseline baseline, Map<String, SavepointMetadata> savepoints) {
        String before = baseline.plans().get(name);
        if (model == null) {
            return removed(name, before);
        }
        PlanGraph now = PlanGraph.parse(model.planJson());
        ModelVerdict verdict = before == null
                ? fresh(model, now, baseline.isNone() ? "no baseline" : "not in the baseline")
                : compare(model, now, before);
        SavepointMetadata savepoint = savepoints.get(name);
        return savepoint == null ? verdict : SavepointCheck.apply(verdict, model, now, savepoint);
    }

    private static ModelVerdict removed(String name, String before) {
        PlanGraph plan = PlanGraph.parse(before);
        List<OperatorCheck> operators = new ArrayList<>();
        plan.stateful().forEach(id -> operators.add(check(plan, id, OperatorCheck.DROPPED, "")));
        return new ModelVerdict(
                name,
                Verdict.REMOVED,
                List.of("no longer a streaming model: its state will be dropped"),
                operators,
                "fail",
                "");
    }

    private static ModelVerdict fresh(Candidate model, PlanGraph plan, String why) {
        List<OperatorCheck> operators = new ArrayList<>();
        plan.stateful().forEach(id -> operators.add(check(plan, id, OperatorCheck.NEW, "starts empty")));
        return new ModelVerdict(
                model.name(),
                Verdict.NEW,
                List.of(why + ": starts without state"),
                operators,
                model.policy(),
                model.path());
    }

    private static ModelVerdict compare(Candidate model, PlanGraph now, String before) {
        if (model.planJson().equals(before)) {
            List<OperatorCheck> operators = new ArrayList<>();
            now.stateful().forEach(id -> operators.add(check(now, id, OperatorCheck.RESTORES, "")));
            return new ModelVerdict(
                    model.name(), Verdict.UNCHANGED, List.of(), operators, model.policy(), model.path());
        }
        PlanGraph old = PlanGraph.parse(before);
        UidContinuity.Match match = UidContinuity.match(now, old);
        Map<Integer, Integer> pairs = match.newToBaseline();
        List<String> incompatible = new ArrayList<>();
        List<String> forwardOnly = new ArrayList<>();
        List<OperatorCheck> operators = new ArrayList<>();
        Set<Integer> unmatchedNew = new LinkedHashSet<>();
        for (int id : now.stateful()) {
            Integer oldId = pairs.get(id);
            if (oldId == null) {
                unmatchedNew.add(id);
                continue;
            }
            String role = PlanGraph.role(now.node(id));
            List<String> notes = new ArrayList<>();
            StateSignature was = old.signature(oldId);
            StateSignature is = now.signature(id);
            notes.addAll(was.differences(is)); // only the TTL's length can differ in a match
            if (!now.upstream(id).equals(old.upstream(oldId))) {
                notes.add("keeps state computed before the change upstream: "
                        + String.join("; ", changedUpstream(now, id, old, oldId)) + " (applies to new events only)");
            }
            notes.forEach(note -> forwardOnly.add(role + ": " + note));
            operators.add(check(now, id, OperatorCheck.RESTORES, String.join("; ", notes)));
        }
        Set<Integer> matchedOld = new HashSet<>(pairs.values());
        for (int oldId : old.stateful()) {
            if (matchedOld.contains(oldId)) {
                continue;
            }
            String oldRole = PlanGraph.role(old.node(oldId));
            Integer counterpart = counterpart(old, oldId, now, unmatchedNew);
            if (counterpart == null) {
                incompatible.add(oldRole + " removed: its state is dropped");
            } else {
                unmatchedNew.remove(counterpart);
                old.signature(oldId)
                        .differences(now.signature(counterpart))
                        .forEach(reason -> incompatible.add(oldRole + ": " + reason));
                operators.add(check(now, counterpart, OperatorCheck.NEW, "cannot read the old state; starts empty"));
            }
            operators.add(check(old, oldId, OperatorCheck.DROPPED, "no operator of the new plan can read its state"));
        }
        incompatible.addAll(replacedTables(old, now));
        for (int id : unmatchedNew) {
            forwardOnly.add(PlanGraph.role(now.node(id)) + " is new: starts empty");
            operators.add(check(now, id, OperatorCheck.NEW, "starts empty"));
        }
        Verdict verdict;
        List<String> reasons;
        if (!incompatible.isEmpty()) {
            verdict = Verdict.STATE_INCOMPATIBLE;
            reasons = incompatible;
        } else if (!forwardOnly.isEmpty()) {
            verdict = Verdict.STATE_COMPATIBLE;
            reasons = forwardOnly;
        } else {
            verdict = Verdict.STATELESS_CHANGE;
            reasons = List.of("changed: " + String.join("; ", changedAnywhere(now, old)));
        }
        return new ModelVerdict(model.name(), verdict, List.copyOf(reasons), operators, model.policy(), model.path());
    }

    /**
     * A sink whose table gets other columns writes a replaced table, and the table sink's own state
     * (Iceberg's pending commits, keyed by the table's name) belongs to the old one: restored, it
     * would commit the old table's files into the new one, or fail on files that are gone.
     */
    private static List<String> replacedTables(PlanGraph old, PlanGraph now) {
        Map<String, String> before = new HashMap<>();
        old.nodes().values().forEach(node -> {
            if (PlanGraph.sinkTable(node) != null) {
                before.put(PlanGraph.sinkTable(node), columns(node));
            }
        });
        List<String> reasons = new ArrayList<>();
        for (ObjectNode node : now.nodes().values()) {
            String table = PlanGraph.sinkTable(node);
            if (table != null && before.containsKey(table) && !before.get(table).equals(columns(node))) {
                reasons.add("table " + table + " columns (" + before.get(table) + ") → (" + columns(node) + "): the "
                        + "table is replaced, and its sink's state (commits of the old table) cannot carry over");
            }
        }
        return reasons;
    }

    private static String columns(ObjectNode node) {
        return String.join(
                ", ",
                RowTypes.fields(node.path("outputType")).stream()
                        .map(f -> f.name() + " " + f.type())
                        .toList());
    }

    /** The new node most likely meant to replace a baseline node: same role, else same type. */
    private static Integer counterpart(PlanGraph old, int oldId, PlanGraph now, Set<Integer> candidates) {
        String role = baseRole(PlanGraph.role(old.node(oldId)));
        String type = ExecNodeTypes.name(PlanGraph.type(old.node(oldId)));
        for (int id : candidates) {
            if (baseRole(PlanGraph.role(now.node(id))).equals(role)) {
                return id;
            }
        }
        for (int id : candidates) {
            if (ExecNodeTypes.name(PlanGraph.type(now.node(id))).equals(type)) {
                return id;
            }
        }
        return null;
    }

    /** {@code group-aggregate~1a2b3c4d} → {@code group-aggregate}. */
    private static String baseRole(String role) {
        int tilde = role.indexOf('~');
        return tilde < 0 ? role : role.substring(0, tilde);
    }

    /** The upstream change in a few words: its filters if any changed, else the nearest changed operator. */
    private static List<String> changedUpstream(PlanGraph now, int id, PlanGraph old, int oldId) {
        Set<String> before = new HashSet<>();
        old.ancestors(oldId).forEach(a -> before.add(old.content(a)));
        List<Integer> changed = new ArrayList<>();
        for (int ancestor : now.ancestors(id)) {
            if (!before.contains(now.content(ancestor))) {
                changed.add(ancestor);
            }
        }
        List<String> filters = new ArrayList<>();
        List<String> projections = new ArrayList<>();
        for (int node : changed) {
            String description = now.node(node).path("description").asText();
            int where = description.indexOf("where=[");
            int select = description.indexOf("select=[");
            int end = description.lastIndexOf(']');
            if (where >= 0) {
                filters.add("filter "
                        + description.substring(where + "where=[".length(), end > where ? end : description.length()));
            } else if (select >= 0 && description.startsWith("Calc(")) {
                projections.add("projection ["
                        + description.substring(select + "select=[".length(), end > select ? end : description.length())
                        + "]");
            }
        }
        if (!filters.isEmpty()) {
            return filters;
        }
        if (!projections.isEmpty()) {
            return projections;
        }
        return changed.isEmpty() ? List.of("an operator was removed") : List.of(now.describe(changed.get(0)));
    }

    private static List<String> changedAnywhere(PlanGraph now, PlanGraph old) {
        Set<String> before = new HashSet<>();
        old.nodes().keySet().forEach(id -> before.add(old.content(id)));
        List<String> changed = new ArrayList<>();
        for (int id : now.nodes().keySet()) {
            if (!before.contains(now.content(id))) {
                changed.add(now.describe(id));
            }
        }
        return changed.isEmpty() ? List.of("only names (columns, aliases); every operator computes the same") : changed;
    }

    private static OperatorCheck check(PlanGraph plan, int id, String outcome, String note) {
        return new OperatorCheck(
                OperatorCheck.uidOf(PlanGraph.uidPrefix(plan.node(id))),
                ExecNodeTypes.name(PlanGraph.type(plan.node(id))),
                outcome,
                -1,
                note);
    }
}
