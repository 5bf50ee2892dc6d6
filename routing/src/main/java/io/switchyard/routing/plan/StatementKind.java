package io.switchyard.routing.plan;

/** What a statement does, as far as the executor needs to know: rows back, rows changed, schema, or session state. */
public enum StatementKind {
    SELECT,
    /** INSERT and REPLACE. */
    INSERT,
    UPDATE,
    DELETE,
    /** CREATE, ALTER, DROP, TRUNCATE and RENAME of tables, views, indexes and routines. */
    DDL,
    /** {@code ALTER VSCHEMA ...}: a change to the gateway's own routing metadata, never sent to a backend. */
    ALTER_VSCHEMA,
    /** {@code SET ...}: session variables, which the executor tracks and replays on backend connections. */
    SET,
    /** {@code USE ks}: the executor changes the session keyspace. */
    USE,
    /** {@code BEGIN}, {@code START TRANSACTION}, {@code COMMIT}, {@code ROLLBACK}, savepoints. */
    TRANSACTION,
    /** {@code LOCK TABLES} and {@code UNLOCK TABLES}. */
    LOCK,
    /** {@code SHOW}, {@code DESCRIBE}, {@code EXPLAIN}. */
    SHOW,
    /** Anything else ({@code CALL}, {@code DO}, {@code FLUSH}, ...): runs on the session keyspace's first shard. */
    OTHER
}
