/**
 * MySQL packets as immutable records implementing {@link io.switchyard.proxy.packet.MySqlPacket}, one package per
 * protocol phase: {@code generic} (OK, ERR, EOF and response classification), {@code handshake} (connection phase
 * and authentication), {@code command} (command-phase requests and prepared statements) and {@code resultset}
 * (column definitions and text and binary rows).
 *
 * <p>Each record has a {@code static read(PacketReader, long capabilities)} (plus context where the wire needs it:
 * a column count, the columns, a statement's parameter count) and {@code length}/{@code write}; {@code encode} and
 * {@code toPacket} build a payload of exactly the computed length. Records holding byte arrays define value-based
 * {@code equals} and do not copy the arrays: treat them as immutable.
 */
package io.switchyard.proxy.packet;
