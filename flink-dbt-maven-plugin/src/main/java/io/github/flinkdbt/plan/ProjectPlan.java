package io.github.flinkdbt.plan;

import java.util.List;

/**
 * A streaming model's compiled plan after the project took ownership of it: node ids numbered
 * from 1 in plan order, and every node's operators named by the project, not Flink's counter.
 *
 * @param json the plan file's content; loadable by Flink ({@code EXECUTE PLAN})
 */
public record ProjectPlan(String model, String json, List<PlanOperator> operators) {

    public List<PlanOperator> statefulOperators() {
        return operators.stream().filter(PlanOperator::stateful).toList();
    }
}
