package io.switchyard.replication.verify;

import java.sql.SQLException;
import java.util.Comparator;
import java.util.List;
import java.util.PriorityQueue;

/**
 * The rows of several shards of one side as one stream in key order: a k-way merge over each shard's next row. A key
 * present on two shards (a row on the wrong shard as well as the right one) comes out twice in a row, lower shard
 * index first, so the comparison reports the second copy as an extra row.
 */
final class MergedStream {
    private final PriorityQueue<ShardCursor> heads;

    MergedStream(List<ShardCursor> shards) throws SQLException {
        Comparator<ShardCursor> byHead = (a, b) -> {
            try {
                int c = KeyOrder.INSTANCE.compare(a.peek().ordering(), b.peek().ordering());
                return c != 0 ? c : Integer.compare(a.peek().shard(), b.peek().shard());
            } catch (SQLException e) {
                throw new IllegalStateException("a head row is always fetched before the cursor is queued", e);
            }
        };
        heads = new PriorityQueue<>(Math.max(1, shards.size()), byHead);
        for (ShardCursor shard : shards) {
            if (shard.peek() != null) {
                heads.add(shard);
            }
        }
    }

    /** The next row in key order, or {@code null} when every shard is exhausted. */
    Row next() throws SQLException {
        ShardCursor shard = heads.poll();
        if (shard == null) {
            return null;
        }
        Row row = shard.next();
        // The next peek may fetch a page; do it before re-queueing so the comparator never touches the database.
        if (shard.peek() != null) {
            heads.add(shard);
        }
        return row;
    }
}
