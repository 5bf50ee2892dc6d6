package io.switchyard.replication.copy;

import io.switchyard.routing.vindex.KeyRange;
import io.switchyard.routing.vindex.Vindex;

import java.util.List;
import java.util.function.Predicate;

/**
 * Chooses which target shard receives a copied row: the index into the copy's target list, or {@link #SKIP} for none
 * (a row owned by a shard outside this copy, or filtered out). Called on the copying thread, once per row.
 */
@FunctionalInterface
public interface RowRouter {
    /** The row goes to no target. */
    int SKIP = -1;

    /**
     * @param table the table being copied, to resolve column names
     * @param row   the row's values in {@link SourceTable#columns()} order, as {@link ColumnKind} reads them
     */
    int route(SourceTable table, List<Object> row);

    /** Every row to the first (usually only) target: an unsharded target. */
    static RowRouter single() {
        return (table, row) -> 0;
    }

    /** Rows matching {@code filter} to the first target, the others nowhere. */
    static RowRouter filtered(Predicate<List<Object>> filter) {
        return (table, row) -> filter.test(row) ? 0 : SKIP;
    }

    /**
     * Routes by keyspace id, as Vitess's {@code in_keyrange(column, vindex, range)} filter does: the row goes to the
     * first target whose key range contains {@code vindex.keyspaceId(value of column)}.
     *
     * @param ranges one key range per target, in target order
     */
    static RowRouter byKeyspaceId(String column, Vindex vindex, List<KeyRange> ranges) {
        List<KeyRange> copy = List.copyOf(ranges);
        return (table, row) -> {
            byte[] keyspaceId = vindex.keyspaceId(row.get(table.indexOf(column)));
            for (int i = 0; i < copy.size(); i++) {
                if (copy.get(i).contains(keyspaceId)) {
                    return i;
                }
            }
            return SKIP;
        };
    }
}
