package io.switchyard.routing.plan;

/**
 * A value bound to a statement's bind variable: what a vindex maps ({@code value}) and what the SQL sent to a shard
 * says ({@code sql}). For a literal of the original statement {@code sql} is its original text, so the statement
 * reaches the shard as the client wrote it.
 *
 * @param value {@code null} for SQL NULL, else {@link Long}, {@link java.math.BigInteger},
 *     {@link java.math.BigDecimal}, {@link Double}, {@link String} or {@code byte[]}
 */
record BoundValue(Object value, String sql) {

    static final BoundValue NULL = new BoundValue(null, "NULL");
}
