/**
 * Vindexes: the functions that map a sharding-column value to a keyspace id, and the keyspace-id and key-range
 * arithmetic that turns a keyspace id into a shard. Both reproduce Vitess bit for bit, so that a keyspace sharded
 * by Vitess and one sharded by Switchyard put every row on the same shard.
 *
 * <p>A keyspace id is a byte string. A shard owns a key range {@code [start, end)}, compared as unsigned bytes,
 * where an empty start or end is unbounded ({@code -80}, {@code 80-}, {@code 40-80}); see {@link
 * io.switchyard.routing.vindex.KeyspaceIds}. The vindexes are {@link io.switchyard.routing.vindex.HashVindex}
 * ({@code hash}) and {@link io.switchyard.routing.vindex.XxhashVindex} ({@code xxhash}), created by name with
 * {@link io.switchyard.routing.vindex.Vindex#of(String)}.
 *
 * <p>Every type here is immutable or thread-confined internally; all public methods are safe to call from any
 * thread, including Netty event loops (nothing blocks).
 */
package io.switchyard.routing.vindex;
