package io.github.flinkdbt.planner;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.apache.calcite.plan.RelOptTable;
import org.apache.calcite.plan.RelOptUtil;
import org.apache.calcite.rel.RelNode;
import org.apache.calcite.rel.core.Aggregate;
import org.apache.calcite.rel.core.AggregateCall;
import org.apache.calcite.rel.core.Calc;
import org.apache.calcite.rel.core.Correlate;
import org.apache.calcite.rel.core.Join;
import org.apache.calcite.rel.core.Project;
import org.apache.calcite.rel.core.SetOp;
import org.apache.calcite.rel.core.TableFunctionScan;
import org.apache.calcite.rel.core.TableScan;
import org.apache.calcite.rel.core.Values;
import org.apache.calcite.rex.RexCall;
import org.apache.calcite.rex.RexInputRef;
import org.apache.calcite.rex.RexLiteral;
import org.apache.calcite.rex.RexNode;
import org.apache.calcite.rex.RexProgram;
import org.apache.flink.table.api.Table;
import org.apache.flink.table.planner.operations.PlannerQueryOperation;

/**
 * Where each output column of a query comes from, traced on the planner's relational tree of the
 * query (the one it optimizes): through views and ephemeral CTEs (expanded into the tree), filters,
 * joins, aggregates, window functions and table functions, down to the tables read. A column
 * passed on unchanged keeps its origin; one computed from others is {@code derived} from theirs.
 */
final class ColumnLineage {

    private final Map<RelNode, List<Set<ColumnOrigin>>> traced = new HashMap<>();

    private ColumnLineage() {}

    /** By output column, in the query's order; empty when the query is not the planner's. */
    static Map<String, List<ColumnOrigin>> of(Table query) {
        if (!(query.getQueryOperation() instanceof PlannerQueryOperation operation)) {
            return Map.of();
        }
        RelNode rel = operation.getCalciteTree();
        List<Set<ColumnOrigin>> origins = new ColumnLineage().origins(rel);
        List<String> names = rel.getRowType().getFieldNames();
        Map<String, List<ColumnOrigin>> lineage = new LinkedHashMap<>();
        for (int i = 0; i < names.size(); i++) {
            lineage.put(names.get(i), List.copyOf(origins.get(i)));
        }
        return lineage;
    }

    private List<Set<ColumnOrigin>> origins(RelNode rel) {
        List<Set<ColumnOrigin>> known = traced.get(rel);
        if (known == null) {
            known = trace(rel);
            traced.put(rel, known);
        }
        return known;
    }

