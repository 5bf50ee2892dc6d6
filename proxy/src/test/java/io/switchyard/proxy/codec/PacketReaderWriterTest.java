package io.switchyard.proxy.codec;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.util.function.Consumer;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class PacketReaderWriterTest {

    private static String written(Consumer<PacketWriter> write) {
        ByteBuf buf = Unpooled.buffer();
        try {
            write.accept(new PacketWriter(buf));
            return Hex.hex(buf);
        } finally {
            buf.release();
        }
    }

    private static <T> T read(String hex, java.util.function.Function<PacketReader, T> read) {
        ByteBuf buf = Hex.buf(hex);
        try {
            PacketReader r = new PacketReader(buf);
            T value = read.apply(r);
            assertFalse(r.hasRemaining(), "bytes left");
            return value;
        } finally {
            buf.release();
        }
    }

    @Test
    void fixedIntegersAreLittleEndianAndUnsigned() {
        assertEquals("ff" + "3412" + "563412" + "78563412" + "bc9a78563412" + "efcdab9078563412",
                written(w -> w.int1(0xFF).int2(0x1234).int3(0x123456).int4(0x12345678L).int6(0x123456789ABCL)
                        .int8(0x1234567890ABCDEFL)));
        assertEquals(0xFF, (int) read("ff", PacketReader::int1));
        assertEquals(0xFFFF, (int) read("ffff", PacketReader::int2));
        assertEquals(0xFFFFFF, (int) read("ffffff", PacketReader::int3));
        assertEquals(0xFFFFFFFFL, (long) read("ffffffff", PacketReader::int4));
        assertEquals(0xFFFFFFFFFFFFL, (long) read("ffffffffffff", PacketReader::int6));
        assertEquals(-1L, (long) read("ffffffffffffffff", PacketReader::int8));
    }

    @ParameterizedTest
    @CsvSource({
        "0, 00",
        "250, fa",
        "251, fcfb00",
        "65535, fcffff",
        "65536, fd000001",
        "16777215, fdffffff",
        "16777216, fe0000000100000000",
        "9223372036854775807, feffffffffffffff7f",
        "-1, feffffffffffffffff",
    })
    void lenencIntUsesTheShortestFormForEveryRange(long value, String hex) {
        assertEquals(hex, written(w -> w.lenencInt(value)));
        assertEquals(hex.length() / 2, PacketWriter.lenencIntLength(value));
        assertEquals(value, (long) read(hex, PacketReader::lenencInt));
    }

    @Test
    void nullMarkerIsExplicit() {
        assertEquals("fb" + "03616263", written(w -> w.lenencBytesOrNull(null).lenencBytesOrNull("abc".getBytes())));
        ByteBuf buf = Hex.buf("fb 03616263 fb");
        try {
            PacketReader r = new PacketReader(buf);
            assertTrue(r.isNullMarker());
            assertNull(r.lenencStringOrNull());
            assertFalse(r.isNullMarker());
            assertEquals("abc", r.lenencStringOrNull());
            ProtocolException e = assertThrows(ProtocolException.class, r::lenencInt);
            assertEquals(1835, e.errorCode());
        } finally {
            buf.release();
        }
    }

    @Test
    void ffIsNotALength() {
        ProtocolException e = assertThrows(ProtocolException.class, () -> read("ff", PacketReader::lenencInt));
        assertEquals(MySqlError.ER_MALFORMED_PACKET.code(), e.errorCode());
    }

    @Test
    void stringsOfEveryKind() {
        String hex = written(w -> w.nulString("héllo").lenencString("ü").eofString("end"));
        assertEquals("68c3a96c6c6f00" + "02c3bc" + "656e64", hex);
        assertEquals(7, PacketWriter.nulStringLength("héllo"));
        assertEquals(3, PacketWriter.lenencStringLength("ü"));
        ByteBuf buf = Hex.buf(hex);
        try {
            PacketReader r = new PacketReader(buf);
            assertEquals("héllo", r.nulString());
            assertEquals("ü", r.lenencString());
            assertEquals("end", r.eofString());
        } finally {
            buf.release();
        }
        assertEquals("ab", read("616200", PacketReader::nulOrEofString));
        assertEquals("ab", read("6162", PacketReader::nulOrEofString));
        assertArrayEquals(new byte[] {1, 2}, read("0102", r -> r.fixedBytes(2)));
        assertEquals("xy", read("7879", r -> r.fixedString(2)));
    }

    @Test
    void nulStringRejectsEmbeddedNul() {
        assertThrows(IllegalArgumentException.class, () -> written(w -> w.nulString("a\0b")));
    }

    @Test
    void truncatedInputIsAMalformedPacketNotAnIndexError() {
        assertEquals(1835, assertThrows(ProtocolException.class, () -> read("0102", PacketReader::int4)).errorCode());
        assertEquals(1835, assertThrows(ProtocolException.class, () -> read("6162", PacketReader::nulString))
                .errorCode());
        ProtocolException e = assertThrows(ProtocolException.class, () -> read("05616263", PacketReader::lenencBytes));
        assertEquals("HY000", e.sqlState());
        assertTrue(e.getMessage().startsWith("Malformed communication packet: "), e.getMessage());
        assertThrows(ProtocolException.class, () -> read("fe01", PacketReader::lenencString));
        assertThrows(ProtocolException.class, () -> read("", PacketReader::peek));
    }

    @Test
    void slicesAndSkipsDoNotCopy() {
        ByteBuf buf = Hex.buf("03 616263 fb 02 6869 ff");
        try {
            PacketReader r = new PacketReader(buf);
            assertEquals("abc", r.lenencSlice().toString(java.nio.charset.StandardCharsets.US_ASCII));
            r.skipLenenc();
            r.skipLenenc();
            assertEquals(0xFF, r.peek());
            r.skip(1);
            assertEquals(0, r.remaining());
        } finally {
            buf.release();
        }
    }
}
