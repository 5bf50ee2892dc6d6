package io.switchyard.routing.plan;

import static io.switchyard.routing.plan.Plans.COMMERCE;
import static io.switchyard.routing.plan.Plans.CUSTOMER;
import static io.switchyard.routing.plan.Plans.NONE;
import static io.switchyard.routing.plan.Plans.plan;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.switchyard.routing.merge.MergeSpec;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Statement routing on the demo layout: hash(1), hash(2), hash(3), hash(5) are in -80, hash(4) in 80-. */
class PlannerRoutingTest {

    private final Planner planner = new Planner(DemoVSchema.snapshot());

    @Test
    void vindexEqualityGoesToTheShardOfItsKeyspaceId() {
        for (int id : new int[] {1, 2, 3, 5}) {
            var plan = plan(planner, Plan.SingleShard.class, "select * from customer where customer_id = " + id,
                    CUSTOMER);
            assertEquals("-80", plan.shard());
        }
        var four = plan(planner, Plan.SingleShard.class, "SELECT * FROM customer WHERE customer_id = 4", CUSTOMER);
        assertEquals(new Plan.SingleShard("customer", "80-", StatementKind.SELECT,
                "SELECT * FROM customer WHERE customer_id = 4", List.of("customer.customer")), four);
    }

    @Test
    void quotedVindexValueRoutesByItsUnquotedValue() {
        var plan = plan(planner, Plan.SingleShard.class,
                "select * from customer where email <> 'x' and customer_id = '4'", CUSTOMER);
        assertEquals("80-", plan.shard());
        assertEquals("select * from customer where email <> 'x' and customer_id = '4'", plan.sql());
    }

    @Test
    void inListIsSplitSoEachShardGetsOnlyItsValues() {
        var plan = plan(planner, Plan.MultiShard.class,
                "select * from customer where customer_id in (1, 4, 2) and email like 'a%'", CUSTOMER);
        assertEquals(Map.of(
                "-80", "SELECT * FROM customer WHERE customer_id IN (1, 2) AND email LIKE 'a%'",
                "80-", "SELECT * FROM customer WHERE customer_id IN (4) AND email LIKE 'a%'"), plan.sqlByShard());
        assertEquals(List.of("-80", "80-"), List.copyOf(plan.sqlByShard().keySet()));
        assertEquals(MergeSpec.CONCAT, plan.merge());
    }

    @Test
    void inListOnOneShardStaysSingleShard() {
        var plan = plan(planner, Plan.SingleShard.class, "select * from customer where customer_id in (1, 5, 3)",
                CUSTOMER);
        assertEquals("-80", plan.shard());
        assertEquals("SELECT * FROM customer WHERE customer_id IN (1, 5, 3)", plan.sql());
    }

    @Test
    void orOfVindexEqualitiesActsAsIn() {
        var plan = plan(planner, Plan.MultiShard.class,
                "select * from customer where customer_id = 1 or customer_id = 4", CUSTOMER);
        assertEquals(Map.of("-80", "select * from customer where customer_id = 1 or customer_id = 4",
                "80-", "select * from customer where customer_id = 1 or customer_id = 4"), plan.sqlByShard());
        plan(planner, Plan.SingleShard.class, "select * from customer where (customer_id = 1 or customer_id = 2)",
                CUSTOMER);
    }

    @Test
    void otherPredicatesScatter() {
        var plan = plan(planner, Plan.Scatter.class,
                "select * from customer where customer_id = 1 or email = 'x'", CUSTOMER);
        assertEquals(List.of("-80", "80-"), plan.shards());
        assertEquals("select * from customer where customer_id = 1 or email = 'x'", plan.sql());
        plan(planner, Plan.Scatter.class, "select * from customer where customer_id > 3", CUSTOMER);
        plan(planner, Plan.Scatter.class, "select * from customer where customer_id = 'abc'", CUSTOMER);
    }

    @Test
    void nullVindexValueMatchesNothingAndAsksOneShard() {
        var plan = plan(planner, Plan.SingleShard.class, "select * from customer where customer_id = null",
                CUSTOMER);
        assertEquals("-80", plan.shard());
    }

    @Test
    void unshardedKeyspaceRunsTheStatementAsWritten() {
        var plan = plan(planner, Plan.Unsharded.class,
                "select p.sku, c.email from product p join customer c on p.x = c.y where p.sku = 'a'", COMMERCE);
        assertEquals(new Plan.Unsharded("commerce", "0", StatementKind.SELECT,
                "select p.sku, c.email from product p join customer c on p.x = c.y where p.sku = 'a'",
                List.of("commerce.product", "commerce.customer")), plan);
    }

    @Test
    void keyspaceQualifiersAreRemovedFromTheSqlSentToShards() {
        var plan = plan(planner, Plan.Unsharded.class,
                "select commerce.product.sku from commerce.product where sku = 'a'", NONE);
        assertEquals("SELECT product.sku FROM product WHERE sku = 'a'", plan.sql());
        var sharded = plan(planner, Plan.SingleShard.class,
                "select * from customer.customer where customer_id = 4", COMMERCE);
        assertEquals(new Plan.SingleShard("customer", "80-", StatementKind.SELECT,
                "SELECT * FROM customer WHERE customer_id = 4", List.of("customer.customer")), sharded);
    }

