package io.switchyard.routing.plan;

import io.switchyard.routing.merge.MergeSpec;
import io.switchyard.routing.merge.MergeSpec.Aggregate;
import io.switchyard.routing.merge.MergeSpec.AggregateFunction;
import io.switchyard.routing.merge.MergeSpec.ColumnRef;
import io.switchyard.routing.merge.MergeSpec.SortKey;
import io.switchyard.routing.plan.Routing.ValueSource;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.function.Predicate;
import net.sf.jsqlparser.expression.Alias;
import net.sf.jsqlparser.expression.AnalyticExpression;
import net.sf.jsqlparser.expression.Expression;
import net.sf.jsqlparser.expression.ExpressionVisitorAdapter;
import net.sf.jsqlparser.expression.Function;
import net.sf.jsqlparser.expression.JdbcNamedParameter;
import net.sf.jsqlparser.expression.JsonAggregateFunction;
import net.sf.jsqlparser.expression.MySQLGroupConcat;
import net.sf.jsqlparser.expression.LongValue;
import net.sf.jsqlparser.schema.Column;
import net.sf.jsqlparser.statement.select.AllColumns;
import net.sf.jsqlparser.statement.select.Limit;
import net.sf.jsqlparser.statement.select.OrderByElement;
import net.sf.jsqlparser.statement.select.PlainSelect;
import net.sf.jsqlparser.statement.select.SelectItem;

/**
 * Rewrites a SELECT to run on several shards and describes the merge that makes the shards' rows one answer: AVG
 * becomes SUM plus a hidden COUNT, ORDER BY and GROUP BY keys that are not selected become hidden trailing columns,
 * LIMIT becomes {@code offset + limit} (slot 1) or goes away when groups are merged. Anything whose per-shard results
 * cannot be combined exactly is refused with the reason.
 *
 * <p>When the GROUP BY includes the vindex column, every group lives on one shard, so the shards' groups are already
 * final: aggregates of any kind and HAVING are fine, and the merge only sorts and limits.
 */
final class ScatterRewrite {

    static final int LIMIT_SLOT = 1;

    private static final Set<String> MERGEABLE = Set.of("COUNT", "SUM", "MIN", "MAX", "AVG");
    private static final Set<String> AGGREGATES = Set.of("COUNT", "SUM", "MIN", "MAX", "AVG", "GROUP_CONCAT", "STD",
            "STDDEV", "STDDEV_POP", "STDDEV_SAMP", "VARIANCE", "VAR_POP", "VAR_SAMP", "BIT_AND", "BIT_OR", "BIT_XOR",
            "JSON_ARRAYAGG", "JSON_OBJECTAGG", "ANY_VALUE");

    private record AggregateAt(int index, AggregateFunction function, int countIndex) {
    }

    private final PlainSelect select;
    private final Predicate<Column> isVindexColumn;
    private final List<SelectItem<?>> items;
    private final int visible;
    private final List<SelectItem<?>> hidden = new ArrayList<>();
    private final List<Boolean> hiddenIsHelperAggregate = new ArrayList<>();
    private final List<AggregateAt> aggregates = new ArrayList<>();
    private final List<Integer> groupKeys = new ArrayList<>();
    private final List<int[]> sortKeys = new ArrayList<>();
    private boolean changed;

    private ScatterRewrite(PlainSelect select, Predicate<Column> isVindexColumn) {
        this.select = select;
        this.isVindexColumn = isVindexColumn;
        this.items = new ArrayList<>(select.getSelectItems());
        this.visible = items.size();
    }

    /**
     * Rewrites {@code select} in place for per-shard execution.
     *
     * @param isVindexColumn whether a column of this block is the vindex column of its table
     * @return the merge, and whether the SQL changed (if not, the unchanged SQL serves every shard)
     * @throws RoutingException when the results cannot be merged exactly
     */
    static Rewritten rewrite(PlainSelect select, Predicate<Column> isVindexColumn) {
        return new ScatterRewrite(select, isVindexColumn).run();
    }

