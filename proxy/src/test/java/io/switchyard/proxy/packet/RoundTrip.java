package io.switchyard.proxy.packet;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.UnpooledByteBufAllocator;
import io.switchyard.proxy.codec.Hex;
import io.switchyard.proxy.codec.PacketReader;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

/** Golden-byte assertions: a packet encodes to exactly the expected bytes, and those bytes decode to it. */
public final class RoundTrip {
    private static final UnpooledByteBufAllocator ALLOC = new UnpooledByteBufAllocator(false);

    private RoundTrip() {
    }

    /** A packet's static read method: {@code OkPacket::read}. */
    @FunctionalInterface
    public interface Read<T> {
        T read(PacketReader r, long capabilities);
    }

    /** Encodes {@code packet} and returns the payload as hex; checks that it reads back equal and fully. */
    public static <T extends MySqlPacket> String encode(T packet, long capabilities, Read<T> read) {
        ByteBuf buf = packet.encode(ALLOC, capabilities);
        try {
            String hex = Hex.hex(buf);
            PacketReader r = new PacketReader(buf);
            assertEquals(packet, read.read(r, capabilities));
            assertFalse(r.hasRemaining(), "bytes left after reading back " + packet);
            return hex;
        } finally {
            buf.release();
        }
    }

    /**
     * Decodes the golden payload {@code hex}, asserts it equals {@code expected} and consumes every byte, and that
     * {@code expected} encodes back to exactly {@code hex}.
     */
    public static <T extends MySqlPacket> T golden(String hex, T expected, long capabilities,
            Read<T> read) {
        ByteBuf buf = Hex.buf(hex);
        try {
            PacketReader r = new PacketReader(buf);
            T actual = read.read(r, capabilities);
            assertEquals(expected, actual);
            assertFalse(r.hasRemaining(), "bytes left after reading " + actual);
        } finally {
            buf.release();
        }
        assertEquals(Hex.compact(hex), encode(expected, capabilities, read));
        return expected;
    }
}
