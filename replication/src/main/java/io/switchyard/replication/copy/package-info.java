/**
 * The copy phase of a workflow: one table at a time, from a consistent snapshot of a source MariaDB server, to one or
 * more target shards, resumable and exactly-once.
 *
 * <p>{@link io.switchyard.replication.copy.TableCopier} does the work; {@link io.switchyard.replication.copy.TargetSchema}
 * creates the target tables beforehand (optionally without secondary keys, added after the copy). Progress is kept in
 * {@code _switchyard.copy_state} on every target, committed in the same transaction as the rows it covers, so a crash
 * between batches never loses or duplicates a row.
 *
 * <p>Threading: all calls block on JDBC. Run them on an injected executor, never on a Netty event loop. A
 * {@link io.switchyard.replication.copy.TableCopier} holds no per-copy state and may run several copies at once.
 */
package io.switchyard.replication.copy;
