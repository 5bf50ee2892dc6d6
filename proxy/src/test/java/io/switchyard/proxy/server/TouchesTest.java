package io.switchyard.proxy.server;

import io.switchyard.routing.merge.MergeSpec;
import io.switchyard.routing.plan.Plan;
import io.switchyard.routing.plan.StatementKind;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Optional;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class TouchesTest {
    private static final Optional<String> COMMERCE = Optional.of("commerce");

    @Test
    void plannedStatementsTouchTheTablesTheirPlanNames() {
        Touches t = Touches.of(new Plan.Unsharded("customer", "0", StatementKind.UPDATE, "update product set x = 1",
                List.of("customer.product")), "update product set x = 1", COMMERCE);
        assertEquals(Touches.tables(List.of("customer.product")), t);
        Touches scatter = Touches.of(new Plan.Scatter("customer", StatementKind.SELECT, List.of("-80", "80-"),
                "select * from a join b", MergeSpec.CONCAT, List.of("customer.a", "customer.b")), "", COMMERCE);
        assertEquals(Set.of("customer.a", "customer.b"), scatter.tables());
    }

    @Test
    void statementsWithoutNamedTablesCountAgainstTheirKeyspaceUnlessTheyPlainlyReadNone() {
        String unparsed = "select id from orders lock in share mode";
        assertEquals(Touches.unattributed("commerce"), Touches.of(new Plan.Unsharded("commerce", "0",
                StatementKind.SELECT, unparsed, List.of()), unparsed, COMMERCE));
        assertEquals(Touches.unattributed("commerce"), Touches.of(new Plan.Unsharded("commerce", "0",
                StatementKind.OTHER, "call refresh()", List.of()), "call refresh()", COMMERCE));
        assertTrue(Touches.of(new Plan.Unsharded("commerce", "0", StatementKind.SELECT, "select 1", List.of()),
                "select 1", COMMERCE).isEmpty());
        assertTrue(Touches.of(new Plan.Session(StatementKind.SET, "set autocommit = 0"), "set autocommit = 0",
                COMMERCE).isEmpty());
        assertEquals(Touches.unattributed("commerce"), Touches.of(new Plan.Session(StatementKind.LOCK,
                "lock tables product write"), "lock tables product write", COMMERCE));
        assertTrue(Touches.of(new Plan.Refused(1064, "42000", "bad"), "bad", COMMERCE).isEmpty());
    }

    @Test
    void overlapIsByQualifiedTableOrByKeyspace() {
        Set<String> held = Set.of("commerce.product");
        Set<String> keyspaces = Set.of("commerce");
        assertTrue(Touches.tables(List.of("commerce.product", "commerce.orders")).overlaps(held, keyspaces));
        assertFalse(Touches.tables(List.of("commerce.orders")).overlaps(held, keyspaces));
        assertFalse(Touches.tables(List.of("customer.product")).overlaps(held, keyspaces));
        assertTrue(Touches.unattributed("commerce").overlaps(held, keyspaces));
        assertFalse(Touches.unattributed("customer").overlaps(held, keyspaces));
    }
}
