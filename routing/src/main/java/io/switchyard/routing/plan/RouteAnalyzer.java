package io.switchyard.routing.plan;

import io.switchyard.routing.plan.Routing.ValueSource;
import io.switchyard.routing.plan.TableResolver.Resolved;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Predicate;
import net.sf.jsqlparser.expression.Expression;
import net.sf.jsqlparser.expression.JdbcNamedParameter;
import net.sf.jsqlparser.expression.LongValue;
import net.sf.jsqlparser.expression.NullValue;
import net.sf.jsqlparser.expression.Parenthesis;
import net.sf.jsqlparser.expression.StringValue;
import net.sf.jsqlparser.expression.operators.conditional.AndExpression;
import net.sf.jsqlparser.expression.operators.conditional.OrExpression;
import net.sf.jsqlparser.expression.operators.relational.EqualsTo;
import net.sf.jsqlparser.expression.operators.relational.ExpressionList;
import net.sf.jsqlparser.expression.operators.relational.InExpression;
import net.sf.jsqlparser.expression.operators.relational.ParenthesedExpressionList;
import net.sf.jsqlparser.schema.Column;
import net.sf.jsqlparser.schema.Table;
import net.sf.jsqlparser.statement.select.Join;
import net.sf.jsqlparser.statement.select.ParenthesedSelect;
import net.sf.jsqlparser.statement.select.PlainSelect;

/**
 * Decides how the tables of one sharded keyspace in a statement are routed.
 *
 * <p>Tables joined by equality on their primary vindex columns (same vindex type) form a component whose rows with
 * equal values live on the same shard, so each shard can join them locally: equalities in WHERE and in any join's ON,
 * USING, correlated subqueries ({@code o.customer_id = c.customer_id}) and {@code c.col IN (SELECT o.col ...)} all
 * connect. A component is routed by a vindex predicate ({@code col = v}, {@code col IN (...)}, ORs of them) that
 * restricts its rows: a WHERE conjunct or an inner join's ON conjunct in the outermost block holding the component
 * (a predicate inside a subquery does not restrict the outer rows). One component may scatter; several components
 * are only correct when all land on one shard, which {@link Routing.Together} checks at bind time.
 */
final class RouteAnalyzer {

    /** One SELECT block (or the single-table scope of an UPDATE or DELETE). */
    static final class Scope {
        final PlainSelect select;
        final Expression where;
        final List<Join> joins;
        final int depth;
        final boolean derived;
        final List<Ref> refs = new ArrayList<>();

        Scope(PlainSelect select, Expression where, List<Join> joins, int depth, boolean derived) {
            this.select = select;
            this.where = where;
            this.joins = joins == null ? List.of() : joins;
            this.depth = depth;
            this.derived = derived;
        }
    }

    /** A reference to a sharded table within a scope. */
    static final class Ref {
        final Table node;
        final Resolved table;
        final Scope scope;
        final int id;

        Ref(Table node, Resolved table, Scope scope, int id) {
            this.node = node;
            this.table = table;
            this.scope = scope;
            this.id = id;
        }

        String vindexColumn() {
            return table.primaryVindex().column();
        }

        /** Whether a column qualifier names this reference: its alias if it has one, else its table name. */
        boolean answersTo(String schema, String name) {
            String alias = Names.alias(node);
            if (alias != null) {
                return schema == null && alias.equals(name);
            }
            return table.table().equals(name) && (schema == null || schema.equals(Names.qualifier(node))
                    || schema.equals(table.keyspace().name()));
        }
    }

    /**
     * The outcome.
     *
     * @param inSlot the IN expression whose list the template turns into slot 0, or {@code null}
     * @param multiShardRefusal why the statement cannot run on several shards even as one component, or
     *     {@code null}
     * @param topVindexColumn whether a column of the outermost block is the vindex column of a routed table, never
     *     NULL-extended by an outer join
     */
    record Result(Routing routing, InExpression inSlot, String multiShardRefusal, Predicate<Column> topVindexColumn) {
    }

    private record Candidate(Ref ref, List<ValueSource> values, InExpression in, int rank, Scope scope) {
    }

