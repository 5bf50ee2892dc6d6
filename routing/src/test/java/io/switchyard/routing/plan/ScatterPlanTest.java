package io.switchyard.routing.plan;

import static io.switchyard.routing.plan.Plans.CUSTOMER;
import static io.switchyard.routing.plan.Plans.plan;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;

import io.switchyard.routing.merge.MergeSpec;
import io.switchyard.routing.merge.MergeSpec.Aggregate;
import io.switchyard.routing.merge.MergeSpec.AggregateFunction;
import io.switchyard.routing.merge.MergeSpec.ColumnRef;
import io.switchyard.routing.merge.MergeSpec.SortKey;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The per-shard rewrite of scatter SELECTs and the merge specs that go with it. */
class ScatterPlanTest {

    private final Planner planner = new Planner(DemoVSchema.snapshot());

    private Plan.Scatter scatter(String sql) {
        return plan(planner, Plan.Scatter.class, sql, CUSTOMER);
    }

    private String refusal(String sql) {
        return plan(planner, Plan.Refused.class, sql, CUSTOMER).message();
    }

    @Test
    void orderByWithLimitAsksEachShardForOffsetPlusLimitRows() {
        var plan = scatter("select customer_id, email from customer order by email desc, customer_id"
                + " limit 10 offset 20");
        assertEquals("SELECT customer_id, email FROM customer ORDER BY email DESC, customer_id LIMIT 30", plan.sql());
        assertEquals(new MergeSpec(List.of(), List.of(), false, false, List.of(
                new SortKey(ColumnRef.at(1), true), new SortKey(ColumnRef.at(0), false)), 20, 10, 0), plan.merge());
        var comma = scatter("select email from customer order by 1 limit 5, 2");
        assertEquals("SELECT email FROM customer ORDER BY 1 LIMIT 7", comma.sql());
        assertEquals(5, comma.merge().offset());
        assertEquals(2, comma.merge().limit());
    }

    @Test
    void orderByAColumnNotSelectedAddsAHiddenColumn() {
        var plan = scatter("select email from customer order by created_at desc");
        assertEquals("SELECT email, created_at FROM customer ORDER BY created_at DESC", plan.sql());
        assertEquals(List.of(new SortKey(ColumnRef.at(1), true)), plan.merge().orderBy());
        assertEquals(1, plan.merge().hiddenColumns());
        var star = scatter("select * from customer order by email");
        assertEquals("SELECT *, email FROM customer ORDER BY email", star.sql());
        assertEquals(List.of(new SortKey(ColumnRef.fromEnd(1), false)), star.merge().orderBy());
    }

    @Test
    void aggregatesMergeAndAvgBecomesSumAndCount() {
        var plan = scatter("select count(*), sum(price), min(sku), max(sku), avg(price) from corder");
        assertEquals("SELECT count(*), sum(price), min(sku), max(sku), SUM(price) AS `avg(price)`, COUNT(price)"
                + " FROM corder", plan.sql());
        assertEquals(new MergeSpec(List.of(
                Aggregate.of(ColumnRef.at(0), AggregateFunction.COUNT),
                Aggregate.of(ColumnRef.at(1), AggregateFunction.SUM),
                Aggregate.of(ColumnRef.at(2), AggregateFunction.MIN),
                Aggregate.of(ColumnRef.at(3), AggregateFunction.MAX),
                Aggregate.average(ColumnRef.at(4), ColumnRef.at(5))), List.of(), true, false, List.of(), 0,
                MergeSpec.NO_LIMIT, 1), plan.merge());
        assertEquals(List.of(ColumnRef.at(4)), plan.merge().averageColumns());
    }

    @Test
    void groupByColumnsMergesGroupsAndLimitsAfterMerging() {
        var plan = scatter("select sku, count(*) as n, avg(price) a from corder group by sku order by n desc"
                + " limit 3");
        assertEquals("SELECT sku, count(*) AS n, SUM(price) a, COUNT(price) FROM corder GROUP BY sku ORDER BY n"
                + " DESC", plan.sql());
        assertEquals(new MergeSpec(List.of(Aggregate.of(ColumnRef.at(1), AggregateFunction.COUNT),
                Aggregate.average(ColumnRef.at(2), ColumnRef.at(3))), List.of(ColumnRef.at(0)), true, false,
                List.of(new SortKey(ColumnRef.at(1), true)), 0, 3, 1), plan.merge());
        var hiddenKey = scatter("select count(*) from corder group by sku");
        assertEquals("SELECT count(*), sku FROM corder GROUP BY sku", hiddenKey.sql());
        assertEquals(List.of(ColumnRef.at(1)), hiddenKey.merge().groupBy());
    }

