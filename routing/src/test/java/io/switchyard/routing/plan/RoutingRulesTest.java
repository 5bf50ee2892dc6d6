package io.switchyard.routing.plan;

import static io.switchyard.routing.plan.Plans.COMMERCE;
import static io.switchyard.routing.plan.Plans.CUSTOMER;
import static io.switchyard.routing.plan.Plans.NONE;
import static io.switchyard.routing.plan.Plans.plan;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** Routing rules, and global routing of unqualified names without a session keyspace. */
class RoutingRulesTest {

    /** MoveTables of customer and corder from commerce to customer, after SwitchTraffic for replicas only. */
    private static final RoutingRules REPLICAS_SWITCHED = new RoutingRules(7, Map.of(
            "customer", "commerce",
            "customer@replica", "customer",
            "commerce.customer@replica", "customer",
            "customer.customer", "commerce",
            "customer.customer@replica", "customer"));

    @Test
    void mostSpecificRuleWins() {
        RoutingRules rules = REPLICAS_SWITCHED;
        assertEquals(Optional.of("customer"), rules.target(Optional.of("customer"), "customer", NONE,
                TabletType.REPLICA));
        assertEquals(Optional.of("commerce"), rules.target(Optional.of("customer"), "customer", NONE,
                TabletType.PRIMARY));
        assertEquals(Optional.of("customer"), rules.target(Optional.empty(), "customer", NONE, TabletType.REPLICA));
        assertEquals(Optional.of("commerce"), rules.target(Optional.empty(), "customer", NONE, TabletType.PRIMARY));
        // In a commerce session, commerce.customer@replica applies; primary falls back to the bare name.
        assertEquals(Optional.of("customer"), rules.target(Optional.empty(), "customer", COMMERCE,
                TabletType.REPLICA));
        assertEquals(Optional.of("commerce"), rules.target(Optional.empty(), "customer", COMMERCE,
                TabletType.PRIMARY));
        // A qualified reference never falls back to a bare-name rule.
        assertEquals(Optional.empty(), rules.target(Optional.of("commerce"), "customer", NONE, TabletType.PRIMARY));
        assertEquals(Optional.empty(), rules.target(Optional.empty(), "product", NONE, TabletType.REPLICA));
    }

    @Test
    void rulesRedirectTrafficBetweenKeyspaces() {
        Planner planner = new Planner(DemoVSchema.snapshot().withRoutingRules(REPLICAS_SWITCHED));
        String sql = "select * from customer.customer where customer_id = 4";
        var primary = plan(planner, Plan.Unsharded.class, sql, NONE, TabletType.PRIMARY);
        assertEquals(new Plan.Unsharded("commerce", "0", StatementKind.SELECT,
                "SELECT * FROM customer WHERE customer_id = 4", List.of("commerce.customer")), primary);
        var replica = plan(planner, Plan.SingleShard.class, sql, NONE, TabletType.REPLICA);
        assertEquals(new Plan.SingleShard("customer", "80-", StatementKind.SELECT,
                "SELECT * FROM customer WHERE customer_id = 4", List.of("customer.customer")), replica);
        // Unqualified, in the source keyspace's session: replicas read the target already.
        plan(planner, Plan.SingleShard.class, "select * from customer where customer_id = 1", COMMERCE,
                TabletType.REPLICA);
        plan(planner, Plan.Unsharded.class, "select * from customer where customer_id = 1", COMMERCE,
                TabletType.PRIMARY);
    }

    @Test
    void ruleMakesAnAmbiguousNameUnique() {
        Planner planner = new Planner(DemoVSchema.snapshot());
        var refused = plan(planner, Plan.Refused.class, "select * from customer", NONE);
        assertEquals(new Plan.Refused(1105, "HY000", "table customer is in keyspaces commerce and customer; qualify"
                + " it (commerce.customer) or select a keyspace with USE"), refused);
        planner.update(planner.snapshot().withRoutingRules(new RoutingRules(1, Map.of("customer", "customer"))));
        plan(planner, Plan.Scatter.class, "select * from customer", NONE);
    }

    @Test
    void globalRoutingFindsTheOnlyKeyspaceWithTheTable() {
        Planner planner = new Planner(DemoVSchema.snapshot());
        assertEquals("commerce", plan(planner, Plan.Unsharded.class, "select * from product", NONE).keyspace());
        assertEquals("customer", plan(planner, Plan.SingleShard.class, "select * from tagged where tag = 4", NONE)
                .keyspace());
        // Tables no vschema lists belong to the only unsharded keyspace, whose tables need not be listed.
        assertEquals("commerce", plan(planner, Plan.Unsharded.class, "select * from unlisted", NONE).keyspace());
        // A session keyspace wins over global routing.
        plan(planner, Plan.Refused.class, "select * from product", CUSTOMER);
    }

    @Test
    void unknownKeyspaceIsUnknownDatabase() {
        Planner planner = new Planner(DemoVSchema.snapshot());
        var refused = plan(planner, Plan.Refused.class, "select * from nosuch.t", NONE);
        assertEquals(new Plan.Refused(1049, "42000", "Unknown database 'nosuch': no such keyspace (keyspaces:"
                + " commerce, customer)"), refused);
    }

    @Test
    void rulesAreValidated() {
        var badKey = assertThrows(RoutingException.class, () -> new RoutingRules(1, Map.of("a.b.c", "commerce")));
        assertEquals("routing rule 'a.b.c' is not table, keyspace.table, or either with @primary or @replica",
                badKey.getMessage());
        RoutingSnapshot snapshot = DemoVSchema.snapshot();
        var badTarget = assertThrows(RoutingException.class,
                () -> snapshot.withRoutingRules(new RoutingRules(1, Map.of("t", "nowhere"))));
        assertEquals("routing rule 't' points at keyspace 'nowhere', which does not exist (keyspaces: commerce,"
                + " customer)", badTarget.getMessage());
    }
}
