package io.switchyard.routing.plan;

import static io.switchyard.routing.plan.Plans.COMMERCE;
import static io.switchyard.routing.plan.Plans.CUSTOMER;
import static io.switchyard.routing.plan.Plans.plan;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The plan cache: one entry per normalized statement, keyspace, tablet type and snapshot version. */
class PlanCacheTest {

    @Test
    void statementsDifferingOnlyInLiteralsShareOnePlan() {
        Planner planner = new Planner(DemoVSchema.snapshot());
        assertEquals("-80", plan(planner, Plan.SingleShard.class, "select * from customer where customer_id = 1",
                CUSTOMER).shard());
        assertEquals("80-", plan(planner, Plan.SingleShard.class, "select * from customer where customer_id = 4",
                CUSTOMER).shard());
        var plan = plan(planner, Plan.SingleShard.class, "select * from customer where customer_id = '5'", CUSTOMER);
        assertEquals("select * from customer where customer_id = '5'", plan.sql());
        assertEquals(new Planner.CacheStats(2, 1, 1), planner.cacheStats());
    }

    @Test
    void keyspaceTabletTypeAndVersionArePartOfTheKey() {
        Planner planner = new Planner(DemoVSchema.snapshot());
        String sql = "select * from corder where customer_id = 1";
        planner.plan(sql, CUSTOMER, TabletType.PRIMARY);
        planner.plan(sql, CUSTOMER, TabletType.REPLICA);
        planner.plan(sql, COMMERCE, TabletType.PRIMARY);
        assertEquals(3, planner.cacheStats().misses());
        planner.plan(sql, CUSTOMER, TabletType.REPLICA);
        assertEquals(1, planner.cacheStats().hits());
        planner.update(planner.snapshot().withRoutingRules(new RoutingRules(1, Map.of())));
        planner.plan(sql, CUSTOMER, TabletType.REPLICA);
        assertEquals(4, planner.cacheStats().misses());
    }

    @Test
    void cacheIsBounded() {
        Planner planner = new Planner(DemoVSchema.snapshot(), 10);
        for (int i = 0; i < 100; i++) {
            planner.plan("select c" + i + " from customer where customer_id = 1", CUSTOMER, TabletType.PRIMARY);
        }
        planner.plan("select 1", CUSTOMER, TabletType.PRIMARY);
        assertEquals(true, planner.cacheStats().size() <= 10 + 1, () -> "size " + planner.cacheStats().size());
    }

    @Test
    void preparedStatementFollowsARoutingChangeMadeAfterPrepare() {
        Planner planner = new Planner(DemoVSchema.snapshot());
        var prepared = plan(planner, Plan.Prepared.class, "select * from customer where customer_id = ?", COMMERCE);
        assertEquals(List.of(), prepared.routingParameters()); // unsharded: the value does not choose a shard
        assertEquals("commerce", assertInstanceOf(Plan.Unsharded.class, prepared.bind(List.of(4))).keyspace());
        planner.update(planner.snapshot().withRoutingRules(new RoutingRules(2,
                Map.of("commerce.customer", "customer"))));
        var moved = assertInstanceOf(Plan.SingleShard.class, prepared.bind(List.of(4)));
        assertEquals(new Plan.SingleShard("customer", "80-", StatementKind.SELECT,
                "select * from customer where customer_id = 4", List.of("customer.customer")), moved);
        assertEquals(1210, assertInstanceOf(Plan.Refused.class, prepared.bind(List.of())).errorCode());
    }

    @Test
    void olderSnapshotsAreRejected() {
        Planner planner = new Planner(DemoVSchema.snapshot());
        var error = assertThrows(IllegalArgumentException.class, () -> planner.update(DemoVSchema.snapshot()));
        assertEquals("snapshot version 1 is not newer than the current 1", error.getMessage());
    }
}
