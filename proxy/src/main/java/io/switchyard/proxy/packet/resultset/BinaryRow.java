package io.switchyard.proxy.packet.resultset;

import io.switchyard.proxy.codec.ColumnType;
import io.switchyard.proxy.codec.MySqlError;
import io.switchyard.proxy.codec.PacketReader;
import io.switchyard.proxy.codec.PacketWriter;
import io.switchyard.proxy.packet.MySqlPacket;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Objects;

/**
 * ProtocolBinary::ResultsetRow: one row of a COM_STMT_EXECUTE result: header 0x00, a NULL bitmap whose first two
 * bits are reserved (offset 2), then the non-NULL values in their binary encoding
 * (https://dev.mysql.com/doc/dev/mysql-server/latest/page_protocol_binary_resultset.html#sect_protocol_binary_resultset_row).
 *
 * <p>{@code types} are the column types (needed to write the values back); a {@code null} value is SQL NULL and
 * other values have the Java types listed in {@link BinaryValues}, checked here at construction.
 */
public record BinaryRow(List<ColumnType> types, List<Object> values) implements MySqlPacket {
    public static final int HEADER = 0x00;
    /** Bits of the NULL bitmap reserved before the first column's bit. */
    private static final int BITMAP_OFFSET = 2;

    public BinaryRow {
        types = List.copyOf(types);
        values = Collections.unmodifiableList(new ArrayList<>(values));
        if (types.size() != values.size()) {
            throw new IllegalArgumentException(types.size() + " column types for " + values.size() + " values");
        }
        for (int i = 0; i < values.size(); i++) {
            if (values.get(i) != null) {
                BinaryValues.length(types.get(i), values.get(i));
            }
        }
    }

    public static BinaryRow read(PacketReader r, List<ColumnDefinition41> columns) {
        int header = r.int1();
        if (header != HEADER) {
            throw MySqlError.ER_MALFORMED_PACKET.exception("binary row starts with 0x" + Integer.toHexString(header));
        }
        byte[] nullBitmap = r.fixedBytes(bitmapLength(columns.size()));
        List<ColumnType> types = new ArrayList<>(columns.size());
        List<Object> values = new ArrayList<>(columns.size());
        for (int i = 0; i < columns.size(); i++) {
            ColumnDefinition41 column = columns.get(i);
            types.add(column.type());
            values.add(isSet(nullBitmap, i + BITMAP_OFFSET) ? null
                    : BinaryValues.read(r, column.type(), column.isUnsigned()));
        }
        if (r.hasRemaining()) {
            throw MySqlError.ER_MALFORMED_PACKET.exception(
                    r.remaining() + " bytes left after the " + columns.size() + " values of a binary row");
        }
        return new BinaryRow(types, values);
    }

    @Override
    public int length(long capabilities) {
        int length = 1 + bitmapLength(values.size());
        for (int i = 0; i < values.size(); i++) {
            if (values.get(i) != null) {
                length += BinaryValues.length(types.get(i), values.get(i));
            }
        }
        return length;
    }

    @Override
    public void write(PacketWriter w, long capabilities) {
        byte[] nullBitmap = new byte[bitmapLength(values.size())];
        for (int i = 0; i < values.size(); i++) {
            if (values.get(i) == null) {
                nullBitmap[(i + BITMAP_OFFSET) / 8] |= (byte) (1 << ((i + BITMAP_OFFSET) % 8));
            }
        }
        w.int1(HEADER).bytes(nullBitmap);
        for (int i = 0; i < values.size(); i++) {
            if (values.get(i) != null) {
                BinaryValues.write(w, types.get(i), values.get(i));
            }
        }
    }

    private static int bitmapLength(int columns) {
        return (columns + 7 + BITMAP_OFFSET) / 8;
    }

    static boolean isSet(byte[] bitmap, int bit) {
        return (bitmap[bit / 8] & (1 << (bit % 8))) != 0;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof BinaryRow other && types.equals(other.types)
                && Arrays.deepEquals(values.toArray(), other.values.toArray());
    }

    @Override
    public int hashCode() {
        return Objects.hash(types, Arrays.deepHashCode(values.toArray()));
    }
}
