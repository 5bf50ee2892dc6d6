package io.switchyard.routing.plan;

import static io.switchyard.routing.plan.Plans.CUSTOMER;
import static io.switchyard.routing.plan.Plans.plan;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.switchyard.routing.merge.ColumnKind;
import io.switchyard.routing.merge.ResultMerger;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The planner's per-shard SQL and merge spec, fed with what each shard returns for that SQL, give the unsharded
 * answer. corder rows (customer_id, sku, price): on -80 (1,a,10) (1,b,20) (2,a,30) (5,c,5); on 80- (4,a,1) (4,c,7).
 */
class PlanAndMergeTest {

    private final Planner planner = new Planner(DemoVSchema.snapshot());

    private static List<byte[]> row(String... cells) {
        return Arrays.stream(cells).map(c -> c == null ? null : c.getBytes(StandardCharsets.UTF_8)).toList();
    }

    private static List<List<String>> text(List<List<byte[]>> rows) {
        return rows.stream().map(r -> r.stream().map(c -> new String(c, StandardCharsets.UTF_8)).toList()).toList();
    }

    @Test
    void groupedAverageWithOrderAndLimit() {
        var plan = plan(planner, Plan.Scatter.class, "select sku, count(*) as n, avg(price) from corder"
                + " group by sku order by n desc, sku limit 2", CUSTOMER);
        assertEquals("SELECT sku, count(*) AS n, SUM(price) AS `avg(price)`, COUNT(price) FROM corder GROUP BY sku"
                + " ORDER BY n DESC, sku", plan.sql());
        var lowShard = List.of(row("a", "2", "40", "2"), row("b", "1", "20", "1"), row("c", "1", "5", "1"));
        var highShard = List.of(row("a", "1", "1", "1"), row("c", "1", "7", "1"));
        var merged = ResultMerger.merge(plan.merge(), List.of(ColumnKind.TEXT, ColumnKind.INTEGER,
                ColumnKind.DECIMAL, ColumnKind.INTEGER), List.of(lowShard, highShard));
        assertEquals(List.of(List.of("a", "3", "13.6667"), List.of("c", "2", "6.0000")), text(merged));
    }

    @Test
    void orderedPageOfAJoinAcrossShards() {
        var plan = plan(planner, Plan.Scatter.class, "select o.sku, o.price from customer c join corder o"
                + " on c.customer_id = o.customer_id order by o.price desc limit 2 offset 1", CUSTOMER);
        assertEquals("SELECT o.sku, o.price FROM customer c JOIN corder o ON c.customer_id = o.customer_id"
                + " ORDER BY o.price DESC LIMIT 3", plan.sql());
        var lowShard = List.of(row("a", "30"), row("b", "20"), row("a", "10"));
        var highShard = List.of(row("c", "7"), row("a", "1"));
        var merged = ResultMerger.merge(plan.merge(), List.of(ColumnKind.TEXT, ColumnKind.INTEGER),
                List.of(lowShard, highShard));
        assertEquals(List.of(List.of("b", "20"), List.of("a", "10")), text(merged));
    }
}