    private final List<Scope> scopes;
    private final List<Ref> refs = new ArrayList<>();
    private final Map<PlainSelect, Scope> bySelect = new IdentityHashMap<>();
    private final int[] parent;
    private final List<Candidate> candidates = new ArrayList<>();

    private RouteAnalyzer(List<Scope> scopes) {
        this.scopes = scopes;
        for (Scope scope : scopes) {
            refs.addAll(scope.refs);
            if (scope.select != null) {
                bySelect.put(scope.select, scope);
            }
        }
        parent = new int[refs.size()];
        for (int i = 0; i < parent.length; i++) {
            parent[i] = i;
        }
    }

    /** Routes scopes whose refs (numbered 0..n-1 across scopes) are all in one sharded keyspace. */
    static Result analyze(List<Scope> scopes) {
        return new RouteAnalyzer(scopes).run();
    }

    private Result run() {
        for (Scope scope : scopes) {
            List<Expression> restricting = conjuncts(scope.where);
            List<Expression> connecting = new ArrayList<>(restricting);
            for (Join join : scope.joins) {
                List<Expression> on = new ArrayList<>();
                join.getOnExpressions().forEach(e -> on.addAll(conjuncts(e)));
                connecting.addAll(on);
                if (!(join.isLeft() || join.isRight() || join.isFull() || join.isOuter() || join.isNatural())) {
                    restricting.addAll(on);
                }
                using(scope, join);
            }
            connecting.forEach(e -> connect(e, scope));
            for (Expression e : restricting) {
                Candidate candidate = candidate(e, scope);
                if (candidate != null) {
                    candidates.add(candidate);
                }
            }
        }
        Map<Integer, List<Ref>> components = new LinkedHashMap<>();
        refs.forEach(r -> components.computeIfAbsent(find(r.id), k -> new ArrayList<>()).add(r));
        List<Routing> routings = new ArrayList<>();
        InExpression slot = null;
        for (List<Ref> component : components.values()) {
            int depth = component.stream().mapToInt(r -> r.scope.depth).min().orElseThrow();
            int root = find(component.get(0).id);
            Optional<Candidate> best = candidates.stream()
                    .filter(c -> find(c.ref().id) == root && c.scope().depth == depth)
                    .min(Comparator.comparingInt(Candidate::rank));
            KeyspaceSchema keyspace = component.get(0).table.keyspace();
            if (best.isEmpty()) {
                routings.add(new Routing.Scatter(keyspace));
                continue;
            }
            Candidate chosen = best.get();
            boolean inSlot = chosen.in() != null && components.size() == 1 && depth == 0;
            slot = inSlot ? chosen.in() : slot;
            routings.add(new Routing.ByVindex(keyspace, chosen.ref().table.vindexType(), chosen.values(), inSlot));
        }
        Scope top = scopes.get(0);
        List<Ref> nullable = nullable(top);
        Predicate<Column> topVindex = column -> {
            Ref ref = resolve(column, top);
            return ref != null && !nullable.contains(ref);
        };
        if (routings.size() == 1) {
            return new Result(routings.get(0), slot, derivedRefusal(), topVindex);
        }
        return new Result(new Routing.Together(routings, togetherRefusal(components)), null, null, topVindex);
    }

    /**
     * The refs of a block whose columns an outer join can make NULL: a NULL vindex value is not tied to one shard,
     * so grouping by such a column does not keep groups on one shard. RIGHT and FULL joins make any side nullable.
     */
    private static List<Ref> nullable(Scope scope) {
        if (scope.joins.stream().anyMatch(j -> j.isRight() || j.isFull())) {
            return scope.refs;
        }
        List<Ref> nullable = new ArrayList<>();
        for (Join join : scope.joins) {
            if (join.isLeft() || join.isOuter()) {
                scope.refs.stream().filter(r -> r.node == join.getRightItem()).forEach(nullable::add);
            }
        }
        return nullable;
    }

    private String derivedRefusal() {
        return refs.stream().filter(r -> r.scope.derived).findFirst()
                .map(r -> "unsupported: derived table or WITH query on " + r.table.qualified() + " across shards;"
                        + " restrict it to one shard with its vindex column " + r.vindexColumn())
                .orElse(null);
    }

