package io.switchyard.config;

/** The role of a table in a vschema. */
public enum TableType {
    /** An ordinary table, routed by its column vindexes in a sharded keyspace. */
    NORMAL,
    /** A one-row table that hands out blocks of auto-increment values; lives in an unsharded keyspace. */
    SEQUENCE
}