    record Rewritten(MergeTemplate merge, boolean changed) {
    }

    private Rewritten run() {
        if (select.getMySqlSqlCalcFoundRows()) {
            throw RoutingException.unsupported("SQL_CALC_FOUND_ROWS across shards; run a separate COUNT(*)");
        }
        if (select.getIntoTables() != null) {
            throw RoutingException.unsupported("SELECT ... INTO across shards");
        }
        for (SelectItem<?> item : items) {
            if (contains(item.getExpression(), true)) {
                throw RoutingException.unsupported("window functions across shards (" + item + ")");
            }
        }
        List<Expression> groupBy = select.getGroupBy() == null ? List.of()
                : new ArrayList<Expression>(select.getGroupBy().getGroupByExpressionList());
        boolean groupsOnOneShard = groupBy.stream().anyMatch(g -> g instanceof Column c && isVindexColumn.test(c));
        boolean anyAggregate = items.stream().anyMatch(i -> contains(i.getExpression(), false));
        boolean grouped = !groupsOnOneShard && (!groupBy.isEmpty() || anyAggregate);
        if (grouped) {
            if (select.getGroupBy() != null && select.getGroupBy().isMysqlWithRollup()) {
                throw RoutingException.unsupported("GROUP BY ... WITH ROLLUP across shards");
            }
            if (select.getHaving() != null) {
                throw RoutingException.unsupported("HAVING across shards (" + select.getHaving() + "); group by the"
                        + " vindex column or filter in the application");
            }
            if (items.stream().anyMatch(i -> isStar(i.getExpression()))) {
                throw RoutingException.unsupported("SELECT * with aggregates or GROUP BY across shards; list the"
                        + " columns");
            }
            for (int i = 0; i < visible; i++) {
                aggregateItem(i);
            }
            for (Expression g : groupBy) {
                groupKeys.add(groupKey(g));
            }
        }
        if (select.getOrderByElements() != null) {
            for (OrderByElement order : select.getOrderByElements()) {
                sortKeys.add(new int[] {orderKey(order.getExpression(), grouped), order.isAsc() ? 0 : 1});
            }
        }
        boolean distinct = select.getDistinct() != null;
        if (distinct && hiddenIsHelperAggregate.contains(false)) {
            throw RoutingException.unsupported("SELECT DISTINCT ordered or grouped by a column it does not select,"
                    + " across shards; select that column too");
        }
        Limits limits = limits(grouped);
        if (!hidden.isEmpty()) {
            select.getSelectItems().addAll(hidden);
            changed = true;
        }
        MergeSpec spec = new MergeSpec(aggregates.stream().map(this::aggregate).toList(),
                groupKeys.stream().map(this::ref).toList(), grouped, distinct,
                sortKeys.stream().map(k -> new SortKey(ref(k[0]), k[1] == 1)).toList(), 0, MergeSpec.NO_LIMIT,
                hidden.size());
        return new Rewritten(new MergeTemplate(spec, limits.limit(), limits.offset()), changed);
    }

    private void aggregateItem(int index) {
        SelectItem<?> item = items.get(index);
        Expression e = item.getExpression();
        if (e instanceof Function any && upper(any).equals("ANY_VALUE") && !argumentsContainAggregate(any)) {
            return; // any row's value will do, and the first row's is one
        }
        if (e instanceof Function f && MERGEABLE.contains(upper(f)) && !argumentsContainAggregate(f)) {
            AggregateFunction function = AggregateFunction.valueOf(upper(f));
            checkDistinct(f, function);
            if (function == AggregateFunction.AVG) {
                int count = average(f, index);
                aggregates.add(new AggregateAt(index, function, count));
            } else {
                aggregates.add(new AggregateAt(index, function, -1));
            }
        } else if (e instanceof Function f && AGGREGATES.contains(upper(f)) || e instanceof MySQLGroupConcat
                || e instanceof JsonAggregateFunction) {
            String name = e instanceof Function f ? upper(f) : e instanceof MySQLGroupConcat ? "GROUP_CONCAT"
                    : "JSON aggregate";
            throw RoutingException.unsupported(name + " across shards: its per-shard results do not merge;"
                    + " group by the vindex column to keep each group on one shard");
        } else if (contains(e, false)) {
            throw RoutingException.unsupported("expression " + e + " over an aggregate across shards; select the"
                    + " aggregate alone and compute the rest in the application");
        }
    }