    private String togetherRefusal(Map<Integer, List<Ref>> components) {
        for (List<Ref> component : components.values()) {
            if (component.stream().allMatch(r -> r.scope.depth > 0)) {
                Ref ref = component.get(0);
                return "unsupported: subquery on " + ref.table.qualified() + " spans shards; correlate it on its"
                        + " vindex column " + ref.vindexColumn() + " or restrict it and the outer query to one shard";
            }
        }
        List<List<Ref>> list = new ArrayList<>(components.values());
        return "unsupported: cross-shard join: " + list.get(0).get(0).table.qualified() + " and "
                + list.get(1).get(0).table.qualified() + " are not joined on their vindex columns and not restricted"
                + " to one shard by equal vindex values";
    }

    /** Unions the refs an equality on vindex columns connects. */
    private void connect(Expression expression, Scope scope) {
        Expression e = unwrap(expression);
        if (e instanceof EqualsTo eq && unwrap(eq.getLeftExpression()) instanceof Column left
                && unwrap(eq.getRightExpression()) instanceof Column right) {
            union(resolve(left, scope), resolve(right, scope));
        } else if (e instanceof InExpression in && !in.isNot() && unwrap(in.getLeftExpression()) instanceof Column left
                && in.getRightExpression() instanceof ParenthesedSelect sub
                && sub.getSelect() instanceof PlainSelect inner && inner.getSelectItems().size() == 1
                && inner.getSelectItems().get(0).getExpression() instanceof Column selected
                && bySelect.containsKey(inner)) {
            union(resolve(left, scope), resolve(selected, bySelect.get(inner)));
        }
    }

    /** {@code JOIN t USING (col)}: connects t with the one earlier table whose vindex column is col. */
    private void using(Scope scope, Join join) {
        if (join.getUsingColumns() == null || !(join.getRightItem() instanceof Table right)) {
            return;
        }
        Ref rightRef = scope.refs.stream().filter(r -> r.node == right).findFirst().orElse(null);
        for (Column column : join.getUsingColumns()) {
            String name = Names.unquote(column.getColumnName());
            List<Ref> left = scope.refs.stream().filter(r -> r != rightRef && r.vindexColumn().equalsIgnoreCase(name))
                    .toList();
            if (rightRef != null && rightRef.vindexColumn().equalsIgnoreCase(name) && left.size() == 1) {
                union(left.get(0), rightRef);
            }
        }
    }

    private Candidate candidate(Expression expression, Scope scope) {
        Expression e = unwrap(expression);
        if (e instanceof EqualsTo eq) {
            Candidate c = equality(eq.getLeftExpression(), eq.getRightExpression(), scope);
            return c != null ? c : equality(eq.getRightExpression(), eq.getLeftExpression(), scope);
        }
        if (e instanceof InExpression in && !in.isNot() && unwrap(in.getLeftExpression()) instanceof Column column
                && in.getRightExpression() instanceof ExpressionList<?> list && !list.isEmpty()) {
            Ref ref = resolve(column, scope);
            List<ValueSource> values = new ArrayList<>();
            for (Expression item : list) {
                ValueSource value = value(item);
                if (value == null) {
                    return null;
                }
                values.add(value);
            }
            boolean splittable = values.stream().allMatch(v -> v.bind() >= 0);
            return ref == null ? null : new Candidate(ref, values, splittable ? in : null, 1, scope);
        }
        if (e instanceof OrExpression) {
            List<ValueSource> values = new ArrayList<>();
            Ref ref = null;
            for (Expression disjunct : disjuncts(e)) {
                Candidate c = candidate(disjunct, scope);
                if (c == null || ref != null && c.ref() != ref) {
                    return null;
                }
                ref = c.ref();
                values.addAll(c.values());
            }
            return new Candidate(ref, values, null, 2, scope);
        }
        return null;
    }

