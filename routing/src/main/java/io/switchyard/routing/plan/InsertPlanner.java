package io.switchyard.routing.plan;

import io.switchyard.config.AutoIncrement;
import io.switchyard.routing.plan.TableResolver.Resolved;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import net.sf.jsqlparser.expression.Expression;
import net.sf.jsqlparser.expression.operators.relational.ExpressionList;
import net.sf.jsqlparser.expression.operators.relational.ParenthesedExpressionList;
import net.sf.jsqlparser.schema.Column;
import net.sf.jsqlparser.schema.Table;
import net.sf.jsqlparser.statement.Statement;
import net.sf.jsqlparser.statement.insert.Insert;
import net.sf.jsqlparser.statement.select.Select;
import net.sf.jsqlparser.statement.select.Values;
import net.sf.jsqlparser.statement.update.UpdateSet;
import net.sf.jsqlparser.statement.upsert.Upsert;

/**
 * Plans INSERT and REPLACE. Rows of a sharded table are placed by their primary vindex value, so each row's value
 * must be a literal (or a placeholder, or a sequence id); rows are then grouped into one statement per shard. A
 * table with an auto-increment column gets ids from its sequence for rows that leave the column out or give NULL.
 */
final class InsertPlanner {

    private InsertPlanner() {
    }

    /** The parts of an INSERT or REPLACE the planner needs, whichever JSqlParser class holds them. */
    private record Parts(Table table, List<Column> columns, List<List<Expression>> rows, Select select,
                         List<UpdateSet> onDuplicate, String verb) {
    }

    static Template compile(Statement statement, PlanContext context) {
        Parts parts = parts(statement);
        Table table = parts.table();
        Resolved resolved = context.resolver.resolve(Names.qualifier(table), Names.name(table));
        KeyspaceSchema keyspace = resolved.keyspace();
        Scopes all = Scopes.of(statement);
        List<Table> sourceTables = all.tables().stream().filter(t -> t != table).toList();
        Map<Table, Resolved> sources = context.resolveAll(sourceTables);
        List<Resolved> everything = new ArrayList<>(sourceTables.stream().map(sources::get).toList());
        everything.add(0, resolved);
        PlanContext.singleKeyspace(everything);
        List<String> names = everything.stream().map(Resolved::qualified).distinct().toList();
        boolean stripped = PlanContext.stripQualifiers(all.tables(), all.columns()) | strip(table);
        Optional<AutoIncrement> autoIncrement = resolved.schema().flatMap(TableSchema::autoIncrement);
        String name = resolved.qualified();
        if (parts.select() != null) {
            if (keyspace.sharded()) {
                throw RoutingException.unsupported("INSERT ... SELECT into sharded table " + name + "; insert the"
                        + " rows with VALUES");
            }
            return RoutedTemplate.unsharded(context.kind, keyspace,
                    stripped ? SqlTemplate.parse(statement.toString()) : context.original(), names);
        }
        if (parts.columns() == null) {
            if (keyspace.sharded()) {
                throw RoutingException.routing("INSERT into sharded table " + name + " must list its columns, so the"
                        + " gateway can find vindex column " + resolved.primaryVindex().column());
            }
            return RoutedTemplate.unsharded(context.kind, keyspace,
                    stripped ? SqlTemplate.parse(statement.toString()) : context.original(), names);
        }
        if (!keyspace.sharded() && autoIncrement.isEmpty()) {
            return RoutedTemplate.unsharded(context.kind, keyspace,
                    stripped ? SqlTemplate.parse(statement.toString()) : context.original(), names);
        }
        return rows(parts, resolved, autoIncrement, context);
    }

