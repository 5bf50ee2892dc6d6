package io.switchyard.proxy.codec;

import io.netty.buffer.ByteBuf;

import java.nio.charset.StandardCharsets;

/**
 * Reads the MySQL protocol data types from one packet payload; methods are named after the types of
 * https://dev.mysql.com/doc/dev/mysql-server/latest/page_protocol_basic_data_types.html.
 *
 * <p>The reader consumes the buffer it wraps: it advances that buffer's {@code readerIndex} and never retains or
 * releases it ({@code Packet.reader()} wraps a duplicate, so reading a packet leaves it intact for relaying).
 * Integers are little-endian and unsigned; {@link #int8()} returns the raw 64 bits. Strings are decoded as UTF-8;
 * use the {@code *Bytes} variants where the bytes are in another character set or binary.
 *
 * <p>Every read checks that enough bytes remain and otherwise throws a {@link ProtocolException} with
 * {@link MySqlError#ER_MALFORMED_PACKET}, never an {@code IndexOutOfBoundsException}.
 *
 * <p>Length-encoded NULL: in text result rows the byte {@value #NULL_MARKER} stands for SQL NULL. It is never a
 * valid length, so {@link #lenencInt()} rejects it; read nullable values with {@link #lenencBytesOrNull()} or
 * {@link #lenencStringOrNull()}, or test first with {@link #isNullMarker()}.
 */
public final class PacketReader {
    /** The first byte of a length-encoded value that stands for SQL NULL. */
    public static final int NULL_MARKER = 0xFB;

    private final ByteBuf buf;

    public PacketReader(ByteBuf buf) {
        this.buf = buf;
    }

    public int remaining() {
        return buf.readableBytes();
    }

    public boolean hasRemaining() {
        return buf.isReadable();
    }

    /** The next byte, unsigned, without consuming it. */
    public int peek() {
        require(1, "int<1>");
        return buf.getUnsignedByte(buf.readerIndex());
    }

    /** True if the next byte is the length-encoded NULL marker {@value #NULL_MARKER}; consumes nothing. */
    public boolean isNullMarker() {
        return buf.isReadable() && buf.getUnsignedByte(buf.readerIndex()) == NULL_MARKER;
    }

    public int int1() {
        require(1, "int<1>");
        return buf.readUnsignedByte();
    }

    public int int2() {
        require(2, "int<2>");
        return buf.readUnsignedShortLE();
    }

    public int int3() {
        require(3, "int<3>");
        return buf.readUnsignedMediumLE();
    }

    public long int4() {
        require(4, "int<4>");
        return buf.readUnsignedIntLE();
    }

    public long int6() {
        require(6, "int<6>");
        long low = buf.readUnsignedIntLE();
        return low | ((long) buf.readUnsignedShortLE() << 32);
    }

    /** An int&lt;8&gt;; values above {@link Long#MAX_VALUE} come back negative (use the unsigned helpers of Long). */
    public long int8() {
        require(8, "int<8>");
        return buf.readLongLE();
    }

    /**
     * A length-encoded integer: one byte below 0xFB, or 0xFC + int&lt;2&gt;, 0xFD + int&lt;3&gt;, 0xFE + int&lt;8&gt;.
     *
     * @throws ProtocolException if the value is the NULL marker 0xFB or the undefined prefix 0xFF
     */
    public long lenencInt() {
        int first = int1();
        if (first < NULL_MARKER) {
            return first;
        }
        return switch (first) {
            case 0xFC -> int2();
            case 0xFD -> int3();
            case 0xFE -> int8();
            case NULL_MARKER -> throw MySqlError.ER_MALFORMED_PACKET.exception(
                    "unexpected NULL (0xFB) where a length was expected");
            default -> throw MySqlError.ER_MALFORMED_PACKET.exception("0xFF does not start a length-encoded integer");
        };
    }

    public byte[] lenencBytes() {
        return fixedBytes(lenencLength());
    }

    /** Length-encoded bytes, or null if the value is the NULL marker (which is consumed). */
    public byte[] lenencBytesOrNull() {
        if (isNullMarker()) {
            buf.skipBytes(1);
            return null;
        }
        return lenencBytes();
    }

    public String lenencString() {
        return fixedString(lenencLength());
    }

    /** A length-encoded string, or null if the value is the NULL marker (which is consumed). */
    public String lenencStringOrNull() {
        if (isNullMarker()) {
            buf.skipBytes(1);
            return null;
        }
        return lenencString();
    }

    /** Length-encoded bytes as a slice of the underlying buffer: no copy, not retained. */
    public ByteBuf lenencSlice() {
        return slice(lenencLength());
    }

    /** A NUL-terminated string; the terminator is consumed and not returned. */
    public String nulString() {
        int length = nulLength();
        String value = buf.toString(buf.readerIndex(), length, StandardCharsets.UTF_8);
        buf.skipBytes(length + 1);
        return value;
    }

    /** A NUL-terminated string, or the rest of the packet if no NUL follows (tolerated trailing fields). */
    public String nulOrEofString() {
        return buf.bytesBefore((byte) 0) < 0 ? eofString() : nulString();
    }

    public byte[] nulBytes() {
        byte[] value = fixedBytes(nulLength());
        buf.skipBytes(1);
        return value;
    }

    /** The string that runs to the end of the packet. */
    public String eofString() {
        return fixedString(buf.readableBytes());
    }

    /** The bytes that run to the end of the packet. */
    public byte[] restBytes() {
        return fixedBytes(buf.readableBytes());
    }

    public byte[] fixedBytes(int length) {
        require(length, "string[" + length + "]");
        byte[] value = new byte[length];
        buf.readBytes(value);
        return value;
    }

    public String fixedString(int length) {
        require(length, "string[" + length + "]");
        String value = buf.toString(buf.readerIndex(), length, StandardCharsets.UTF_8);
        buf.skipBytes(length);
        return value;
    }

    /** The next {@code length} bytes as a slice of the underlying buffer: no copy, not retained. */
    public ByteBuf slice(int length) {
        require(length, "string[" + length + "]");
        return buf.readSlice(length);
    }

    public void skip(int length) {
        require(length, "filler[" + length + "]");
        buf.skipBytes(length);
    }

    /** Skips a length-encoded string, or the NULL marker. */
    public void skipLenenc() {
        if (isNullMarker()) {
            buf.skipBytes(1);
        } else {
            skip(lenencLength());
        }
    }

    private int lenencLength() {
        long length = lenencInt();
        if (length > buf.readableBytes() || length < 0) {
            throw MySqlError.ER_MALFORMED_PACKET.exception(
                    "length-encoded string of " + Long.toUnsignedString(length) + " bytes, only "
                            + buf.readableBytes() + " remain");
        }
        return (int) length;
    }

    private int nulLength() {
        int length = buf.bytesBefore((byte) 0);
        if (length < 0) {
            throw MySqlError.ER_MALFORMED_PACKET.exception("string<NUL> without its terminating NUL byte");
        }
        return length;
    }

    private void require(int length, String type) {
        if (length < 0 || buf.readableBytes() < length) {
            throw MySqlError.ER_MALFORMED_PACKET.exception(
                    type + " needs " + length + " bytes, only " + buf.readableBytes() + " remain");
        }
    }
}
