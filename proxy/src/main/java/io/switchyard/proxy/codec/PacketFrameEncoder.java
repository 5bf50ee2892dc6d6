package io.switchyard.proxy.codec;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.channel.ChannelHandler.Sharable;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.MessageToMessageEncoder;

import java.util.List;

/**
 * Writes {@link Packet}s as wire frames: a 4-byte header (int&lt;3&gt; length, int&lt;1&gt; sequence id) per chunk.
 * A payload of 0xFFFFFF bytes or more is split into 0xFFFFFF-byte chunks with consecutive sequence ids, followed by
 * an empty chunk when its length is an exact multiple of 0xFFFFFF
 * (https://dev.mysql.com/doc/dev/mysql-server/latest/page_protocol_basic_packets.html).
 *
 * <p>Releases the packet once written, as every {@link MessageToMessageEncoder} does. Small payloads are copied
 * behind their header into one buffer; larger ones go out as header plus retained slice (no copy). Stateless and
 * {@link Sharable}.
 */
@Sharable
public final class PacketFrameEncoder extends MessageToMessageEncoder<Packet> {
    /** Payloads up to this size are copied next to their header: one small buffer beats two. */
    private static final int COPY_THRESHOLD = 2048;
    private static final int HEADER_LENGTH = 4;

    @Override
    protected void encode(ChannelHandlerContext ctx, Packet packet, List<Object> out) {
        frame(ctx.alloc(), packet.sequenceId(), packet.payload(), out);
    }

    /**
     * Adds the frames of one payload to {@code out} (buffers the caller must write or release), leaving the
     * payload's indexes and reference count unchanged.
     *
     * @return the sequence id that follows the last chunk
     */
    public static int frame(ByteBufAllocator alloc, int sequenceId, ByteBuf payload, List<Object> out) {
        int length = payload.readableBytes();
        if (length <= COPY_THRESHOLD) {
            ByteBuf frame = alloc.ioBuffer(HEADER_LENGTH + length);
            frame.writeMediumLE(length).writeByte(sequenceId);
            frame.writeBytes(payload, payload.readerIndex(), length);
            out.add(frame);
            return (sequenceId + 1) & 0xFF;
        }
        int seq = sequenceId;
        int offset = payload.readerIndex();
        int left = length;
        do {
            int chunk = Math.min(left, Packet.MAX_CHUNK_LENGTH);
            out.add(alloc.ioBuffer(HEADER_LENGTH).writeMediumLE(chunk).writeByte(seq));
            if (chunk > 0) {
                out.add(payload.retainedSlice(offset, chunk));
            }
            offset += chunk;
            left -= chunk;
            seq = (seq + 1) & 0xFF;
            if (chunk < Packet.MAX_CHUNK_LENGTH) {
                return seq;
            }
        } while (true);
    }

    /**
     * The frames of one payload copied into a single new buffer; the payload's indexes and reference count are left
     * unchanged. For tests and for callers outside a pipeline.
     */
    public static ByteBuf frameCopy(ByteBufAllocator alloc, int sequenceId, ByteBuf payload) {
        int length = payload.readableBytes();
        int chunks = length / Packet.MAX_CHUNK_LENGTH + 1;
        ByteBuf frames = alloc.buffer(length + chunks * HEADER_LENGTH);
        int offset = payload.readerIndex();
        int seq = sequenceId;
        for (int i = 0; i < chunks; i++) {
            int chunk = Math.min(length - (offset - payload.readerIndex()), Packet.MAX_CHUNK_LENGTH);
            frames.writeMediumLE(chunk).writeByte(seq);
            frames.writeBytes(payload, offset, chunk);
            offset += chunk;
            seq = (seq + 1) & 0xFF;
        }
        return frames;
    }
}
