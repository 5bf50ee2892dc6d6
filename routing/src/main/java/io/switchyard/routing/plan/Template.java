package io.switchyard.routing.plan;

import java.util.List;

/**
 * What the plan cache holds for one normalized statement: everything decided at plan time, waiting for the values
 * of the statement's bind variables. Immutable and shared by every session that runs the statement.
 */
interface Template {

    /**
     * The plan for one execution.
     *
     * @param values one per bind variable of the normalized statement
     * @throws RoutingException when these values cannot be routed (the planner turns it into a refusal)
     */
    Plan bind(List<BoundValue> values);

    /** The bind indexes whose values choose the shard. */
    default List<Integer> routingBinds() {
        return List.of();
    }

    /** A refusal; its message may quote the statement, so its literals are filled in per execution. */
    record Refusing(Plan.Refused refused) implements Template {
        @Override
        public Plan bind(List<BoundValue> values) {
            return new Plan.Refused(refused.errorCode(), refused.sqlState(),
                    SqlTemplate.fillMarkers(refused.message(), values));
        }
    }

    /** A plan that does not depend on values: session statements, DDL, ALTER VSCHEMA. */
    record Fixed(Plan plan) implements Template {
        @Override
        public Plan bind(List<BoundValue> values) {
            return plan;
        }
    }
}
