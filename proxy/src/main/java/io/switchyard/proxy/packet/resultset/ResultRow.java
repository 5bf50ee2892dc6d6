package io.switchyard.proxy.packet.resultset;

import io.switchyard.proxy.codec.MySqlError;
import io.switchyard.proxy.codec.PacketReader;
import io.switchyard.proxy.codec.PacketWriter;
import io.switchyard.proxy.packet.MySqlPacket;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;

/**
 * ProtocolText::ResultsetRow: one row of a text result set, each value a length-encoded string in the column's
 * character set or the NULL marker 0xFB
 * (https://dev.mysql.com/doc/dev/mysql-server/latest/page_protocol_com_query_response_text_resultset_row.html).
 *
 * <p>Values are kept as raw bytes, a {@code null} element being SQL NULL: decode with {@link #string(int)} (UTF-8)
 * or with the column's charset. The arrays are not copied: treat them as immutable.
 */
public record ResultRow(List<byte[]> values) implements MySqlPacket {
    public ResultRow {
        values = Collections.unmodifiableList(new ArrayList<>(values));
    }

    /** A row of UTF-8 strings; a null string is SQL NULL. */
    public static ResultRow ofStrings(String... values) {
        List<byte[]> bytes = new ArrayList<>(values.length);
        for (String value : values) {
            bytes.add(value == null ? null : value.getBytes(StandardCharsets.UTF_8));
        }
        return new ResultRow(bytes);
    }

    /** Reads exactly {@code columnCount} values, which must fill the payload. */
    public static ResultRow read(PacketReader r, int columnCount) {
        List<byte[]> values = new ArrayList<>(columnCount);
        for (int i = 0; i < columnCount; i++) {
            values.add(r.lenencBytesOrNull());
        }
        if (r.hasRemaining()) {
            throw MySqlError.ER_MALFORMED_PACKET.exception(
                    r.remaining() + " bytes left after the " + columnCount + " values of a text row");
        }
        return new ResultRow(values);
    }

    public int size() {
        return values.size();
    }

    public boolean isNull(int column) {
        return values.get(column) == null;
    }

    /** The value decoded as UTF-8, or null for SQL NULL. */
    public String string(int column) {
        byte[] value = values.get(column);
        return value == null ? null : new String(value, StandardCharsets.UTF_8);
    }

    @Override
    public int length(long capabilities) {
        int length = 0;
        for (byte[] value : values) {
            length += PacketWriter.lenencBytesOrNullLength(value);
        }
        return length;
    }

    @Override
    public void write(PacketWriter w, long capabilities) {
        for (byte[] value : values) {
            w.lenencBytesOrNull(value);
        }
    }

    @Override
    public boolean equals(Object o) {
        if (!(o instanceof ResultRow other) || other.values.size() != values.size()) {
            return false;
        }
        for (int i = 0; i < values.size(); i++) {
            if (!Arrays.equals(values.get(i), other.values.get(i))) {
                return false;
            }
        }
        return true;
    }

    @Override
    public int hashCode() {
        int hash = 1;
        for (byte[] value : values) {
            hash = hash * 31 + Arrays.hashCode(value);
        }
        return hash;
    }

    @Override
    public String toString() {
        List<String> shown = new ArrayList<>(values.size());
        for (int i = 0; i < values.size(); i++) {
            shown.add(isNull(i) ? "NULL" : "'" + string(i) + "'");
        }
        return "ResultRow" + shown;
    }
}
