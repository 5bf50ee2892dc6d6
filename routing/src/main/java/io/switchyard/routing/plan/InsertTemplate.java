package io.switchyard.routing.plan;

import io.switchyard.config.AutoIncrement;
import io.switchyard.routing.merge.MergeSpec;
import io.switchyard.routing.plan.TableResolver.Resolved;
import io.switchyard.routing.vindex.Vindex;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * An INSERT's rows, kept apart so that each shard's statement holds only its rows: {@code head} ({@code INSERT INTO
 * t (cols) VALUES }), one template a cell, and {@code tail} ({@code ON DUPLICATE KEY UPDATE ...}).
 */
final class InsertTemplate implements Template {

    private final Resolved table;
    private final String head;
    private final List<List<SqlTemplate>> rows;
    private final SqlTemplate tail;
    private final int vindexColumn;
    private final int autoColumn;
    private final Optional<AutoIncrement> autoIncrement;
    private final Map<String, Vindex> vindexes;

    /**
     * @param vindexColumn the cell index of the primary vindex value, -1 when unsharded
     * @param autoColumn the cell index of the auto-increment column, -1 without one
     */
    InsertTemplate(Resolved table, String head, List<List<SqlTemplate>> rows, SqlTemplate tail, int vindexColumn,
                   int autoColumn, Optional<AutoIncrement> autoIncrement, Map<String, Vindex> vindexes) {
        this.table = table;
        this.head = head;
        this.rows = rows.stream().map(List::copyOf).toList();
        this.tail = tail;
        this.vindexColumn = vindexColumn;
        this.autoColumn = autoColumn;
        this.autoIncrement = autoIncrement;
        this.vindexes = vindexes;
    }

    @Override
    public List<Integer> routingBinds() {
        if (vindexColumn < 0) {
            return List.of();
        }
        return rows.stream().mapToInt(r -> r.get(vindexColumn).singleBind()).filter(b -> b >= 0).boxed().toList();
    }

    @Override
    public Plan bind(List<BoundValue> values) {
        boolean[] needsId = new boolean[rows.size()];
        int count = 0;
        for (int r = 0; r < rows.size() && autoColumn >= 0; r++) {
            SqlTemplate cell = rows.get(r).get(autoColumn);
            int bind = cell.singleBind();
            needsId[r] = cell.isNullKeyword() || bind >= 0 && values.get(bind).value() == null;
            count += needsId[r] ? 1 : 0;
        }
        if (count == 0) {
            return place(values, needsId, 0);
        }
        AutoIncrement auto = autoIncrement.orElseThrow();
        return new Plan.NeedsSequence(table.keyspace().name(), table.table(), auto.column(), auto.sequence(), count,
                firstId -> place(values, needsId, firstId));
    }

    /** Fills in sequence ids, then groups the rows by shard. */
    private Plan place(List<BoundValue> values, boolean[] needsId, long firstId) {
        KeyspaceSchema keyspace = table.keyspace();
        Map<String, List<String>> byShard = new LinkedHashMap<>();
        keyspace.shardNames().forEach(s -> byShard.put(s, new ArrayList<>()));
        long nextId = firstId;
        for (int r = 0; r < rows.size(); r++) {
            List<SqlTemplate> row = rows.get(r);
            List<String> cells = new ArrayList<>(row.size());
            Object vindexValue = null;
            for (int c = 0; c < row.size(); c++) {
                if (c == autoColumn && needsId[r]) {
                    long id = nextId++;
                    cells.add(Long.toString(id));
                    vindexValue = c == vindexColumn ? (Object) id : vindexValue;
                    continue;
                }
                SqlTemplate cell = row.get(c);
                cells.add(cell.render(values));
                if (c == vindexColumn) {
                    vindexValue = cell.singleBind() >= 0 ? values.get(cell.singleBind()).value() : null;
                }
            }
            String shard = keyspace.sharded() ? shardOf(vindexValue, r) : keyspace.shardNames().get(0);
            byShard.get(shard).add("(" + String.join(", ", cells) + ")");
        }
        byShard.values().removeIf(List::isEmpty);
        String suffix = tail.render(values);
        Map<String, String> sqlByShard = new LinkedHashMap<>();
        byShard.forEach((shard, rendered) -> sqlByShard.put(shard, head + String.join(", ", rendered) + suffix));
        String name = keyspace.name();
        if (!keyspace.sharded()) {
            return new Plan.Unsharded(name, keyspace.shardNames().get(0), StatementKind.INSERT,
                    sqlByShard.values().iterator().next(), List.of(table.qualified()));
        }
        if (sqlByShard.size() == 1) {
            Map.Entry<String, String> only = sqlByShard.entrySet().iterator().next();
            return new Plan.SingleShard(name, only.getKey(), StatementKind.INSERT, only.getValue(),
                    List.of(table.qualified()));
        }
        return new Plan.MultiShard(name, StatementKind.INSERT, sqlByShard, MergeSpec.CONCAT,
                List.of(table.qualified()));
    }

    private String shardOf(Object value, int row) {
        String column = table.primaryVindex().column();
        if (value == null) {
            throw RoutingException.routing("row " + (row + 1) + " of the INSERT into " + table.qualified()
                    + " has NULL for vindex column " + column + "; a row needs a value to be placed on a shard");
        }
        try {
            return table.keyspace().shardFor(vindexes.get(table.vindexType()).keyspaceId(value));
        } catch (IllegalArgumentException e) {
            throw RoutingException.routing("row " + (row + 1) + " of the INSERT into " + table.qualified()
                    + " cannot be placed by vindex column " + column + ": " + e.getMessage());
        }
    }
}