    @Test
    void joinRoutedToOneShardByEqualVindexValues() {
        var plan = plan(planner, Plan.SingleShard.class, "select * from customer c join corder o"
                + " on c.customer_id = o.customer_id where c.customer_id = 5", CUSTOMER);
        assertEquals("-80", plan.shard());
        var unjoined = plan(planner, Plan.SingleShard.class, "select * from customer c, corder o"
                + " where c.customer_id = 4 and o.customer_id = 4 and c.email = o.sku", CUSTOMER);
        assertEquals("80-", unjoined.shard());
    }

    @Test
    void joinOnVindexColumnsScattersAndJoinsOnEachShard() {
        var plan = plan(planner, Plan.Scatter.class, "select c.email, o.sku from customer c left join corder o"
                + " on o.customer_id = c.customer_id", CUSTOMER);
        assertEquals(MergeSpec.CONCAT, plan.merge());
        plan(planner, Plan.Scatter.class, "select * from customer join corder using (customer_id)", CUSTOMER);
        plan(planner, Plan.Scatter.class,
                "select * from customer c where exists (select 1 from corder o where o.customer_id = c.customer_id)",
                CUSTOMER);
        plan(planner, Plan.Scatter.class,
                "select * from customer where customer_id in (select customer_id from corder where sku = 'x')",
                CUSTOMER);
    }

    @Test
    void plansNameTheTablesTheyTouch() {
        var join = plan(planner, Plan.Scatter.class, "select * from customer.customer c join corder o"
                + " on c.customer_id = o.customer_id where o.sku in (select sku from corder o2"
                + " where o2.customer_id = c.customer_id)", CUSTOMER);
        assertEquals(List.of("customer.customer", "customer.corder"), join.tables());
        var rename = plan(planner, Plan.Scatter.class, "rename table corder to corder_old, tagged to tagged_old",
                CUSTOMER);
        assertEquals(List.of("customer.corder", "customer.corder_old", "customer.tagged", "customer.tagged_old"),
                rename.tables());
    }

    @Test
    void crossShardJoinIsRefused() {
        var refused = plan(planner, Plan.Refused.class,
                "select * from customer c join corder o on c.email = o.sku", CUSTOMER);
        assertEquals(new Plan.Refused(1235, "42000", "unsupported: cross-shard join: customer.customer and"
                + " customer.corder are not joined on their vindex columns and not restricted to one shard by equal"
                + " vindex values"), refused);
        plan(planner, Plan.Refused.class, "select * from customer c, corder o where c.customer_id = 1"
                + " and o.customer_id = 4", CUSTOMER);
    }

    @Test
    void subquerySpanningShardsIsRefused() {
        var refused = plan(planner, Plan.Refused.class,
                "select * from customer where email in (select sku from corder)", CUSTOMER);
        assertEquals("unsupported: subquery on customer.corder spans shards; correlate it on its vindex column"
                + " customer_id or restrict it and the outer query to one shard", refused.message());
        plan(planner, Plan.SingleShard.class, "select * from customer where customer_id = 1"
                + " and email in (select sku from corder where customer_id = 2)", CUSTOMER);
    }

    @Test
    void derivedTableAcrossShardsIsRefusedButFineOnOneShard() {
        var refused = plan(planner, Plan.Refused.class,
                "select count(*) from (select distinct sku from corder) d", CUSTOMER);
        assertEquals("unsupported: derived table or WITH query on customer.corder across shards; restrict it to"
                + " one shard with its vindex column customer_id", refused.message());
        plan(planner, Plan.SingleShard.class,
                "select count(*) from (select distinct sku from corder where customer_id = 4) d", CUSTOMER);
        plan(planner, Plan.Refused.class, "with d as (select sku from corder) select count(*) from d", CUSTOMER);
        var cte = plan(planner, Plan.SingleShard.class,
                "with d as (select sku from corder where customer_id = 4) select count(*) from d", CUSTOMER);
        assertEquals(List.of("customer.corder"), cte.tables());
    }

    @Test
    void crossKeyspaceQueryIsRefused() {
        var refused = plan(planner, Plan.Refused.class,
                "select * from customer c join commerce.product p on c.email = p.sku", CUSTOMER);
        assertEquals("unsupported: cross-keyspace query: customer.customer and commerce.product are in different"
                + " keyspaces; query each keyspace separately", refused.message());
    }

    @Test
    void tableWithoutVindexInShardedKeyspaceSaysHowToAddOne() {
        var refused = plan(planner, Plan.Refused.class, "select * from audit where id = 1", CUSTOMER);
        assertEquals(new Plan.Refused(1105, "HY000", "table customer.audit has no vindex, so sharded keyspace"
                + " customer cannot route it; add one: ALTER VSCHEMA ON customer.audit ADD VINDEX hash(<column>)"
                + " USING hash"), refused);
    }

