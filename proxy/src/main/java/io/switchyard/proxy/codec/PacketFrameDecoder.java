package io.switchyard.proxy.codec;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.CompositeByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.ByteToMessageDecoder;

import java.util.List;

/**
 * Turns the byte stream of a MySQL connection into {@link Packet}s: reads the 4-byte headers (int&lt;3&gt; payload
 * length, int&lt;1&gt; sequence id) and joins a payload that was split into 0xFFFFFF-byte chunks (a chunk of exactly
 * 0xFFFFFF bytes means another one follows; the last chunk may be empty), see
 * https://dev.mysql.com/doc/dev/mysql-server/latest/page_protocol_basic_packets.html.
 *
 * <p>Checks: the chunks of one payload must carry consecutive sequence ids (else ER_NET_PACKETS_OUT_OF_ORDER), and
 * the joined payload may not exceed the limit given to the constructor (else ER_NET_PACKET_TOO_LARGE, raised at the
 * header, before the oversized chunk is buffered). Sequence ids across packets are the session's business. After a
 * {@link ProtocolException} the decoder discards all further input: the session should answer ERR and close.
 *
 * <p>A payload that fits in one chunk is a retained slice of the cumulation buffer (no copy); a split one is a
 * {@link CompositeByteBuf} of such slices. Not sharable: one instance per channel.
 */
public final class PacketFrameDecoder extends ByteToMessageDecoder {
    private static final int HEADER_LENGTH = 4;

    private enum State {
        READ_HEADER,
        READ_CHUNK,
        BAD_MESSAGE
    }

    private final int maxPayloadLength;
    private State state = State.READ_HEADER;
    /** Length of the chunk whose header was read last. */
    private int chunkLength;
    /** Sequence id of the first chunk of the payload being read. */
    private int firstSequenceId;
    /** Sequence id the next chunk of a split payload must carry. */
    private int nextSequenceId;
    /** The chunks read so far of a split payload; null unless one is being joined. */
    private CompositeByteBuf joined;

    /**
     * @param maxPayloadLength the largest payload accepted, in bytes (the server's {@code max_allowed_packet})
     */
    public PacketFrameDecoder(int maxPayloadLength) {
        if (maxPayloadLength <= 0) {
            throw new IllegalArgumentException("maxPayloadLength must be positive, was " + maxPayloadLength);
        }
        this.maxPayloadLength = maxPayloadLength;
    }

    public int maxPayloadLength() {
        return maxPayloadLength;
    }

    @Override
    protected void decode(ChannelHandlerContext ctx, ByteBuf in, List<Object> out) {
        try {
            while (true) {
                switch (state) {
                    case READ_HEADER:
                        if (!readHeader(in)) {
                            return;
                        }
                        state = State.READ_CHUNK;
                        break;
                    case READ_CHUNK:
                        if (in.readableBytes() < chunkLength) {
                            return;
                        }
                        state = State.READ_HEADER;
                        Packet packet = readChunk(ctx, in);
                        if (packet != null) {
                            out.add(packet);
                        }
                        break;
                    case BAD_MESSAGE:
                        in.skipBytes(in.readableBytes());
                        return;
                    default:
                        throw new IllegalStateException("unknown state " + state);
                }
            }
        } catch (ProtocolException e) {
            state = State.BAD_MESSAGE;
            releaseJoined();
            in.skipBytes(in.readableBytes());
            throw e;
        }
    }

    private boolean readHeader(ByteBuf in) {
        if (in.readableBytes() < HEADER_LENGTH) {
            return false;
        }
        int length = in.readUnsignedMediumLE();
        int sequenceId = in.readUnsignedByte();
        int sofar = joined == null ? 0 : joined.readableBytes();
        if (joined == null) {
            firstSequenceId = sequenceId;
        } else if (sequenceId != nextSequenceId) {
            throw MySqlError.ER_NET_PACKETS_OUT_OF_ORDER.exception();
        }
        if ((long) sofar + length > maxPayloadLength) {
            throw MySqlError.ER_NET_PACKET_TOO_LARGE.exception();
        }
        nextSequenceId = (sequenceId + 1) & 0xFF;
        chunkLength = length;
        return true;
    }

    /** Consumes the current chunk; returns the packet if it was the last chunk of its payload, else null. */
    private Packet readChunk(ChannelHandlerContext ctx, ByteBuf in) {
        if (chunkLength == Packet.MAX_CHUNK_LENGTH) {
            if (joined == null) {
                joined = ctx.alloc().compositeBuffer(maxPayloadLength / Packet.MAX_CHUNK_LENGTH + 1);
            }
            joined.addComponent(true, in.readRetainedSlice(chunkLength));
            return null;
        }
        if (joined == null) {
            return new Packet(firstSequenceId, in.readRetainedSlice(chunkLength));
        }
        CompositeByteBuf payload = joined;
        joined = null;
        if (chunkLength > 0) {
            payload.addComponent(true, in.readRetainedSlice(chunkLength));
        }
        return new Packet(firstSequenceId, payload);
    }

    private void releaseJoined() {
        if (joined != null) {
            joined.release();
            joined = null;
        }
    }

    @Override
    protected void handlerRemoved0(ChannelHandlerContext ctx) {
        releaseJoined();
    }
}
