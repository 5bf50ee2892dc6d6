package io.switchyard.replication.binlog;

import com.github.shyiko.mysql.binlog.event.deserialization.json.JsonBinary;

import java.io.IOException;
import java.io.Serializable;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.BitSet;
import java.util.List;
import java.util.Locale;
import java.util.StringJoiner;

/**
 * Turns the binlog client's raw cell values into values an applier can bind back with JDBC {@code setObject}.
 *
 * <p>The client is configured (see {@link BinlogStream}) with {@code CHAR_AND_BINARY_AS_BYTE_ARRAY}, so text arrives
 * as bytes and is decoded here with the column's charset (the client would guess UTF-8), and with
 * {@code DATE_AND_TIME_AS_LONG_MICRO}, so temporal values arrive as microseconds computed in UTC and keep their
 * fractions (the default {@code java.util.Date} loses micros and applies the JVM time zone).
 *
 * <p>Mapping: integers → Integer/Long (unsigned BIGINT → BigInteger, unsigned INT → Long); DECIMAL → BigDecimal;
 * FLOAT/DOUBLE as is; BIT → Long; CHAR/VARCHAR/TEXT/JSON → String; BINARY/VARBINARY/BLOB/GEOMETRY → byte[];
 * ENUM → its label; SET → comma-separated labels; DATE → LocalDate; DATETIME → LocalDateTime; TIMESTAMP → Instant;
 * TIME → "HH:MM:SS[.ffffff]" string; YEAR → Integer; zero dates → the string MySQL prints for them.
 */
final class ValueNormalizer {
    /** How the client reports zero / invalid dates, given INVALID_DATE_AND_TIME_AS_MIN_VALUE. */
    private static final long INVALID_DATE = Long.MIN_VALUE;
    private static final long MICROS_PER_SECOND = 1_000_000L;

    private ValueNormalizer() {
    }

    static Object normalize(ColumnInfo column, Serializable raw) {
        if (raw == null) {
            return null;
        }
        switch (column.dataType()) {
            case "tinyint":
                return column.unsigned() ? ((Number) raw).intValue() & 0xFF : ((Number) raw).intValue();
            case "smallint":
                return column.unsigned() ? ((Number) raw).intValue() & 0xFFFF : ((Number) raw).intValue();
            case "mediumint":
                return column.unsigned() ? ((Number) raw).intValue() & 0xFFFFFF : ((Number) raw).intValue();
            case "int":
            case "integer":
                // Not a ternary: it would promote the signed Integer to Long.
                if (column.unsigned()) {
                    return ((Number) raw).longValue() & 0xFFFF_FFFFL;
                }
                return ((Number) raw).intValue();
            case "bigint":
                long value = ((Number) raw).longValue();
                return column.unsigned() ? new BigInteger(Long.toUnsignedString(value)) : value;
            case "decimal":
            case "numeric":
                return (BigDecimal) raw;
            case "float":
            case "double":
            case "real":
                return raw;
            case "bit":
                long[] words = ((BitSet) raw).toLongArray();
                return words.length == 0 ? 0L : words[0];
            case "year":
                return ((Number) raw).intValue();
            case "enum":
                return enumLabel(column, ((Number) raw).intValue());
            case "set":
                return setLabels(column, ((Number) raw).longValue());
            case "json":
                return mysqlJson((byte[]) raw);
            case "char":
            case "varchar":
            case "tinytext":
            case "text":
            case "mediumtext":
            case "longtext":
                return text(column, raw);
            case "binary":
            case "varbinary":
            case "tinyblob":
            case "blob":
            case "mediumblob":
            case "longblob":
            case "geometry":
            case "point":
            case "linestring":
            case "polygon":
            case "multipoint":
            case "multilinestring":
            case "multipolygon":
            case "geometrycollection":
                return bytes(raw);
            case "date":
                return date((Long) raw);
            case "datetime":
                return datetime((Long) raw);
            case "timestamp":
                return timestamp((Long) raw);
            case "time":
                return time((Long) raw);
            default:
                // Never pass through a value we do not understand: the applier would write something wrong.
                throw new BinlogStreamException("column " + column.name() + " has type " + column.columnType()
                        + " which the binlog stream does not decode (raw " + raw.getClass().getSimpleName() + ")");
        }
    }

