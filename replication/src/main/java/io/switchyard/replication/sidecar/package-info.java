/**
 * The {@code _switchyard} sidecar schema on each target primary: stream positions, per-table copy progress and a
 * workflow log. Stream state lives next to the rows it describes so that one transaction commits both, which is what
 * makes copy and apply exactly-once across crashes.
 *
 * <p>Everything here takes the caller's {@link java.sql.Connection} and never commits or rolls back on its own unless
 * a method says so: the caller owns the transaction.
 */
package io.switchyard.replication.sidecar;