    /** AVG(x) becomes SUM(x) named as the AVG was, plus a hidden COUNT(x); returns the count's index. */
    private int average(Function avg, int index) {
        SelectItem<?> item = items.get(index);
        Function sum = new Function("SUM", avg.getParameters().toArray(new Expression[0]));
        Alias alias = item.getAlias() != null ? item.getAlias() : new Alias("`" + avg.toString().replace("`", "``")
                + "`", true);
        select.getSelectItems().set(index, new SelectItem<>(sum, alias));
        changed = true;
        return addHidden(new Function("COUNT", avg.getParameters().toArray(new Expression[0])), true);
    }

    private void checkDistinct(Function f, AggregateFunction function) {
        if (!f.isDistinct() || function == AggregateFunction.MIN || function == AggregateFunction.MAX) {
            return;
        }
        boolean onVindex = f.getParameters() != null && f.getParameters().size() == 1
                && f.getParameters().get(0) instanceof Column c && isVindexColumn.test(c);
        if (!onVindex || function == AggregateFunction.AVG) {
            throw RoutingException.unsupported(f + " across shards: DISTINCT values may repeat on several shards;"
                    + " only COUNT(DISTINCT) and SUM(DISTINCT) of the vindex column merge");
        }
    }

    private int groupKey(Expression g) {
        int found = locate(g);
        if (found >= 0) {
            return found;
        }
        if (g instanceof Column) {
            return addHidden(g, false);
        }
        throw RoutingException.unsupported("GROUP BY on expression " + g + " across shards; group by a column");
    }

    private int orderKey(Expression e, boolean grouped) {
        if (contains(e, true)) {
            throw RoutingException.unsupported("ORDER BY a window function across shards");
        }
        int found = locate(e);
        if (found >= 0) {
            return found;
        }
        if (grouped && e instanceof Function f && MERGEABLE.contains(upper(f)) && !argumentsContainAggregate(f)) {
            AggregateFunction function = AggregateFunction.valueOf(upper(f));
            checkDistinct(f, function);
            if (function == AggregateFunction.AVG) {
                int sum = addHidden(new Function("SUM", f.getParameters().toArray(new Expression[0])), true);
                int count = addHidden(new Function("COUNT", f.getParameters().toArray(new Expression[0])), true);
                aggregates.add(new AggregateAt(sum, function, count));
                return sum;
            }
            int index = addHidden(e, true);
            aggregates.add(new AggregateAt(index, function, -1));
            return index;
        }
        if (grouped && contains(e, false)) {
            throw RoutingException.unsupported("ORDER BY expression " + e + " over an aggregate across shards");
        }
        return addHidden(e, false);
    }

    /** The item an ORDER BY or GROUP BY expression names: by position, alias or identical text; -1 if none. */
    private int locate(Expression e) {
        if (e instanceof LongValue position) {
            long p = position.getValue();
            if (p < 1 || p > visible && items.stream().noneMatch(i -> isStar(i.getExpression()))) {
                throw RoutingException.syntax("Unknown column '" + p + "' in 'order clause'");
            }
            return (int) p - 1;
        }
        if (e instanceof Column c && c.getTable() == null) {
            String name = Names.unquote(c.getColumnName());
            for (int i = 0; i < visible; i++) {
                Alias alias = items.get(i).getAlias();
                if (alias != null && Names.unquote(alias.getName()).equalsIgnoreCase(name)) {
                    return i;
                }
            }
        }
        String text = e.toString();
        for (int i = 0; i < visible; i++) {
            if (items.get(i).getExpression().toString().equalsIgnoreCase(text)) {
                return i;
            }
        }
        return -1;
    }

