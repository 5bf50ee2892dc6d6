package io.switchyard.replication.verify;

/**
 * One row read by a {@link ShardCursor}.
 *
 * @param values   every column's value, in {@link DiffTable#columns()} order
 * @param ordering the key's ordering values, in key order (compared by {@link KeyOrder})
 * @param shard    the index of the shard it came from, among its side's shards
 */
record Row(Object[] values, Object[] ordering, int shard) {
}