    private List<Set<ColumnOrigin>> trace(RelNode rel) {
        int width = rel.getRowType().getFieldCount();
        if (rel instanceof TableScan scan) {
            RelOptTable table = scan.getTable();
            String relation = String.join(".", table.getQualifiedName());
            List<String> columns = table.getRowType().getFieldNames();
            List<Set<ColumnOrigin>> out = new ArrayList<>();
            for (int i = 0; i < width; i++) {
                Set<ColumnOrigin> one = new TreeSet<>();
                one.add(new ColumnOrigin(relation, columns.get(i), false));
                out.add(one);
            }
            return out;
        }
        if (rel instanceof Values) {
            return empty(width);
        }
        if (rel instanceof Project project) {
            List<Set<ColumnOrigin>> input = origins(project.getInput());
            return project.getProjects().stream()
                    .map(e -> ofExpression(e, input))
                    .toList();
        }
        if (rel instanceof Calc calc) {
            RexProgram program = calc.getProgram();
            List<Set<ColumnOrigin>> input = origins(calc.getInput());
            return program.getProjectList().stream()
                    .map(ref -> ofExpression(program.expandLocalRef(ref), input))
                    .toList();
        }
        if (rel instanceof Aggregate aggregate) {
            List<Set<ColumnOrigin>> input = origins(aggregate.getInput());
            List<Set<ColumnOrigin>> out = new ArrayList<>();
            aggregate.getGroupSet().forEach(key -> out.add(input.get(key)));
            for (AggregateCall call : aggregate.getAggCallList()) {
                Set<ColumnOrigin> one = new TreeSet<>();
                call.getArgList().forEach(arg -> one.addAll(derived(input.get(arg))));
                out.add(one);
            }
            return padded(out, width);
        }
        if (rel instanceof Join || rel instanceof Correlate) {
            List<Set<ColumnOrigin>> out = new ArrayList<>(origins(rel.getInput(0)));
            if (out.size() < width) {
                out.addAll(origins(rel.getInput(1)));
            }
            return padded(out, width);
        }
        if (rel instanceof SetOp) {
            List<Set<ColumnOrigin>> out = empty(width);
            for (RelNode input : rel.getInputs()) {
                List<Set<ColumnOrigin>> each = origins(input);
                for (int i = 0; i < width && i < each.size(); i++) {
                    out.get(i).addAll(each.get(i));
                }
            }
            return out;
        }
        if (rel instanceof TableFunctionScan scan && scan.getInputs().size() == 1) {
            // window TVFs: the input's columns, then window_start, window_end, window_time from the time column
            List<Set<ColumnOrigin>> input = origins(scan.getInput(0));
            List<Set<ColumnOrigin>> out = new ArrayList<>(input.subList(0, Math.min(width, input.size())));
            Set<ColumnOrigin> computed = ofDescriptors(scan.getCall(), scan.getInput(0), input);
            while (out.size() < width) {
                out.add(computed);
            }
            return out;
        }
        if (rel.getInputs().size() == 1) {
            // watermark assigners, snapshots, sorts, filters, ranks: the input's columns, then computed ones
            List<Set<ColumnOrigin>> input = origins(rel.getInput(0));
            List<Set<ColumnOrigin>> out = new ArrayList<>(input.subList(0, Math.min(width, input.size())));
            Set<ColumnOrigin> all = new TreeSet<>();
            input.forEach(each -> all.addAll(derived(each)));
            while (out.size() < width) {
                out.add(all);
            }
            return out;
        }
        List<Set<ColumnOrigin>> out = new ArrayList<>();
        rel.getInputs().forEach(input -> out.addAll(origins(input)));
        return padded(out, width);
    }

    private static Set<ColumnOrigin> ofExpression(RexNode expression, List<Set<ColumnOrigin>> input) {
        if (expression instanceof RexInputRef ref) {
            return input.get(ref.getIndex());
        }
        Set<ColumnOrigin> out = new TreeSet<>();
        RelOptUtil.InputFinder.bits(expression).forEach(i -> {
            if (i < input.size()) {
                out.addAll(derived(input.get(i)));
            }
        });
        return out;
    }

    /** The columns a table function's {@code DESCRIPTOR(col)} arguments name (a window's time column). */
    private static Set<ColumnOrigin> ofDescriptors(RexNode call, RelNode input, List<Set<ColumnOrigin>> origins) {
        Set<ColumnOrigin> out = new TreeSet<>(ofExpression(call, origins));
        if (call instanceof RexCall function) {
            List<String> names = input.getRowType().getFieldNames();
            for (RexNode operand : function.getOperands()) {
                if (operand instanceof RexCall descriptor
                        && descriptor.getOperator().getName().equalsIgnoreCase("DESCRIPTOR")) {
                    for (RexNode column : descriptor.getOperands()) {
                        int index = column instanceof RexLiteral literal
                                ? names.indexOf(literal.getValueAs(String.class))
                                : -1;
                        if (index >= 0) {
                            out.addAll(derived(origins.get(index)));
                        }
                    }
                }
            }
        }
        return out;
    }

    private static Set<ColumnOrigin> derived(Set<ColumnOrigin> origins) {
        Set<ColumnOrigin> out = new TreeSet<>();
        origins.forEach(o -> out.add(o.derived() ? o : new ColumnOrigin(o.relation(), o.column(), true)));
        return out;
    }

    private static List<Set<ColumnOrigin>> padded(List<Set<ColumnOrigin>> out, int width) {
        List<Set<ColumnOrigin>> result = new ArrayList<>(out.subList(0, Math.min(width, out.size())));
        while (result.size() < width) {
            result.add(new TreeSet<>());
        }
        return result;
    }

    private static List<Set<ColumnOrigin>> empty(int width) {
        return padded(List.of(), width);
    }
}
