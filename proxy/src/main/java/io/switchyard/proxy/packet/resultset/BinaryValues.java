package io.switchyard.proxy.packet.resultset;

import io.switchyard.proxy.codec.ColumnType;
import io.switchyard.proxy.codec.MySqlError;
import io.switchyard.proxy.codec.PacketReader;
import io.switchyard.proxy.codec.PacketWriter;

import java.util.function.Supplier;

/**
 * Encodes single values of the binary protocol, shared by binary result rows and COM_STMT_EXECUTE parameters
 * (https://dev.mysql.com/doc/dev/mysql-server/latest/page_protocol_binary_resultset.html#sect_protocol_binary_resultset_row_value).
 *
 * <p>Java representation by type (NULL is never a value here: it lives in the null bitmap):
 * <ul>
 *   <li>TINY, SHORT, YEAR, INT24, LONG, LONGLONG: {@link Long}, sign- or zero-extended according to
 *       {@code unsigned}; an unsigned LONGLONG above {@link Long#MAX_VALUE} is the raw 64 bits (negative).
 *       Writing accepts any {@link Number} and writes its low bytes.</li>
 *   <li>FLOAT: {@link Float}; DOUBLE: {@link Double}.</li>
 *   <li>DATE, DATETIME, TIMESTAMP: {@link MysqlDateTime}; TIME: {@link MysqlTime}.</li>
 *   <li>NULL: {@code null}, zero bytes.</li>
 *   <li>Everything else (DECIMAL, NEWDECIMAL, the string, blob, ENUM, SET, BIT, JSON, GEOMETRY and VECTOR types):
 *       {@code byte[]}, length-encoded.</li>
 * </ul>
 * Server-internal types (NEWDATE, the *2 types, TYPED_ARRAY, INVALID, BOOL) are refused: on read with
 * ER_MALFORMED_PACKET, on write with {@link IllegalArgumentException}.
 */
public final class BinaryValues {
    private BinaryValues() {
    }

    public static Object read(PacketReader r, ColumnType type, boolean unsigned) {
        return switch (type) {
            case TINY -> unsigned ? (long) r.int1() : (long) (byte) r.int1();
            case SHORT, YEAR -> unsigned ? (long) r.int2() : (long) (short) r.int2();
            case INT24, LONG -> unsigned ? r.int4() : (long) (int) r.int4();
            case LONGLONG -> r.int8();
            case FLOAT -> Float.intBitsToFloat((int) r.int4());
            case DOUBLE -> Double.longBitsToDouble(r.int8());
            case DATE, DATETIME, TIMESTAMP -> readDateTime(r);
            case TIME -> readTime(r);
            case NULL -> null;
            case DECIMAL, NEWDECIMAL, VARCHAR, BIT, JSON, ENUM, SET, TINY_BLOB, MEDIUM_BLOB, LONG_BLOB, BLOB,
                    VAR_STRING, STRING, GEOMETRY, VECTOR -> r.lenencBytes();
            default -> throw MySqlError.ER_MALFORMED_PACKET.exception(type.mysqlName() + " in a binary value");
        };
    }

    /** Encoded size of {@code value}; also checks that the value has the Java type {@code type} needs. */
    public static int length(ColumnType type, Object value) {
        return switch (type) {
            case TINY -> fixed(type, value, 1);
            case SHORT, YEAR -> fixed(type, value, 2);
            case INT24, LONG, FLOAT -> fixed(type, value, 4);
            case LONGLONG, DOUBLE -> fixed(type, value, 8);
            case DATE, DATETIME, TIMESTAMP -> 1 + cast(type, value, MysqlDateTime.class).wireLength();
            case TIME -> 1 + cast(type, value, MysqlTime.class).wireLength();
            case NULL -> 0;
            case DECIMAL, NEWDECIMAL, VARCHAR, BIT, JSON, ENUM, SET, TINY_BLOB, MEDIUM_BLOB, LONG_BLOB, BLOB,
                    VAR_STRING, STRING, GEOMETRY, VECTOR ->
                    PacketWriter.lenencLength(cast(type, value, byte[].class).length);
            default -> throw unsupported(type);
        };
    }

