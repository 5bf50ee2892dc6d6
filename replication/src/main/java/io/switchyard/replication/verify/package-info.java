/**
 * Data verification (Vitess's VDiff): proves that a workflow's target tables hold exactly the source's rows.
 *
 * <p>{@link io.switchyard.replication.verify.TableDiff} compares one table: every source shard and every target shard
 * is read in key order from a consistent snapshot ({@link io.switchyard.replication.verify.ConsistentSnapshot}), the
 * shards of each side are merged into one ordered stream, and the two streams are merge-compared row by row. Memory is
 * bounded by one page per shard. {@link io.switchyard.replication.verify.VerificationStore} keeps one
 * {@link io.switchyard.replication.verify.VerifyReport} per table in the topology store, so an interrupted verification
 * resumes with the tables it has not finished.
 *
 * <p>Making the snapshots comparable (stopping the streams at a position, letting the source catch up to it) is the
 * caller's job: this package compares whatever the snapshots hold.
 *
 * <p>Threading: all calls block on JDBC. Run them on an injected executor, never on a Netty event loop. A
 * {@link io.switchyard.replication.verify.TableDiff} holds no per-diff state and may run several diffs at once; the
 * connections of one diff are used by one thread.
 */
package io.switchyard.replication.verify;
