package io.switchyard.routing.plan;

import io.switchyard.routing.plan.RouteAnalyzer.Ref;
import io.switchyard.routing.plan.RouteAnalyzer.Scope;
import io.switchyard.routing.plan.TableResolver.Resolved;
import java.util.ArrayList;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import net.sf.jsqlparser.expression.JdbcNamedParameter;
import net.sf.jsqlparser.expression.operators.relational.ParenthesedExpressionList;
import net.sf.jsqlparser.schema.Table;
import net.sf.jsqlparser.statement.select.FromItem;
import net.sf.jsqlparser.statement.select.Join;
import net.sf.jsqlparser.statement.select.LateralSubSelect;
import net.sf.jsqlparser.statement.select.ParenthesedSelect;
import net.sf.jsqlparser.statement.select.PlainSelect;
import net.sf.jsqlparser.statement.select.Select;
import net.sf.jsqlparser.statement.select.WithItem;

/** Plans SELECT statements: keyspace, shard routing, and the scatter rewrite with its merge. */
final class QueryPlanner {

    private QueryPlanner() {
    }

    static Template compile(Select select, PlanContext context) {
        Scopes all = Scopes.of(select);
        List<Table> tables = all.tables();
        if (tables.isEmpty() || tables.stream().anyMatch(t -> TableResolver.isSystemSchema(Names.qualifier(t)))) {
            return context.anyShard(context.original());
        }
        Map<Table, Resolved> resolved = context.resolveAll(tables);
        KeyspaceSchema keyspace = PlanContext.singleKeyspace(tables.stream().map(resolved::get).toList());
        boolean stripped = PlanContext.stripQualifiers(tables, all.columns());
        if (!keyspace.sharded()) {
            return RoutedTemplate.unsharded(StatementKind.SELECT, keyspace,
                    stripped ? SqlTemplate.parse(select.toString()) : context.original(),
                    PlanContext.names(tables, resolved));
        }
        List<Scope> scopes = scopes(select, all, resolved);
        RouteAnalyzer.Result result = RouteAnalyzer.analyze(scopes);
        if (result.inSlot() != null) {
            result.inSlot().setRightExpression(new ParenthesedExpressionList<>(
                    new JdbcNamedParameter(SqlTemplate.slot(RoutedTemplate.IN_SLOT).substring(1))));
        }
        SqlTemplate single = stripped || result.inSlot() != null ? SqlTemplate.parse(select.toString())
                : context.original();
        String refusal = result.multiShardRefusal();
        Routing routing = result.routing();
        SqlTemplate multi = null;
        MergeTemplate merge = MergeTemplate.CONCAT;
        if (!(select instanceof PlainSelect plain)) {
            refusal = "unsupported: UNION across shards; run each part on its own or restrict every part to one"
                    + " shard";
            if (routing instanceof Routing.Together together) {
                routing = new Routing.Together(together.parts(), refusal);
            }
        } else if (refusal == null) {
            try {
                ScatterRewrite.Rewritten rewritten = ScatterRewrite.rewrite(plain, result.topVindexColumn());
                multi = rewritten.changed() ? SqlTemplate.parse(plain.toString()) : single;
                merge = rewritten.merge();
            } catch (RoutingException e) {
                refusal = e.getMessage();
            }
        }
        return new RoutedTemplate(StatementKind.SELECT, routing, single, multi, merge, refusal,
                context.vindexes, PlanContext.names(tables, resolved));
    }

    /**
     * One scope per SELECT block, the statement's outermost block first, each with the tables of its own FROM
     * clause, its nesting depth, and whether it is a derived table or WITH query (whose per-shard results are
     * partial and cannot be merged).
     */
    private static List<Scope> scopes(Select select, Scopes all, Map<Table, Resolved> resolved) {
        List<PlainSelect> blocks = all.selects();
        Set<PlainSelect> derived = Collections.newSetFromMap(new IdentityHashMap<>());
        List<List<PlainSelect>> contents = new ArrayList<>();
        for (PlainSelect block : blocks) {
            contents.add(Scopes.of(block).selects());
            for (FromItem item : fromItems(block)) {
                if (item instanceof ParenthesedSelect sub) {
                    derived.addAll(Scopes.of(sub.getSelect()).selects());
                } else if (item instanceof LateralSubSelect lateral) {
                    derived.addAll(Scopes.of(lateral.getSelect()).selects());
                }
            }
            withBodies(block.getWithItemsList(), derived);
        }
        withBodies(select.getWithItemsList(), derived);
        List<Scope> scopes = new ArrayList<>();
        int ids = 0;
        int routed = 0;
        for (int i = 0; i < blocks.size(); i++) {
            PlainSelect block = blocks.get(i);
            int depth = 0;
            for (int j = 0; j < blocks.size(); j++) {
                if (j != i && contents.get(j).stream().anyMatch(s -> s == block)) {
                    depth++;
                }
            }
            Scope scope = new Scope(block, block.getWhere(), block.getJoins(), depth, derived.contains(block));
            for (FromItem item : fromItems(block)) {
                if (item instanceof Table table && resolved.containsKey(table)) {
                    scope.refs.add(new Ref(table, resolved.get(table), scope, ids++));
                    routed++;
                }
            }
            scopes.add(scope);
        }
        if (routed != resolved.size()) {
            throw RoutingException.unsupported("a sharded table in a position the router cannot analyze (only FROM"
                    + " and JOIN clauses of SELECT blocks are routed)");
        }
        scopes.sort((a, b) -> Integer.compare(a.depth, b.depth)); // stable: the outermost block stays first
        return scopes;
    }

    private static List<FromItem> fromItems(PlainSelect block) {
        List<FromItem> items = new ArrayList<>();
        if (block.getFromItem() != null) {
            items.add(block.getFromItem());
        }
        if (block.getJoins() != null) {
            for (Join join : block.getJoins()) {
                items.add(join.getRightItem());
            }
        }
        return items;
    }

    private static void withBodies(List<WithItem<?>> withItems, Set<PlainSelect> derived) {
        if (withItems != null) {
            for (WithItem<?> item : withItems) {
                if (item.getSelect() != null) {
                    derived.addAll(Scopes.of(item.getSelect()).selects());
                }
            }
        }
    }
}
