package io.switchyard.routing.plan;

import static io.switchyard.routing.plan.Plans.COMMERCE;
import static io.switchyard.routing.plan.Plans.CUSTOMER;
import static io.switchyard.routing.plan.Plans.plan;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;

import io.switchyard.routing.merge.MergeSpec;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** INSERT placement, multi-row splitting, sequences and placeholders. */
class InsertPlanTest {

    private final Planner planner = new Planner(DemoVSchema.snapshot());

    @Test
    void multiRowInsertIsSplitSoEachShardGetsOnlyItsRows() {
        var pending = plan(planner, Plan.NeedsSequence.class, "insert into corder (customer_id, sku, price)"
                + " values (1, 'SKU-1', 10), (4, 'SKU-4', 40), (5, 'it''s', -5)", CUSTOMER);
        assertEquals(3, pending.rowCount());
        var plan = assertInstanceOf(Plan.MultiShard.class, pending.bindSequenceIds(100));
        assertEquals(Map.of(
                "-80", "INSERT INTO corder (customer_id, sku, price, order_id) VALUES (1, 'SKU-1', 10, 100),"
                        + " (5, 'it''s', -5, 102)",
                "80-", "INSERT INTO corder (customer_id, sku, price, order_id) VALUES (4, 'SKU-4', 40, 101)"),
                plan.sqlByShard());
        assertEquals(StatementKind.INSERT, plan.kind());
        assertEquals(MergeSpec.CONCAT, plan.merge());
    }

    @Test
    void explicitIdsNeedNoSequence() {
        var plan = plan(planner, Plan.SingleShard.class, "insert ignore into corder (order_id, customer_id, sku)"
                + " values (7, 4, 'a') on duplicate key update sku = 'b'", CUSTOMER);
        assertEquals(new Plan.SingleShard("customer", "80-", StatementKind.INSERT, "INSERT IGNORE INTO corder"
                + " (order_id, customer_id, sku) VALUES (7, 4, 'a') ON DUPLICATE KEY UPDATE sku = 'b'",
                List.of("customer.corder")), plan);
    }

    @Test
    void sequenceIdsDecideTheShardWhenTheyAreTheVindexColumn() {
        var pending = plan(planner, Plan.NeedsSequence.class,
                "insert into customer (email) values ('a@x'), ('b@x'), ('c@x')", CUSTOMER);
        assertEquals("customer", pending.keyspace());
        assertEquals("customer", pending.table());
        assertEquals("customer_id", pending.column());
        assertEquals("commerce.customer_seq", pending.sequence());
        assertEquals("commerce", pending.sequenceKeyspace());
        assertEquals("customer_seq", pending.sequenceTable());
        assertEquals(3, pending.rowCount());
        var plan = assertInstanceOf(Plan.MultiShard.class, pending.bindSequenceIds(3));
        assertEquals(Map.of(
                "-80", "INSERT INTO customer (email, customer_id) VALUES ('a@x', 3), ('c@x', 5)",
                "80-", "INSERT INTO customer (email, customer_id) VALUES ('b@x', 4)"), plan.sqlByShard());
        var single = assertInstanceOf(Plan.SingleShard.class, pending.bindSequenceIds(1));
        assertEquals("INSERT INTO customer (email, customer_id) VALUES ('a@x', 1), ('b@x', 2), ('c@x', 3)",
                single.sql());
    }

    @Test
    void nullAutoIncrementValuesGetIdsOthersKeepTheirs() {
        var pending = plan(planner, Plan.NeedsSequence.class,
                "insert into customer (customer_id, email) values (null, 'a'), (4, 'b'), (NULL, 'c')", CUSTOMER);
        assertEquals(2, pending.rowCount());
        var plan = assertInstanceOf(Plan.MultiShard.class, pending.bindSequenceIds(1));
        assertEquals(Map.of("-80", "INSERT INTO customer (customer_id, email) VALUES (1, 'a'), (2, 'c')",
                "80-", "INSERT INTO customer (customer_id, email) VALUES (4, 'b')"), plan.sqlByShard());
    }

