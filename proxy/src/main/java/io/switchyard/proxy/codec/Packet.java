package io.switchyard.proxy.codec;

import io.netty.buffer.ByteBuf;
import io.netty.util.ReferenceCounted;

import java.util.Objects;

/**
 * One logical MySQL packet: the sequence id of its first chunk and its whole payload, already joined if it was split
 * into 0xFFFFFF-byte chunks on the wire (see
 * https://dev.mysql.com/doc/dev/mysql-server/latest/page_protocol_basic_packets.html).
 *
 * <p><b>Ownership:</b> a packet owns one reference to its payload and is itself {@link ReferenceCounted} by
 * delegation, so Netty's usual rules apply: whoever receives a packet from {@link PacketFrameDecoder} must either
 * pass it on (e.g. write it to {@link PacketFrameEncoder}, which releases it) or {@link #release()} it.
 * {@code SimpleChannelInboundHandler} and {@code ReferenceCountUtil.release} work on it as on a {@code ByteBuf}.
 *
 * <p>A payload of n bytes occupies {@code n / 0xFFFFFF + 1} chunks and as many sequence ids, which is why
 * {@link #lastSequenceId()} and {@link #nextSequenceId()} exist: the next packet of the exchange must use the latter.
 */
public record Packet(int sequenceId, ByteBuf payload) implements ReferenceCounted {
    /** The largest chunk; a chunk of exactly this length means another chunk of the same payload follows. */
    public static final int MAX_CHUNK_LENGTH = 0xFFFFFF;

    public Packet {
        Objects.requireNonNull(payload, "payload");
        if (sequenceId < 0 || sequenceId > 0xFF) {
            throw new IllegalArgumentException("sequence id must be 0..255, was " + sequenceId);
        }
    }

    /** Payload length in bytes, not counting headers. */
    public int length() {
        return payload.readableBytes();
    }

    /** Number of wire chunks: a payload that is a multiple of 0xFFFFFF long ends with an empty chunk. */
    public int chunkCount() {
        return length() / MAX_CHUNK_LENGTH + 1;
    }

    /** The sequence id of the last chunk. */
    public int lastSequenceId() {
        return (sequenceId + chunkCount() - 1) & 0xFF;
    }

    /** The sequence id the next packet of the same exchange must carry. */
    public int nextSequenceId() {
        return (sequenceId + chunkCount()) & 0xFF;
    }

    /** The first payload byte, unsigned (the packet type of most responses), or -1 if the payload is empty. */
    public int header() {
        return payload.isReadable() ? payload.getUnsignedByte(payload.readerIndex()) : -1;
    }

    /** A reader over a duplicate of the payload: reading does not move this packet's indexes or retain it. */
    public PacketReader reader() {
        return new PacketReader(payload.duplicate());
    }

    @Override
    public int refCnt() {
        return payload.refCnt();
    }

    @Override
    public Packet retain() {
        payload.retain();
        return this;
    }

    @Override
    public Packet retain(int increment) {
        payload.retain(increment);
        return this;
    }

    @Override
    public Packet touch() {
        payload.touch();
        return this;
    }

    @Override
    public Packet touch(Object hint) {
        payload.touch(hint);
        return this;
    }

    @Override
    public boolean release() {
        return payload.release();
    }

    @Override
    public boolean release(int decrement) {
        return payload.release(decrement);
    }

    @Override
    public String toString() {
        return "Packet[seq=" + sequenceId + ", length=" + length() + ", header=0x"
                + Integer.toHexString(header() & 0xFF) + "]";
    }
}
