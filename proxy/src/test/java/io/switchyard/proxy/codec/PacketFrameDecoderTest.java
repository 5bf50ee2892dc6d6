package io.switchyard.proxy.codec;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.ByteBufUtil;
import io.netty.channel.ChannelHandler;
import io.netty.channel.embedded.EmbeddedChannel;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.Arrays;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class PacketFrameDecoderTest {
    private static final int MAX = Packet.MAX_CHUNK_LENGTH;

    private final TrackingAllocator alloc = new TrackingAllocator();
    private EmbeddedChannel channel;

    @AfterEach
    void nothingLeftOverAndEverythingReleased() {
        assertFalse(channel.finish());
        alloc.assertAllReleased();
    }

    /** An embedded channel whose handlers allocate from {@code alloc}. */
    static EmbeddedChannel channel(ByteBufAllocator alloc, ChannelHandler handler) {
        EmbeddedChannel channel = new EmbeddedChannel();
        channel.config().setAllocator(alloc);
        channel.pipeline().addLast(handler);
        return channel;
    }

    private void feedInPieces(ByteBuf frames, int piece) {
        try {
            while (frames.isReadable()) {
                channel.writeInbound(frames.readRetainedSlice(Math.min(piece, frames.readableBytes())));
            }
        } finally {
            frames.release();
        }
    }

    @Test
    void decodesPacketsFedOneByteAtATime() {
        channel = channel(alloc, new PacketFrameDecoder(1024));
        // COM_PING (seq 0), then an EOF (seq 5), then an empty payload (seq 6).
        feedInPieces(alloc.hex("010000 00 0e" + "050000 05 fe00000200" + "000000 06"), 1);

        Packet ping = channel.readInbound();
        assertEquals(0, ping.sequenceId());
        assertEquals("0e", Hex.hex(ping.payload()));
        assertEquals(1, ping.nextSequenceId());
        ping.release();

        Packet eof = channel.readInbound();
        assertEquals(5, eof.sequenceId());
        assertEquals(5, eof.lastSequenceId());
        assertEquals("fe00000200", Hex.hex(eof.payload()));
        assertEquals(0xFE, eof.header());
        eof.release();

        Packet empty = channel.readInbound();
        assertEquals(6, empty.sequenceId());
        assertEquals(0, empty.length());
        assertEquals(-1, empty.header());
        empty.release();

        assertNull(channel.readInbound());
    }

    @Test
    void decodesSeveralPacketsFromOneBuffer() {
        channel = channel(alloc, new PacketFrameDecoder(1024));
        channel.writeInbound(alloc.hex("010000 00 0e 020000 01 0304"));
        Packet first = channel.readInbound();
        Packet second = channel.readInbound();
        assertEquals("0e", Hex.hex(first.payload()));
        assertEquals("0304", Hex.hex(second.payload()));
        assertEquals(1, second.sequenceId());
        first.release();
        second.release();
    }

    @Test
    void readerDoesNotMoveThePayload() {
        channel = channel(alloc, new PacketFrameDecoder(1024));
        channel.writeInbound(alloc.hex("030000 00 03 6869"));
        Packet packet = channel.readInbound();
        PacketReader r = packet.reader();
        r.skip(1);
        assertEquals("hi", r.eofString());
        assertEquals("036869", Hex.hex(packet.payload()));
        packet.release();
    }

    /** 0xFFFFFF needs an empty trailer, 0xFFFFFF + 1 a 1-byte one, 2 * 0xFFFFFF two full chunks and an empty one. */
    @ParameterizedTest
    @ValueSource(ints = {MAX - 1, MAX, MAX + 1, 2 * MAX})
    void joinsPayloadsSplitInto16MibChunks(int length) {
        channel = channel(alloc, new PacketFrameDecoder(2 * MAX + 10));
        ByteBuf payload = pattern(alloc, length);
        ByteBuf frames = PacketFrameEncoder.frameCopy(alloc, 254, payload);
        int chunks = length / MAX + 1;
        assertEquals(length + 4 * chunks, frames.readableBytes());
        feedInPieces(frames, 1 << 20);

        Packet packet = channel.readInbound();
        try {
            assertEquals(254, packet.sequenceId());
            assertEquals(chunks, packet.chunkCount());
            assertEquals((254 + chunks - 1) & 0xFF, packet.lastSequenceId());
            assertEquals(length, packet.length());
            assertTrue(sameBytes(payload, packet.payload()), "payload differs");
        } finally {
            packet.release();
            payload.release();
        }
        assertNull(channel.readInbound());
    }

    @Test
    void oversizedPayloadIsRefusedAtTheHeader() {
        channel = channel(alloc, new PacketFrameDecoder(1024));
        ProtocolException e = assertThrows(ProtocolException.class,
                () -> channel.writeInbound(alloc.hex("010400 00")));
        assertEquals(1153, e.errorCode());
        assertEquals("08S01", e.sqlState());
        assertEquals("Got a packet bigger than 'max_allowed_packet' bytes", e.getMessage());
        // Discards everything after the error: the session answers ERR and closes.
        assertFalse(channel.writeInbound(alloc.hex("010000 00 0e")));
    }

    @Test
    void oversizedSplitPayloadIsRefusedAtTheSecondHeader() {
        channel = channel(alloc, new PacketFrameDecoder(MAX + 2));
        ByteBuf payload = pattern(alloc, MAX + 3);
        ByteBuf frames = PacketFrameEncoder.frameCopy(alloc, 0, payload);
        payload.release();
        ProtocolException e = assertThrows(ProtocolException.class, () -> feedInPieces(frames, 1 << 22));
        assertEquals(1153, e.errorCode());
        assertNull(channel.readInbound());
    }

    @Test
    void exactlyTheLimitIsAccepted() {
        channel = channel(alloc, new PacketFrameDecoder(3));
        channel.writeInbound(alloc.hex("030000 00 010203"));
        Packet packet = channel.readInbound();
        assertEquals(3, packet.length());
        packet.release();
    }

    @Test
    void chunksOutOfSequenceAreRefused() {
        channel = channel(alloc, new PacketFrameDecoder(2 * MAX));
        ByteBuf frames = alloc.buffer(MAX + 8);
        frames.writeMediumLE(MAX).writeByte(3).writeZero(MAX);
        frames.writeMediumLE(0).writeByte(7);
        ProtocolException e = assertThrows(ProtocolException.class, () -> channel.writeInbound(frames));
        assertEquals(1156, e.errorCode());
        assertEquals("08S01", e.sqlState());
    }

    @Test
    void sequenceIdsWrapAroundInsideASplitPayload() {
        channel = channel(alloc, new PacketFrameDecoder(2 * MAX));
        ByteBuf frames = alloc.buffer(MAX + 9);
        frames.writeMediumLE(MAX).writeByte(255).writeZero(MAX);
        frames.writeMediumLE(1).writeByte(0).writeByte(42);
        channel.writeInbound(frames);
        Packet packet = channel.readInbound();
        assertEquals(255, packet.sequenceId());
        assertEquals(0, packet.lastSequenceId());
        assertEquals(MAX + 1, packet.length());
        assertEquals(42, packet.payload().getByte(MAX));
        packet.release();
    }

    @Test
    void partialSplitPayloadIsReleasedWhenTheChannelCloses() {
        channel = channel(alloc, new PacketFrameDecoder(2 * MAX));
        ByteBuf frames = alloc.buffer(MAX + 6);
        frames.writeMediumLE(MAX).writeByte(0).writeZero(MAX).writeByte(5);
        assertFalse(channel.writeInbound(frames));
        // The tear-down closes the channel and checks that the half-joined payload was released.
    }

    @Test
    void rejectsANonPositiveLimit() {
        channel = new EmbeddedChannel();
        assertThrows(IllegalArgumentException.class, () -> new PacketFrameDecoder(0));
    }

    /**
     * A payload whose bytes differ by position, built in an array and copied in once: under PARANOID leak detection
     * every access to a leak-aware buffer records a stack trace, which would make byte-wise work on 16 MiB crawl.
     */
    static ByteBuf pattern(ByteBufAllocator alloc, int length) {
        byte[] bytes = new byte[length];
        for (int i = 0; i < length; i++) {
            bytes[i] = (byte) (i * 31 + (i >>> 16));
        }
        return alloc.buffer(length).writeBytes(bytes);
    }

    /** Content equality with one bulk read per buffer (see {@link #pattern}). */
    static boolean sameBytes(ByteBuf a, ByteBuf b) {
        return Arrays.equals(ByteBufUtil.getBytes(a), ByteBufUtil.getBytes(b));
    }
}
