/**
 * The MySQL wire protocol below the packet level: framing ({@link io.switchyard.proxy.codec.PacketFrameDecoder},
 * {@link io.switchyard.proxy.codec.PacketFrameEncoder}), the {@link io.switchyard.proxy.codec.Packet} unit, typed
 * field access ({@link io.switchyard.proxy.codec.PacketReader}, {@link io.switchyard.proxy.codec.PacketWriter}),
 * protocol constants and the errors the gateway answers with.
 *
 * <p>Conventions shared by the whole protocol layer:
 * <ul>
 *   <li><b>Ownership.</b> A {@code Packet} owns one reference to its payload and is reference-counted by
 *       delegation; whoever holds it writes it on (the encoder releases it) or releases it. Readers, writers and
 *       the {@code Responses} predicates never retain or release.</li>
 *   <li><b>Threading.</b> Decoders are per channel and run on its event loop; everything else here is stateless or
 *       immutable. No static mutable state.</li>
 *   <li><b>Errors.</b> Malformed or refused input raises {@link io.switchyard.proxy.codec.ProtocolException} with a
 *       MySQL code and SQLSTATE: answer it with an ERR (see {@code ErrPacket.of(ProtocolException)}) and, for
 *       framing errors and states starting with 08, close. Programming errors (a record built with out-of-range
 *       fields) raise {@link java.lang.IllegalArgumentException}.</li>
 *   <li><b>NULL.</b> The length-encoded NULL marker 0xFB is explicit: {@code lenencBytesOrNull} returns null,
 *       {@code lenencInt} refuses it.</li>
 * </ul>
 */
package io.switchyard.proxy.codec;