    private static String text(ColumnInfo column, Serializable raw) {
        if (raw instanceof String s) {
            return s;
        }
        return new String((byte[]) raw, charset(column));
    }

    private static byte[] bytes(Serializable raw) {
        return raw instanceof String s ? s.getBytes(StandardCharsets.ISO_8859_1) : (byte[]) raw;
    }

    /** MySQL charset names → Java. MySQL's latin1 is really cp1252. */
    static Charset charset(ColumnInfo column) {
        String name = column.charset() == null ? "binary" : column.charset().toLowerCase(Locale.ROOT);
        switch (name) {
            case "utf8mb4":
            case "utf8mb3":
            case "utf8":
                return StandardCharsets.UTF_8;
            case "latin1":
                return Charset.forName("windows-1252");
            case "ascii":
                return StandardCharsets.US_ASCII;
            case "binary":
                return StandardCharsets.ISO_8859_1;
            case "ucs2":
            case "utf16":
                return StandardCharsets.UTF_16BE;
            case "utf16le":
                return StandardCharsets.UTF_16LE;
            case "utf32":
                return Charset.forName("UTF-32");
            default:
                try {
                    return Charset.forName(name);
                } catch (IllegalArgumentException e) {
                    throw new BinlogStreamException("column " + column.name() + " uses charset " + name
                            + " which has no Java equivalent", e);
                }
        }
    }

    private static String enumLabel(ColumnInfo column, int index) {
        if (index == 0) {
            return ""; // the "invalid value" MySQL stores for a bad ENUM in non-strict mode
        }
        List<String> labels = column.labels();
        if (index > labels.size()) {
            throw new BinlogStreamException("ENUM column " + column.name() + " has value index " + index + " but "
                    + column.columnType() + " has " + labels.size() + " labels (schema changed?)");
        }
        return labels.get(index - 1);
    }

    private static String setLabels(ColumnInfo column, long bits) {
        List<String> labels = column.labels();
        StringJoiner joined = new StringJoiner(",");
        for (int i = 0; i < 64; i++) {
            if ((bits & (1L << i)) != 0) {
                if (i >= labels.size()) {
                    throw new BinlogStreamException("SET column " + column.name() + " has bit " + i + " set but "
                            + column.columnType() + " has " + labels.size() + " labels (schema changed?)");
                }
                joined.add(labels.get(i));
            }
        }
        return joined.toString();
    }

    /** MySQL 5.7+/8.0 store JSON in a binary format; MariaDB stores it as LONGTEXT and never gets here. */
    private static String mysqlJson(byte[] raw) {
        try {
            return raw.length == 0 ? "null" : JsonBinary.parseAsString(raw);
        } catch (IOException e) {
            throw new BinlogStreamException("cannot decode a MySQL binary JSON value: " + e.getMessage(), e);
        }
    }

    private static Object date(long micros) {
        return micros == INVALID_DATE ? "0000-00-00" : LocalDate.ofEpochDay(Math.floorDiv(micros,
                MICROS_PER_SECOND * 86_400));
    }

    private static Object datetime(long micros) {
        if (micros == INVALID_DATE) {
            return "0000-00-00 00:00:00";
        }
        return LocalDateTime.ofEpochSecond(Math.floorDiv(micros, MICROS_PER_SECOND),
                (int) Math.floorMod(micros, MICROS_PER_SECOND) * 1000, ZoneOffset.UTC);
    }

    private static Object timestamp(long micros) {
        if (micros == INVALID_DATE) {
            return "0000-00-00 00:00:00";
        }
        return Instant.ofEpochSecond(Math.floorDiv(micros, MICROS_PER_SECOND),
                Math.floorMod(micros, MICROS_PER_SECOND) * 1000);
    }

    /** TIME can exceed 24 hours (up to 838:59:59), so it cannot be a LocalTime. */
    private static String time(long micros) {
        long abs = Math.abs(micros);
        long seconds = abs / MICROS_PER_SECOND;
        long fraction = abs % MICROS_PER_SECOND;
        String text = String.format("%s%02d:%02d:%02d", micros < 0 ? "-" : "", seconds / 3600, seconds / 60 % 60,
                seconds % 60);
        return fraction == 0 ? text : text + String.format(".%06d", fraction);
    }
}
