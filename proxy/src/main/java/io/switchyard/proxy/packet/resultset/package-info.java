/**
 * Result sets: column count, column definitions, text rows, binary rows with their value codec, and
 * {@link io.switchyard.proxy.packet.resultset.TextResultSet} for the result sets the gateway produces itself.
 * Single-shard results are relayed without decoding; these are for gateway-made and merged results.
 */
package io.switchyard.proxy.packet.resultset;
