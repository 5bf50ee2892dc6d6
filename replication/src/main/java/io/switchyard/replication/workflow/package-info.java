/**
 * The MoveTables workflow: copies tables from a source keyspace to a target keyspace table by table, with Vitess's
 * catch-up between copies, then replicates continuously; keeps routing rules pointing at the source until traffic
 * switches; persists its definition in the topology store and its stream state in {@code _switchyard} on each target,
 * so a restarted gateway resumes it ({@link io.switchyard.replication.workflow.MoveTablesWorkflow#resume}).
 *
 * <p>Threading: blocking JDBC and binlog I/O on the injected executor and stream threads, never on a Netty event loop.
 */
package io.switchyard.replication.workflow;
