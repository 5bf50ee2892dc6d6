package io.switchyard.routing.plan;

import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Set;
import net.sf.jsqlparser.schema.Column;
import net.sf.jsqlparser.schema.Table;
import net.sf.jsqlparser.statement.Statement;
import net.sf.jsqlparser.statement.StatementVisitor;
import net.sf.jsqlparser.statement.select.PlainSelect;
import net.sf.jsqlparser.statement.select.SelectVisitor;
import net.sf.jsqlparser.statement.select.WithItem;
import net.sf.jsqlparser.util.TablesNamesFinder;

/**
 * Every table reference, SELECT block and column of a statement, found by JSqlParser's own traversal (which knows
 * every place a subquery can hide) rather than by a walker of ours. Each node is listed once, in visiting order.
 * References to WITH names are not tables and are left out.
 */
final class Scopes extends TablesNamesFinder<Void> {

    private final Set<Object> seen = Collections.newSetFromMap(new IdentityHashMap<>());
    private final List<Table> tables = new ArrayList<>();
    private final List<PlainSelect> selects = new ArrayList<>();
    private final List<Column> columns = new ArrayList<>();
    private final Set<String> withNames = new HashSet<>();

    private Scopes() {
        init(true);
    }

    static Scopes of(Statement statement) {
        Scopes scopes = new Scopes();
        statement.accept((StatementVisitor<Void>) scopes, null);
        return scopes;
    }

    /** The blocks inside one SELECT (a block, a UNION, a parenthesized select), itself included. */
    static Scopes of(net.sf.jsqlparser.statement.select.Select select) {
        Scopes scopes = new Scopes();
        select.accept((SelectVisitor<Void>) scopes, null);
        return scopes;
    }

    /** Table references, without references to WITH names and MySQL's {@code DUAL}, which are not tables. */
    List<Table> tables() {
        return tables.stream().filter(t -> t.getSchemaName() != null
                || !withNames.contains(Names.unquote(t.getName())) && !"dual".equalsIgnoreCase(t.getName())).toList();
    }

    List<PlainSelect> selects() {
        return selects;
    }

    List<Column> columns() {
        return columns;
    }

    @Override
    public <S> Void visit(Table table, S context) {
        if (table == null) {
            return null; // JSqlParser leaves the table of some incomplete statements null
        }
        if (seen.add(table)) {
            tables.add(table);
        }
        return super.visit(table, context);
    }

    @Override
    public <S> Void visit(PlainSelect select, S context) {
        if (seen.add(select)) {
            selects.add(select);
        }
        return super.visit(select, context);
    }

    @Override
    public <S> Void visit(WithItem<?> withItem, S context) {
        if (withItem.getAlias() != null) {
            withNames.add(Names.unquote(withItem.getAlias().getName()));
        }
        return super.visit(withItem, context);
    }

    @Override
    public <S> Void visit(Column column, S context) {
        if (seen.add(column)) {
            columns.add(column);
        }
        return null;
    }
}
