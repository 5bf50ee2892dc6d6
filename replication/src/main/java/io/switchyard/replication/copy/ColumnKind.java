package io.switchyard.replication.copy;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.util.Locale;
import java.util.Set;

/**
 * How a column's values travel from the source result set to the target statement without loss.
 *
 * <p>Everything that is not a number or binary goes as the server's own text (temporal types with their fractions,
 * JSON, ENUM/SET, FLOAT/DOUBLE as MariaDB prints them): the server parses its own output back exactly, and no Java
 * time-zone or calendar conversion can creep in. Integers and decimals keep numeric Java types so that a
 * {@code WHERE pk > ?} on a BIGINT never becomes a lossy double comparison against a string.
 */
public enum ColumnKind {
    /** TINYINT..BIGINT, signed or unsigned: {@link Long}, or {@link BigInteger} above {@link Long#MAX_VALUE}. */
    INTEGER,
    /** DECIMAL: {@link BigDecimal}. */
    DECIMAL,
    /** Binary strings, BLOBs, BIT and spatial types: {@code byte[]}. */
    BINARY,
    /** Everything else: {@link String}. */
    TEXT;

    private static final Set<String> INTEGERS = Set.of("tinyint", "smallint", "mediumint", "int", "bigint");
    private static final Set<String> BINARIES = Set.of("binary", "varbinary", "tinyblob", "blob", "mediumblob",
            "longblob", "bit", "geometry", "point", "linestring", "polygon", "multipoint", "multilinestring",
            "multipolygon", "geometrycollection");

    /** The kind of an {@code information_schema.COLUMNS.DATA_TYPE}. */
    static ColumnKind of(String dataType) {
        String type = dataType.toLowerCase(Locale.ROOT);
        if (INTEGERS.contains(type)) {
            return INTEGER;
        }
        if (type.equals("decimal")) {
            return DECIMAL;
        }
        return BINARIES.contains(type) ? BINARY : TEXT;
    }

    /** Reads column {@code index} (1-based) of the current row; SQL NULL is {@code null}. */
    Object read(ResultSet rs, int index) throws SQLException {
        return switch (this) {
            case INTEGER -> {
                String text = rs.getString(index);
                yield text == null ? null : parseInteger(text);
            }
            case DECIMAL -> rs.getBigDecimal(index);
            case BINARY -> rs.getBytes(index);
            case TEXT -> rs.getString(index);
        };
    }

    static Object parseInteger(String text) {
        // Unsigned BIGINT goes past Long.MAX_VALUE; everything else fits a long, the common fast case.
        return text.length() < 19 ? (Object) Long.parseLong(text) : tryLong(text);
    }

    private static Object tryLong(String text) {
        BigInteger value = new BigInteger(text);
        return value.bitLength() < 64 ? (Object) value.longValueExact() : value;
    }

    /** Binds a value produced by {@link #read} (of any kind) to parameter {@code index}. */
    static void bind(PreparedStatement statement, int index, Object value) throws SQLException {
        if (value == null) {
            statement.setNull(index, Types.NULL);
        } else if (value instanceof Long number) {
            statement.setLong(index, number);
        } else if (value instanceof BigInteger number) {
            statement.setBigDecimal(index, new BigDecimal(number));
        } else if (value instanceof BigDecimal number) {
            statement.setBigDecimal(index, number);
        } else if (value instanceof byte[] bytes) {
            statement.setBytes(index, bytes);
        } else if (value instanceof String text) {
            statement.setString(index, text);
        } else {
            throw new IllegalArgumentException("cannot bind a " + value.getClass().getName() + ": " + value);
        }
    }

    /** A rough size of a value in a statement, to keep multi-row INSERTs under {@code max_allowed_packet}. */
    static int estimatedBytes(Object value) {
        if (value instanceof byte[] bytes) {
            return 2 * bytes.length + 10; // the driver may escape every byte
        }
        if (value instanceof String text) {
            return 4 * text.length() + 4;
        }
        return 24;
    }
}
