/**
 * Binlog streaming: {@link io.switchyard.replication.binlog.BinlogStream} reads a MariaDB (or MySQL) source's binlog
 * from a GTID position with mysql-binlog-connector-java and delivers the row changes of watched tables as immutable
 * {@link io.switchyard.replication.binlog.Transaction}s, each carrying the source position after it, plus
 * {@link io.switchyard.replication.binlog.Ddl} and {@link io.switchyard.replication.binlog.Heartbeat} events, all on
 * one stream thread. Failures stop the stream; nothing is skipped.
 */
package io.switchyard.replication.binlog;
