package io.switchyard.routing.plan;

import io.switchyard.routing.plan.RouteAnalyzer.Ref;
import io.switchyard.routing.plan.RouteAnalyzer.Scope;
import io.switchyard.routing.plan.TableResolver.Resolved;
import java.util.List;
import java.util.Map;
import net.sf.jsqlparser.expression.Expression;
import net.sf.jsqlparser.expression.JdbcNamedParameter;
import net.sf.jsqlparser.expression.operators.relational.ParenthesedExpressionList;
import net.sf.jsqlparser.schema.Column;
import net.sf.jsqlparser.schema.Table;
import net.sf.jsqlparser.statement.Statement;
import net.sf.jsqlparser.statement.delete.Delete;
import net.sf.jsqlparser.statement.update.Update;
import net.sf.jsqlparser.statement.update.UpdateSet;

/**
 * Plans UPDATE and DELETE. In a sharded keyspace they touch one table, are routed by its vindex column like a SELECT
 * (an IN list split by shard), and scatter otherwise; affected-row counts add up across shards. An UPDATE may not
 * change a vindex column: the row would belong on another shard.
 */
final class DmlPlanner {

    private DmlPlanner() {
    }

    static Template compile(Statement statement, PlanContext context) {
        boolean update = statement instanceof Update;
        String verb = update ? "UPDATE" : "DELETE";
        Scopes all = Scopes.of(statement);
        List<Table> tables = all.tables();
        Map<Table, Resolved> resolved = context.resolveAll(tables);
        KeyspaceSchema keyspace = PlanContext.singleKeyspace(tables.stream().map(resolved::get).toList());
        boolean stripped = PlanContext.stripQualifiers(tables, all.columns());
        SqlTemplate original = stripped ? SqlTemplate.parse(statement.toString()) : context.original();
        if (keyspace == null) {
            return context.anyShard(original);
        }
        if (!keyspace.sharded()) {
            return RoutedTemplate.unsharded(context.kind, keyspace, original, PlanContext.names(tables, resolved));
        }
        Table target;
        Expression where;
        boolean limited;
        if (statement instanceof Update u) {
            if (isPresent(u.getJoins()) || isPresent(u.getStartJoins()) || u.getFromItem() != null) {
                throw RoutingException.unsupported("multi-table UPDATE on sharded keyspace " + keyspace.name());
            }
            target = u.getTable();
            where = u.getWhere();
            limited = u.getLimit() != null || isPresent(u.getOrderByElements());
            checkVindexColumns(u, resolved.get(target));
        } else {
            Delete d = (Delete) statement;
            if (isPresent(d.getTables()) || isPresent(d.getJoins()) || isPresent(d.getUsingList())) {
                throw RoutingException.unsupported("multi-table DELETE on sharded keyspace " + keyspace.name());
            }
            target = d.getTable();
            where = d.getWhere();
            limited = d.getLimit() != null || isPresent(d.getOrderByElements());
        }
        if (!all.selects().isEmpty()) {
            throw RoutingException.unsupported("subquery in " + verb + " on sharded keyspace " + keyspace.name()
                    + "; select the values first, then " + verb + " by them");
        }
        Scope scope = new Scope(null, where, null, 0, false);
        scope.refs.add(new Ref(target, resolved.get(target), scope, 0));
        RouteAnalyzer.Result result = RouteAnalyzer.analyze(List.of(scope));
        SqlTemplate single = original;
        if (result.inSlot() != null) {
            result.inSlot().setRightExpression(new ParenthesedExpressionList<>(
                    new JdbcNamedParameter(SqlTemplate.slot(RoutedTemplate.IN_SLOT).substring(1))));
            single = SqlTemplate.parse(statement.toString());
        }
        String refusal = limited ? "unsupported: " + verb + " with ORDER BY or LIMIT across shards; restrict it to"
                + " one shard with the vindex column " + resolved.get(target).primaryVindex().column() : null;
        return new RoutedTemplate(context.kind, result.routing(), single, limited ? null : single,
                MergeTemplate.CONCAT, refusal, context.vindexes, PlanContext.names(tables, resolved));
    }

    private static void checkVindexColumns(Update update, Resolved table) {
        for (UpdateSet set : update.getUpdateSets()) {
            for (Column column : set.getColumns()) {
                String name = Names.unquote(column.getColumnName());
                if (table.schema().orElseThrow().isVindexColumn(name)) {
                    throw RoutingException.unsupported("UPDATE changes vindex column " + name + " of "
                            + table.qualified() + "; a row cannot move to another shard, so DELETE it and INSERT it"
                            + " again");
                }
            }
        }
    }

    private static boolean isPresent(List<?> list) {
        return list != null && !list.isEmpty();
    }
}