    @Test
    void updateAndDeleteRouteByVindex() {
        var one = plan(planner, Plan.SingleShard.class,
                "update customer set email = 'x@y' where customer_id = 4", CUSTOMER);
        assertEquals(new Plan.SingleShard("customer", "80-", StatementKind.UPDATE,
                "update customer set email = 'x@y' where customer_id = 4", List.of("customer.customer")), one);
        var split = plan(planner, Plan.MultiShard.class, "delete from corder where customer_id in (4, 5)", CUSTOMER);
        assertEquals(Map.of("-80", "DELETE FROM corder WHERE customer_id IN (5)",
                "80-", "DELETE FROM corder WHERE customer_id IN (4)"), split.sqlByShard());
        assertEquals(StatementKind.DELETE, split.kind());
        var scatter = plan(planner, Plan.Scatter.class, "delete from corder where sku = 'x'", CUSTOMER);
        assertEquals("delete from corder where sku = 'x'", scatter.sql());
    }

    @Test
    void updateOfVindexColumnIsRefused() {
        var refused = plan(planner, Plan.Refused.class,
                "update customer set email = 'a', customer_id = 7 where customer_id = 1", CUSTOMER);
        assertEquals(new Plan.Refused(1235, "42000", "unsupported: UPDATE changes vindex column customer_id of"
                + " customer.customer; a row cannot move to another shard, so DELETE it and INSERT it again"),
                refused);
    }

    @Test
    void multiShardDmlWithLimitIsRefusedButSingleShardRuns() {
        var refused = plan(planner, Plan.Refused.class, "delete from corder where sku = 'x' limit 1", CUSTOMER);
        assertEquals("unsupported: DELETE with ORDER BY or LIMIT across shards; restrict it to one shard with the"
                + " vindex column customer_id", refused.message());
        plan(planner, Plan.SingleShard.class, "delete from corder where customer_id = 1 limit 1", CUSTOMER);
    }

    @Test
    void ddlOnShardedKeyspaceRunsOnAllShards() {
        var plan = plan(planner, Plan.Scatter.class,
                "alter table customer.corder add column note varchar(255) default 'x'", COMMERCE);
        assertEquals(new Plan.Scatter("customer", StatementKind.DDL, List.of("-80", "80-"),
                "alter table corder add column note varchar(255) default 'x'", MergeSpec.CONCAT,
                List.of("customer.corder")), plan);
        var create = plan(planner, Plan.Scatter.class,
                "CREATE TABLE IF NOT EXISTS audit (id bigint primary key)", CUSTOMER);
        assertEquals("CREATE TABLE IF NOT EXISTS audit (id bigint primary key)", create.sql());
        var unsharded = plan(planner, Plan.Unsharded.class, "drop table if exists commerce.old_t", CUSTOMER);
        assertEquals("drop table if exists old_t", unsharded.sql());
        plan(planner, Plan.Scatter.class, "create index by_sku on corder (sku)", CUSTOMER);
        plan(planner, Plan.Scatter.class, "truncate table corder", CUSTOMER);
        var refused = plan(planner, Plan.Refused.class, "rename table customer.a to commerce.a", CUSTOMER);
        assertEquals("unsupported: DDL across keyspaces customer and commerce; run it in each keyspace",
                refused.message());
        assertEquals(1046, plan(planner, Plan.Refused.class, "create table t2 (id int)", NONE).errorCode());
    }

    @Test
    void sessionStatementsAreLeftToTheExecutor() {
        assertEquals(new Plan.Session(StatementKind.TRANSACTION, "begin"), planner.plan("begin", CUSTOMER,
                TabletType.PRIMARY));
        assertEquals(StatementKind.SET, plan(planner, Plan.Session.class, "SET autocommit = 0", CUSTOMER).kind());
        assertEquals(StatementKind.USE, plan(planner, Plan.Session.class, "use commerce", CUSTOMER).kind());
        var show = plan(planner, Plan.SingleShard.class, "show tables", CUSTOMER);
        assertEquals("-80", show.shard());
        assertEquals(StatementKind.SHOW, plan(planner, Plan.Session.class, "show databases", NONE).kind());
    }

    @Test
    void statementsWithoutTablesRunOnTheSessionKeyspace() {
        assertEquals(new Plan.Unsharded("commerce", "0", StatementKind.SELECT, "select 1 from dual", List.of()),
                planner.plan("select 1 from dual", COMMERCE, TabletType.PRIMARY));
        plan(planner, Plan.SingleShard.class, "select @@version", CUSTOMER);
        plan(planner, Plan.SingleShard.class,
                "select table_name from information_schema.tables where table_schema = 'customer'", CUSTOMER);
    }

    @Test
    void unparsableStatementPassesThroughOnlyOnAnUnshardedSession() {
        var passed = plan(planner, Plan.Unsharded.class,
                "select * from product where sku = 'a' lock in share mode", COMMERCE);
        assertEquals("select * from product where sku = 'a' lock in share mode", passed.sql());
        var refused = plan(planner, Plan.Refused.class,
                "select * from customer where customer_id = 1 lock in share mode", CUSTOMER);
        assertEquals(1064, refused.errorCode());
    }
}