    private Candidate equality(Expression side, Expression other, Scope scope) {
        if (!(unwrap(side) instanceof Column column)) {
            return null;
        }
        Ref ref = resolve(column, scope);
        ValueSource value = value(unwrap(other));
        return ref == null || value == null ? null : new Candidate(ref, List.of(value), null, 0, scope);
    }

    /** A literal or bind variable usable as a vindex value, or {@code null}. */
    private static ValueSource value(Expression e) {
        if (e instanceof JdbcNamedParameter p && p.getName().matches("v\\d+")) {
            return ValueSource.bind(Integer.parseInt(p.getName().substring(1)));
        }
        if (e instanceof NullValue) {
            return ValueSource.constant(null);
        }
        if (e instanceof LongValue l) {
            return ValueSource.constant(SqlLiterals.number(l.getStringValue()));
        }
        if (e instanceof StringValue s) {
            return ValueSource.constant(s.getValue());
        }
        return null;
    }

    /**
     * The ref whose primary vindex column a column is, or {@code null}. Qualified columns look in the scope, then
     * in the nearest enclosing scope that has the qualifier (a correlated reference). Unqualified columns belong to
     * the scope's only table, or to its only table with a vindex column of that name (two would be ambiguous in
     * MySQL too).
     */
    private Ref resolve(Column column, Scope scope) {
        String name = Names.unquote(column.getColumnName());
        Table qualifierTable = column.getTable();
        String qualifier = qualifierTable == null ? null : Names.name(qualifierTable);
        Ref found;
        if (qualifier == null) {
            List<Ref> matching = scope.refs.stream().filter(r -> r.vindexColumn().equalsIgnoreCase(name)).toList();
            return matching.size() == 1 ? matching.get(0) : null;
        }
        String schema = Names.qualifier(qualifierTable);
        found = scope.refs.stream().filter(r -> r.answersTo(schema, qualifier)).findFirst().orElse(null);
        if (found == null) {
            List<Ref> outer = refs.stream().filter(r -> r.scope.depth < scope.depth && r.answersTo(schema, qualifier))
                    .toList();
            int nearest = outer.stream().mapToInt(r -> r.scope.depth).max().orElse(-1);
            List<Ref> candidatesAtNearest = outer.stream().filter(r -> r.scope.depth == nearest).toList();
            found = candidatesAtNearest.size() == 1 ? candidatesAtNearest.get(0) : null;
        }
        return found != null && found.vindexColumn().equalsIgnoreCase(name) ? found : null;
    }

    private void union(Ref a, Ref b) {
        if (a == null || b == null || a == b || !a.table.vindexType().equals(b.table.vindexType())) {
            return;
        }
        parent[find(a.id)] = find(b.id);
    }

    private int find(int id) {
        while (parent[id] != id) {
            parent[id] = parent[parent[id]];
            id = parent[id];
        }
        return id;
    }

    /** The AND-ed parts of a condition, parentheses removed; empty for none. */
    static List<Expression> conjuncts(Expression expression) {
        List<Expression> parts = new ArrayList<>();
        collect(expression, parts, AndExpression.class);
        return parts;
    }

    private static List<Expression> disjuncts(Expression expression) {
        List<Expression> parts = new ArrayList<>();
        collect(expression, parts, OrExpression.class);
        return parts;
    }

    private static void collect(Expression expression, List<Expression> parts,
                                Class<? extends net.sf.jsqlparser.expression.BinaryExpression> operator) {
        Expression e = unwrap(expression);
        if (e == null) {
            return;
        }
        if (operator.isInstance(e)) {
            var binary = (net.sf.jsqlparser.expression.BinaryExpression) e;
            collect(binary.getLeftExpression(), parts, operator);
            collect(binary.getRightExpression(), parts, operator);
        } else {
            parts.add(e);
        }
    }

    /** The expression inside any number of parentheses. */
    @SuppressWarnings("deprecation")
    static Expression unwrap(Expression expression) {
        Expression e = expression;
        while (true) {
            if (e instanceof ParenthesedExpressionList<?> list && list.size() == 1) {
                e = list.get(0);
            } else if (e instanceof Parenthesis p) {
                e = p.getExpression();
            } else {
                return e;
            }
        }
    }
}
