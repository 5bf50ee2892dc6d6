package io.switchyard.config;

/**
 * How a column value maps to a keyspace id. Both are functional, unique vindexes that need no lookup table, so a
 * row's shard is known from the value alone.
 */
public enum VindexType {
    /** Vitess's {@code hash}: 3DES of the 64-bit integer value with a zero key; integer columns only. */
    HASH,
    /** Vitess's {@code xxhash}: xxHash64 of the value's bytes; any column type. */
    XXHASH
}