    public static void write(PacketWriter w, ColumnType type, Object value) {
        switch (type) {
            case TINY -> w.int1(((Number) value).intValue());
            case SHORT, YEAR -> w.int2(((Number) value).intValue());
            case INT24, LONG -> w.int4(((Number) value).longValue());
            case LONGLONG -> w.int8(((Number) value).longValue());
            case FLOAT -> w.int4(Float.floatToIntBits(((Number) value).floatValue()));
            case DOUBLE -> w.int8(Double.doubleToLongBits(((Number) value).doubleValue()));
            case DATE, DATETIME, TIMESTAMP -> writeDateTime(w, (MysqlDateTime) value);
            case TIME -> writeTime(w, (MysqlTime) value);
            case NULL -> {
            }
            case DECIMAL, NEWDECIMAL, VARCHAR, BIT, JSON, ENUM, SET, TINY_BLOB, MEDIUM_BLOB, LONG_BLOB, BLOB,
                    VAR_STRING, STRING, GEOMETRY, VECTOR -> w.lenencBytes((byte[]) value);
            default -> throw unsupported(type);
        }
    }

    private static MysqlDateTime readDateTime(PacketReader r) {
        int length = r.int1();
        if (length != 0 && length != 4 && length != 7 && length != 11) {
            throw MySqlError.ER_MALFORMED_PACKET.exception("binary date-time of length " + length);
        }
        if (length == 0) {
            return MysqlDateTime.ZERO;
        }
        int year = r.int2();
        int month = r.int1();
        int day = r.int1();
        int hour = length >= 7 ? r.int1() : 0;
        int minute = length >= 7 ? r.int1() : 0;
        int second = length >= 7 ? r.int1() : 0;
        int micros = length == 11 ? (int) r.int4() : 0;
        return checked(() -> new MysqlDateTime(year, month, day, hour, minute, second, micros));
    }

    private static void writeDateTime(PacketWriter w, MysqlDateTime value) {
        int length = value.wireLength();
        w.int1(length);
        if (length >= 4) {
            w.int2(value.year()).int1(value.month()).int1(value.day());
        }
        if (length >= 7) {
            w.int1(value.hour()).int1(value.minute()).int1(value.second());
        }
        if (length == 11) {
            w.int4(value.micros());
        }
    }

    private static MysqlTime readTime(PacketReader r) {
        int length = r.int1();
        if (length != 0 && length != 8 && length != 12) {
            throw MySqlError.ER_MALFORMED_PACKET.exception("binary time of length " + length);
        }
        if (length == 0) {
            return MysqlTime.ZERO;
        }
        boolean negative = r.int1() != 0;
        long days = r.int4();
        int hours = r.int1();
        int minutes = r.int1();
        int seconds = r.int1();
        int micros = length == 12 ? (int) r.int4() : 0;
        return checked(() -> new MysqlTime(negative, days, hours, minutes, seconds, micros));
    }

    private static void writeTime(PacketWriter w, MysqlTime value) {
        int length = value.wireLength();
        w.int1(length);
        if (length >= 8) {
            w.int1(value.negative() ? 1 : 0).int4(value.days()).int1(value.hours()).int1(value.minutes())
                    .int1(value.seconds());
        }
        if (length == 12) {
            w.int4(value.micros());
        }
    }

    /** Turns an out-of-range field from the wire into ER_MALFORMED_PACKET. */
    private static <T> T checked(Supplier<T> value) {
        try {
            return value.get();
        } catch (IllegalArgumentException e) {
            throw MySqlError.ER_MALFORMED_PACKET.exception(e.getMessage());
        }
    }

    private static int fixed(ColumnType type, Object value, int length) {
        cast(type, value, Number.class);
        return length;
    }

    private static <T> T cast(ColumnType type, Object value, Class<T> expected) {
        if (!expected.isInstance(value)) {
            throw new IllegalArgumentException(type + " needs a " + expected.getSimpleName() + " value, was "
                    + (value == null ? "null" : value.getClass().getSimpleName()));
        }
        return expected.cast(value);
    }

    private static IllegalArgumentException unsupported(ColumnType type) {
        return new IllegalArgumentException(type.mysqlName() + " never appears in the binary protocol");
    }
}