    private static Template rows(Parts parts, Resolved resolved, Optional<AutoIncrement> autoIncrement,
                                 PlanContext context) {
        String name = resolved.qualified();
        List<String> columns = new ArrayList<>();
        parts.columns().forEach(c -> columns.add(c.getColumnName()));
        int vindexColumn = resolved.sharded() ? indexOf(columns, resolved.primaryVindex().column()) : -1;
        int autoColumn = autoIncrement.map(a -> indexOf(columns, a.column())).orElse(-1);
        boolean autoAdded = autoIncrement.isPresent() && autoColumn < 0;
        if (autoAdded) {
            autoColumn = columns.size();
            columns.add(autoIncrement.get().column());
        }
        if (resolved.sharded() && vindexColumn < 0) {
            if (autoAdded && autoIncrement.get().column().equalsIgnoreCase(resolved.primaryVindex().column())) {
                vindexColumn = autoColumn;
            } else {
                throw RoutingException.routing("INSERT into sharded table " + name + " must give vindex column "
                        + resolved.primaryVindex().column() + ", which places the row on its shard");
            }
        }
        for (UpdateSet set : parts.onDuplicate()) {
            for (Column column : set.getColumns()) {
                String columnName = Names.unquote(column.getColumnName());
                if (resolved.sharded() && resolved.schema().orElseThrow().isVindexColumn(columnName)) {
                    throw RoutingException.unsupported("ON DUPLICATE KEY UPDATE changes vindex column " + columnName
                            + " of " + name + "; a row cannot move to another shard");
                }
            }
        }
        List<List<SqlTemplate>> cells = new ArrayList<>();
        for (int r = 0; r < parts.rows().size(); r++) {
            List<Expression> row = parts.rows().get(r);
            if (row.size() != parts.columns().size()) {
                throw new RoutingException(RoutingException.WRONG_VALUE_COUNT, "21S01",
                        "Column count doesn't match value count at row " + (r + 1));
            }
            List<SqlTemplate> rowCells = new ArrayList<>();
            row.forEach(e -> rowCells.add(SqlTemplate.parse(e.toString())));
            if (autoAdded) {
                rowCells.add(SqlTemplate.parse("NULL"));
            }
            if (vindexColumn >= 0) {
                SqlTemplate cell = rowCells.get(vindexColumn);
                if (cell.singleBind() < 0 && !cell.isNullKeyword()) {
                    throw RoutingException.unsupported("row " + (r + 1) + " gives " + row.get(vindexColumn)
                            + " for vindex column " + columns.get(vindexColumn) + " of " + name + "; the gateway"
                            + " needs a literal value to pick the row's shard");
                }
            }
            cells.add(rowCells);
        }
        StringBuilder head = new StringBuilder(parts.verb());
        head.append(" INTO ").append(parts.table().getName()).append(" (").append(String.join(", ", columns))
                .append(") VALUES ");
        String tail = "";
        if (!parts.onDuplicate().isEmpty()) {
            StringBuilder sets = new StringBuilder(" ON DUPLICATE KEY UPDATE ");
            UpdateSet.appendUpdateSetsTo(sets, parts.onDuplicate());
            tail = sets.toString();
        }
        return new InsertTemplate(resolved, head.toString(), cells, SqlTemplate.parse(tail), vindexColumn,
                autoColumn, autoIncrement, context.vindexes);
    }

    private static Parts parts(Statement statement) {
        if (statement instanceof Upsert upsert) {
            ExpressionList<?> values = upsert.getValues() == null ? null : upsert.getValues().getExpressions();
            Select select = upsert.getValues() == null ? upsert.getSelect() : null;
            return new Parts(upsert.getTable(), columns(upsert.getColumns()), rows(values), select, List.of(),
                    "REPLACE");
        }
        Insert insert = (Insert) statement;
        StringBuilder verb = new StringBuilder("INSERT");
        if (insert.getModifierPriority() != null) {
            verb.append(' ').append(insert.getModifierPriority());
        }
        if (insert.isModifierIgnore()) {
            verb.append(" IGNORE");
        }
        List<UpdateSet> onDuplicate = insert.getDuplicateUpdateSets() == null ? List.of()
                : insert.getDuplicateUpdateSets();
        if (insert.isUseSet()) {
            List<Column> columns = new ArrayList<>();
            List<Expression> row = new ArrayList<>();
            for (UpdateSet set : insert.getSetUpdateSets()) {
                columns.addAll(set.getColumns());
                set.getValues().forEach(row::add);
            }
            return new Parts(insert.getTable(), columns, List.of(row), null, onDuplicate, verb.toString());
        }
        if (insert.getSelect() instanceof Values values) {
            return new Parts(insert.getTable(), columns(insert.getColumns()), rows(values.getExpressions()), null,
                    onDuplicate, verb.toString());
        }
        return new Parts(insert.getTable(), columns(insert.getColumns()), List.of(), insert.getSelect(),
                onDuplicate, verb.toString());
    }

    private static List<Column> columns(ExpressionList<Column> columns) {
        return columns == null || columns.isEmpty() ? null : new ArrayList<>(columns);
    }

    /**
     * VALUES rows. JSqlParser gives one row as the parenthesized list of its cells, and several rows as a plain list
     * of parenthesized rows.
     */
    private static List<List<Expression>> rows(ExpressionList<?> values) {
        List<List<Expression>> rows = new ArrayList<>();
        if (values == null) {
            return rows;
        }
        if (values instanceof ParenthesedExpressionList<?>) {
            rows.add(new ArrayList<>(values));
            return rows;
        }
        for (Expression row : values) {
            rows.add(row instanceof ExpressionList<?> cells ? new ArrayList<>(cells) : List.of(row));
        }
        return rows;
    }

    private static int indexOf(List<String> columns, String column) {
        for (int i = 0; i < columns.size(); i++) {
            if (Names.unquote(columns.get(i)).equalsIgnoreCase(column)) {
                return i;
            }
        }
        return -1;
    }

    private static boolean strip(Table table) {
        boolean had = table.getSchemaName() != null;
        table.setSchemaName(null);
        return had;
    }
}
