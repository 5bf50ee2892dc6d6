package io.switchyard.proxy.packet;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.switchyard.proxy.codec.Packet;
import io.switchyard.proxy.codec.PacketWriter;

/**
 * A decoded MySQL packet payload. Implementations are immutable records in the {@code packet.*} packages, each with
 * a {@code static read(PacketReader, ...)} and the two methods below; their Javadoc links the MySQL page.
 *
 * <p>Not sealed: the records live in per-phase packages ({@code generic}, {@code handshake}, {@code command},
 * {@code resultset}), and outside a named module Java only lets a sealed type permit classes of its own package.
 *
 * <p>The {@code capabilities} passed to read and write are the ones that govern the packet's layout: the effective
 * (intersected) flags once the handshake is done, the sender's advertised flags during the handshake.
 */
public interface MySqlPacket {
    /** The exact payload length {@link #write} produces, summed field by field before anything is written. */
    int length(long capabilities);

    /** Writes the payload (no header) with the layout {@code capabilities} select. */
    void write(PacketWriter w, long capabilities);

    /**
     * Allocates exactly {@link #length} bytes, writes the payload and checks that the length was right.
     *
     * @return a new buffer the caller owns
     */
    default ByteBuf encode(ByteBufAllocator alloc, long capabilities) {
        int length = length(capabilities);
        ByteBuf buf = alloc.buffer(length);
        try {
            PacketWriter w = new PacketWriter(buf);
            write(w, capabilities);
            if (w.written() != length) {
                throw new IllegalStateException(getClass().getSimpleName() + " wrote " + w.written()
                        + " bytes but computed " + length);
            }
            return buf;
        } catch (RuntimeException e) {
            buf.release();
            throw e;
        }
    }

    /** {@link #encode} wrapped in a {@link Packet} with the given sequence id, ready for the frame encoder. */
    default Packet toPacket(ByteBufAllocator alloc, int sequenceId, long capabilities) {
        return new Packet(sequenceId, encode(alloc, capabilities));
    }
}