    private int addHidden(Expression e, boolean helperAggregate) {
        hidden.add(new SelectItem<>(e));
        hiddenIsHelperAggregate.add(helperAggregate);
        return visible + hidden.size() - 1;
    }

    private record Limits(ValueSource limit, ValueSource offset) {
    }

    /** Reads LIMIT/OFFSET and rewrites them for the shards: none when merging groups, else slot 1. */
    private Limits limits(boolean grouped) {
        Limit limit = select.getLimit();
        if (limit == null || limit.getRowCount() == null || limit.isLimitAll() || limit.isLimitNull()) {
            return new Limits(null, null);
        }
        ValueSource rows = limitValue(limit.getRowCount());
        Expression offsetExpression = limit.getOffset() != null ? limit.getOffset()
                : select.getOffset() != null ? select.getOffset().getOffset() : null;
        ValueSource offset = offsetExpression == null ? null : limitValue(offsetExpression);
        select.setOffset(null);
        select.setLimit(grouped ? null
                : new Limit().withRowCount(new JdbcNamedParameter(SqlTemplate.slot(LIMIT_SLOT).substring(1))));
        changed = true;
        return new Limits(rows, offset);
    }

    private static ValueSource limitValue(Expression e) {
        if (e instanceof LongValue l) {
            return ValueSource.constant(l.getValue());
        }
        if (e instanceof JdbcNamedParameter p && p.getName().matches("v\\d+")) {
            return ValueSource.bind(Integer.parseInt(p.getName().substring(1)));
        }
        throw RoutingException.unsupported("LIMIT " + e + " across shards; use an integer or a placeholder");
    }

    private Aggregate aggregate(AggregateAt a) {
        return a.function() == AggregateFunction.AVG
                ? Aggregate.average(ref(a.index()), ref(a.countIndex()))
                : Aggregate.of(ref(a.index()), a.function());
    }

    /**
     * The merge's reference to item {@code index} (hidden items follow the visible ones). A {@code *} has a width
     * only the result knows, so items after one are counted from the end.
     */
    private ColumnRef ref(int index) {
        int total = visible + hidden.size();
        boolean starBefore = false;
        boolean starAfter = false;
        for (int i = 0; i < visible; i++) {
            if (isStar(items.get(i).getExpression())) {
                starBefore |= i < index;
                starAfter |= i > index;
            }
        }
        if (!starBefore) {
            return ColumnRef.at(index);
        }
        if (!starAfter) {
            return ColumnRef.fromEnd(total - index);
        }
        throw RoutingException.unsupported("ORDER BY a column between two * selections across shards");
    }

    private static boolean isStar(Expression e) {
        return e instanceof AllColumns; // AllTableColumns (t.*) extends AllColumns
    }

    private static String upper(Function f) {
        return f.getName().toUpperCase(Locale.ROOT);
    }

    private static boolean argumentsContainAggregate(Function f) {
        return f.getParameters() != null && f.getParameters().stream().anyMatch(p -> contains(p, false));
    }

    /** Whether an expression holds an aggregate (or, with {@code window}, a window function) outside subqueries. */
    static boolean contains(Expression expression, boolean window) {
        boolean[] found = {false};
        expression.accept(new ExpressionVisitorAdapter<Void>() {
            @Override
            public <S> Void visit(Function function, S context) {
                if (!window && AGGREGATES.contains(upper(function))) {
                    found[0] = true;
                }
                return super.visit(function, context);
            }

            @Override
            public <S> Void visit(MySQLGroupConcat groupConcat, S context) {
                found[0] |= !window;
                return null;
            }

            @Override
            public <S> Void visit(JsonAggregateFunction aggregate, S context) {
                found[0] |= !window;
                return null;
            }

            @Override
            public <S> Void visit(AnalyticExpression analytic, S context) {
                found[0] = true;
                return null;
            }
        }, null);
        return found[0];
    }
}
