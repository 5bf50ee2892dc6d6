package io.switchyard.proxy.codec;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.CompositeByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static io.switchyard.proxy.codec.PacketFrameDecoderTest.channel;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class PacketFrameEncoderTest {
    private static final int MAX = Packet.MAX_CHUNK_LENGTH;

    private final TrackingAllocator alloc = new TrackingAllocator();

    @AfterEach
    void everythingReleased() {
        alloc.assertAllReleased();
    }

    /** Everything the channel wrote, joined into one buffer the caller releases. */
    private static ByteBuf drain(EmbeddedChannel channel) {
        CompositeByteBuf all = Unpooled.compositeBuffer(Integer.MAX_VALUE);
        for (ByteBuf buf; (buf = channel.readOutbound()) != null; ) {
            all.addComponent(true, buf);
        }
        return all;
    }

    @Test
    void writesHeaderAndPayload() {
        EmbeddedChannel channel = channel(alloc, new PacketFrameEncoder());
        ByteBuf payload = alloc.hex("0e");
        channel.writeOutbound(new Packet(0, payload));
        assertEquals(0, payload.refCnt(), "the encoder releases the packet");
        ByteBuf wire = drain(channel);
        assertEquals("01000000" + "0e", Hex.hex(wire));
        wire.release();
        assertFalse(channel.finish());
    }

    @Test
    void writesEmptyPayload() {
        EmbeddedChannel channel = channel(alloc, new PacketFrameEncoder());
        channel.writeOutbound(new Packet(9, alloc.buffer(0)));
        ByteBuf wire = drain(channel);
        assertEquals("00000009", Hex.hex(wire));
        wire.release();
        assertFalse(channel.finish());
    }

    @ParameterizedTest
    @ValueSource(ints = {100, 4096, MAX - 1, MAX, MAX + 1, 2 * MAX})
    void splitsLargePayloadsAndRoundTripsThroughTheDecoder(int length) {
        EmbeddedChannel encoder = channel(alloc, new PacketFrameEncoder());
        ByteBuf payload = PacketFrameDecoderTest.pattern(alloc, length);
        encoder.writeOutbound(new Packet(3, payload.retain()));
        ByteBuf wire = drain(encoder);
        assertFalse(encoder.finish());

        int chunks = length / MAX + 1;
        assertEquals(length + 4 * chunks, wire.readableBytes());
        for (int i = 0; i < chunks; i++) {
            int offset = i * (MAX + 4);
            int chunk = Math.min(MAX, length - i * MAX);
            assertEquals(chunk, wire.getUnsignedMediumLE(offset), "length of chunk " + i);
            assertEquals(3 + i, wire.getUnsignedByte(offset + 3), "sequence id of chunk " + i);
        }
        ByteBuf copy = PacketFrameEncoder.frameCopy(alloc, 3, payload);
        assertTrue(PacketFrameDecoderTest.sameBytes(copy, wire), "frameCopy writes the same bytes");
        copy.release();

        EmbeddedChannel decoder = channel(alloc, new PacketFrameDecoder(2 * MAX));
        decoder.writeInbound(wire);
        Packet packet = decoder.readInbound();
        assertEquals(3, packet.sequenceId());
        assertEquals((3 + chunks) & 0xFF, packet.nextSequenceId());
        assertTrue(PacketFrameDecoderTest.sameBytes(payload, packet.payload()), "payload differs after the round trip");
        packet.release();
        payload.release();
        assertFalse(decoder.finish());
    }

    @Test
    void exactMultipleEndsWithAnEmptyChunk() {
        ByteBuf payload = alloc.buffer(MAX).writeZero(MAX);
        ByteBuf frames = PacketFrameEncoder.frameCopy(alloc, 0, payload);
        assertEquals(MAX + 8, frames.readableBytes());
        assertEquals("ffffff00", Hex.hex(frames.slice(0, 4)));
        assertEquals("00000001", Hex.hex(frames.slice(MAX + 4, 4)));
        frames.release();
        payload.release();
    }
}