    @Test
    void preparedInsertRoutesAtExecuteTime() {
        var prepared = plan(planner, Plan.Prepared.class,
                "insert into corder (customer_id, order_id, sku) values (?, ?, ?), (?, ?, ?)", CUSTOMER);
        assertEquals(6, prepared.parameterCount());
        assertEquals(List.of(0, 3), prepared.routingParameters());
        var plan = assertInstanceOf(Plan.MultiShard.class,
                prepared.bind(List.of(4L, 10L, "x'y", 1, 11, "back\\slash")));
        assertEquals(Map.of(
                "80-", "INSERT INTO corder (customer_id, order_id, sku) VALUES (4, 10, 'x''y')",
                "-80", "INSERT INTO corder (customer_id, order_id, sku) VALUES (1, 11,"
                        + " _utf8mb4 X'6261636b5c736c617368')"),
                plan.sqlByShard());
        var pending = assertInstanceOf(Plan.NeedsSequence.class,
                prepared.bind(Arrays.asList(4, null, "a", 4, 12, "b")));
        assertEquals(1, pending.rowCount());
        var single = assertInstanceOf(Plan.SingleShard.class, pending.bindSequenceIds(500));
        assertEquals("INSERT INTO corder (customer_id, order_id, sku) VALUES (4, 500, 'a'), (4, 12, 'b')",
                single.sql());
    }

    @Test
    void unshardedInsertRunsAsWritten() {
        var plan = plan(planner, Plan.Unsharded.class, "insert into product (sku, price) values ('a', 1), ('b', 2)",
                COMMERCE);
        assertEquals("insert into product (sku, price) values ('a', 1), ('b', 2)", plan.sql());
        plan(planner, Plan.Unsharded.class, "insert into product select * from product_old", COMMERCE);
    }

    @Test
    void insertsThatCannotBePlacedAreRefused() {
        assertEquals("INSERT into sharded table customer.tagged must list its columns, so the gateway can find"
                + " vindex column tag", plan(planner, Plan.Refused.class, "insert into tagged values (1, 2)",
                CUSTOMER).message());
        assertEquals("INSERT into sharded table customer.tagged must give vindex column tag, which places the row"
                + " on its shard", plan(planner, Plan.Refused.class, "insert into tagged (name) values ('x')",
                CUSTOMER).message());
        assertEquals("unsupported: row 2 gives 1 + 1 for vindex column tag of customer.tagged; the gateway needs a"
                + " literal value to pick the row's shard", plan(planner, Plan.Refused.class,
                "insert into tagged (tag) values (1), (1 + 1)", CUSTOMER).message());
        assertEquals("row 1 of the INSERT into customer.tagged has NULL for vindex column tag; a row needs a value"
                + " to be placed on a shard", plan(planner, Plan.Refused.class,
                "insert into tagged (tag) values (null)", CUSTOMER).message());
        assertEquals("unsupported: INSERT ... SELECT into sharded table customer.tagged; insert the rows with"
                + " VALUES", plan(planner, Plan.Refused.class, "insert into tagged (tag) select tag from tagged",
                CUSTOMER).message());
        var count = plan(planner, Plan.Refused.class, "insert into tagged (tag, name) values (1)", CUSTOMER);
        assertEquals(new Plan.Refused(1136, "21S01", "Column count doesn't match value count at row 1"), count);
        assertEquals("unsupported: ON DUPLICATE KEY UPDATE changes vindex column tag of customer.tagged; a row"
                + " cannot move to another shard", plan(planner, Plan.Refused.class,
                "insert into tagged (tag) values (1) on duplicate key update tag = 2", CUSTOMER).message());
    }

    @Test
    void replaceAndInsertSetAreSplitLikeInsert() {
        var replace = plan(planner, Plan.MultiShard.class, "replace into tagged (tag, name) values (4, 'a'), (5, 'b')",
                CUSTOMER);
        assertEquals(Map.of("80-", "REPLACE INTO tagged (tag, name) VALUES (4, 'a')",
                "-80", "REPLACE INTO tagged (tag, name) VALUES (5, 'b')"), replace.sqlByShard());
        var set = plan(planner, Plan.SingleShard.class, "insert into tagged set tag = 4, name = 'a'", CUSTOMER);
        assertEquals("INSERT INTO tagged (tag, name) VALUES (4, 'a')", set.sql());
    }
}
