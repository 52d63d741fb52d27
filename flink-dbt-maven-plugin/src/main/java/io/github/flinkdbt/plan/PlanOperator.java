package io.github.flinkdbt.plan;

import java.util.List;

/**
 * One node of a model's compiled plan, as the project sees it.
 *
 * @param role the node's structural role, unique within the model (e.g. {@code group-aggregate},
 *     {@code source[shop.page_views]}, {@code join#2})
 * @param uidPrefix every operator the node creates gets the UID {@code uidPrefix + transformation}
 * @param stateNames the state the plan lists for the node (empty when the plan does not say)
 * @param inputs the nodes whose output it reads, in the plan's edge order
 */
public record PlanOperator(
        int nodeId,
        String type,
        String role,
        boolean stateful,
        String uidPrefix,
        List<String> stateNames,
        List<Integer> inputs) {

    public PlanOperator {
        inputs = inputs == null ? List.of() : List.copyOf(inputs);
    }
}
