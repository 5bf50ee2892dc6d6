/**
 * Continuous replication's target side: {@link io.switchyard.replication.apply.RowApplier} applies the row changes a
 * {@link io.switchyard.replication.binlog.BinlogStream} delivers to one target shard, grouping source transactions
 * per target commit, and commits the stream's position ({@link io.switchyard.replication.apply.StreamPosition}) in
 * the same transaction as the rows, which makes apply exactly-once across crashes.
 *
 * <p>Threading: blocking JDBC on the binlog stream's own thread, never on a Netty event loop.
 */
package io.switchyard.replication.apply;