    @Test
    void groupByTheVindexColumnKeepsGroupsOnTheirShard() {
        var plan = scatter("select customer_id, count(*), group_concat(sku) from corder group by customer_id"
                + " having count(*) > 1 order by 2 limit 5");
        assertEquals("SELECT customer_id, count(*), GROUP_CONCAT(sku) FROM corder GROUP BY customer_id HAVING"
                + " count(*) > 1 ORDER BY 2 LIMIT 5", plan.sql());
        assertEquals(new MergeSpec(List.of(), List.of(), false, false, List.of(new SortKey(ColumnRef.at(1), false)),
                0, 5, 0), plan.merge());
    }

    @Test
    void groupByAVindexColumnAnOuterJoinCanMakeNullStillMergesGroups() {
        var plan = scatter("select o.customer_id, count(*) from customer c left join corder o"
                + " on c.customer_id = o.customer_id group by o.customer_id");
        assertEquals(true, plan.merge().grouped()); // customers without orders form a NULL group on every shard
        assertEquals(false, scatter("select c.customer_id, count(*) from customer c left join corder o"
                + " on c.customer_id = o.customer_id group by c.customer_id").merge().grouped());
    }

    @Test
    void distinctMergesDuplicates() {
        var plan = scatter("select distinct sku from corder order by sku limit 2");
        assertEquals("SELECT DISTINCT sku FROM corder ORDER BY sku LIMIT 2", plan.sql());
        assertEquals(new MergeSpec(List.of(), List.of(), false, true, List.of(new SortKey(ColumnRef.at(0), false)),
                0, 2, 0), plan.merge());
        assertEquals(List.of(Aggregate.of(ColumnRef.at(0), AggregateFunction.COUNT)),
                scatter("select count(distinct customer_id) from corder").merge().aggregates());
    }

    @Test
    void inListAcrossShardsMergesLikeAScatter() {
        var plan = plan(planner, Plan.MultiShard.class,
                "select email from customer where customer_id in (1, 4) order by email limit 1", CUSTOMER);
        assertEquals(Map.of("-80", "SELECT email FROM customer WHERE customer_id IN (1) ORDER BY email LIMIT 1",
                "80-", "SELECT email FROM customer WHERE customer_id IN (4) ORDER BY email LIMIT 1"),
                plan.sqlByShard());
        assertEquals(1, plan.merge().limit());
    }

    @Test
    void placeholderLimitIsResolvedWhenBound() {
        var prepared = plan(planner, Plan.Prepared.class,
                "select email from customer where email > ? order by email limit ?, ?", CUSTOMER);
        assertEquals(List.of(), prepared.routingParameters());
        var plan = assertInstanceOf(Plan.Scatter.class, prepared.bind(List.of("m", 2, 3)));
        assertEquals("SELECT email FROM customer WHERE email > 'm' ORDER BY email LIMIT 5", plan.sql());
        assertEquals(2, plan.merge().offset());
        assertEquals(3, plan.merge().limit());
    }

    @Test
    void whatCannotBeMergedExactlyIsRefusedWithTheReason() {
        assertEquals("unsupported: HAVING across shards (count(*) > 1); group by the vindex column or filter in"
                + " the application", refusal("select sku, count(*) from corder group by sku having count(*) > 1"));
        assertEquals("unsupported: GROUP BY on expression year(created_at) across shards; group by a column",
                refusal("select count(*) from corder group by year(created_at)"));
        assertEquals("unsupported: count(DISTINCT sku) across shards: DISTINCT values may repeat on several shards;"
                + " only COUNT(DISTINCT) and SUM(DISTINCT) of the vindex column merge",
                refusal("select count(distinct sku) from corder"));
        assertEquals("unsupported: expression count(*) + 1 over an aggregate across shards; select the aggregate"
                + " alone and compute the rest in the application", refusal("select count(*) + 1 from corder"));
        assertEquals("unsupported: window functions across shards (row_number() OVER (ORDER BY sku))",
                refusal("select row_number() over (order by sku) from corder"));
        assertEquals("unsupported: UNION across shards; run each part on its own or restrict every part to one"
                + " shard", refusal("select sku from corder union select email from customer where customer_id = 1"
                + " union select email from customer where customer_id = 4"));
        assertEquals("unsupported: GROUP_CONCAT across shards: its per-shard results do not merge; group by the"
                + " vindex column to keep each group on one shard", refusal("select group_concat(sku) from corder"));
        assertEquals("unsupported: SQL_CALC_FOUND_ROWS across shards; run a separate COUNT(*)",
                refusal("select sql_calc_found_rows * from corder limit 10"));
    }

    @Test
    void refusalMessagesShowTheStatementsOwnLiterals() {
        assertEquals("unsupported: HAVING across shards (count(*) > 7); group by the vindex column or filter in the"
                + " application", refusal("select sku, count(*) from corder group by sku having count(*) > 7"));
    }

    @Test
    void unionOnOneShardRunsThere() {
        var plan = plan(planner, Plan.SingleShard.class, "select email from customer where customer_id = 1 union all"
                + " select sku from corder where customer_id = 5", CUSTOMER);
        assertEquals("-80", plan.shard());
    }
}
