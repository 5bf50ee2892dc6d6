package io.switchyard.proxy.codec;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;

/**
 * Writes the MySQL protocol data types into a packet payload; the counterpart of {@link PacketReader}.
 *
 * <p>Packets are built the Vitess way: sum the length first with the static {@code *Length} helpers (one term per
 * field), allocate exactly that, write, then check that {@link #written()} equals the sum
 * ({@code MySqlPacket.encode} does this). Strings are written as UTF-8, and
 * {@link #utf8Length(CharSequence)} counts them the same way (unpaired surrogates become {@code ?} in both).
 *
 * <p>The writer appends at the buffer's {@code writerIndex} and never retains or releases the buffer.
 */
public final class PacketWriter {
    private final ByteBuf buf;
    private final int start;

    public PacketWriter(ByteBuf buf) {
        this.buf = buf;
        this.start = buf.writerIndex();
    }

    /** Bytes written through this writer so far. */
    public int written() {
        return buf.writerIndex() - start;
    }

    public PacketWriter int1(int value) {
        buf.writeByte(value);
        return this;
    }

    public PacketWriter int2(int value) {
        buf.writeShortLE(value);
        return this;
    }

    public PacketWriter int3(int value) {
        buf.writeMediumLE(value);
        return this;
    }

    public PacketWriter int4(long value) {
        buf.writeIntLE((int) value);
        return this;
    }

    public PacketWriter int6(long value) {
        buf.writeIntLE((int) value);
        buf.writeShortLE((int) (value >>> 32));
        return this;
    }

    public PacketWriter int8(long value) {
        buf.writeLongLE(value);
        return this;
    }

    /**
     * A length-encoded integer in the shortest form: one byte below 251, else 0xFC + int&lt;2&gt;, 0xFD +
     * int&lt;3&gt; or 0xFE + int&lt;8&gt;. Negative values are taken as unsigned 64-bit values.
     */
    public PacketWriter lenencInt(long value) {
        if (value >= 0 && value < PacketReader.NULL_MARKER) {
            buf.writeByte((int) value);
        } else if (value >= 0 && value <= 0xFFFF) {
            buf.writeByte(0xFC);
            buf.writeShortLE((int) value);
        } else if (value >= 0 && value <= 0xFFFFFF) {
            buf.writeByte(0xFD);
            buf.writeMediumLE((int) value);
        } else {
            buf.writeByte(0xFE);
            buf.writeLongLE(value);
        }
        return this;
    }

    /** The length-encoded NULL marker 0xFB, SQL NULL in a text result row. */
    public PacketWriter lenencNull() {
        buf.writeByte(PacketReader.NULL_MARKER);
        return this;
    }

    public PacketWriter lenencBytes(byte[] value) {
        lenencInt(value.length);
        buf.writeBytes(value);
        return this;
    }

    /** Length-encoded bytes, or the NULL marker if {@code value} is null. */
    public PacketWriter lenencBytesOrNull(byte[] value) {
        return value == null ? lenencNull() : lenencBytes(value);
    }

    /** Length-encoded copy of the readable bytes of {@code value}, whose indexes are left unchanged. */
    public PacketWriter lenencBytes(ByteBuf value) {
        lenencInt(value.readableBytes());
        buf.writeBytes(value, value.readerIndex(), value.readableBytes());
        return this;
    }

    public PacketWriter lenencString(CharSequence value) {
        lenencInt(ByteBufUtil.utf8Bytes(value));
        ByteBufUtil.writeUtf8(buf, value);
        return this;
    }

    /** A NUL-terminated string; {@code value} must not contain NUL. */
    public PacketWriter nulString(CharSequence value) {
        for (int i = 0; i < value.length(); i++) {
            if (value.charAt(i) == '\0') {
                throw new IllegalArgumentException("string<NUL> value contains a NUL character: " + value);
            }
        }
        ByteBufUtil.writeUtf8(buf, value);
        buf.writeByte(0);
        return this;
    }

    /** A string that runs to the end of the packet: it must be the last field written. */
    public PacketWriter eofString(CharSequence value) {
        ByteBufUtil.writeUtf8(buf, value);
        return this;
    }

    /** Raw bytes: a string[n], a string&lt;EOF&gt; or binary data. */
    public PacketWriter bytes(byte[] value) {
        buf.writeBytes(value);
        return this;
    }

    /** A copy of the readable bytes of {@code value}, whose indexes are left unchanged. */
    public PacketWriter bytes(ByteBuf value) {
        buf.writeBytes(value, value.readerIndex(), value.readableBytes());
        return this;
    }

    /** {@code count} zero bytes: fillers and reserved fields. */
    public PacketWriter zeros(int count) {
        buf.writeZero(count);
        return this;
    }

    /** Encoded size of {@link #lenencInt(long)}: 1, 3, 4 or 9 bytes. */
    public static int lenencIntLength(long value) {
        if (value >= 0 && value < PacketReader.NULL_MARKER) {
            return 1;
        } else if (value >= 0 && value <= 0xFFFF) {
            return 3;
        } else if (value >= 0 && value <= 0xFFFFFF) {
            return 4;
        }
        return 9;
    }

    /** Encoded size of a length-encoded string of {@code length} bytes. */
    public static int lenencLength(int length) {
        return lenencIntLength(length) + length;
    }

    public static int lenencBytesLength(byte[] value) {
        return lenencLength(value.length);
    }

    /** Encoded size of {@link #lenencBytesOrNull(byte[])}: 1 for NULL. */
    public static int lenencBytesOrNullLength(byte[] value) {
        return value == null ? 1 : lenencLength(value.length);
    }

    public static int lenencStringLength(CharSequence value) {
        return lenencLength(utf8Length(value));
    }

    /** Encoded size of {@link #nulString(CharSequence)}, terminator included. */
    public static int nulStringLength(CharSequence value) {
        return utf8Length(value) + 1;
    }

    /** Number of bytes {@code value} takes in UTF-8, as written by this class. */
    public static int utf8Length(CharSequence value) {
        return ByteBufUtil.utf8Bytes(value);
    }
}
