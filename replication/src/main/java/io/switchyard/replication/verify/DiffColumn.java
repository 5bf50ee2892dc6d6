package io.switchyard.replication.verify;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.util.Arrays;
import java.util.Locale;
import java.util.Objects;
import java.util.Set;

/**
 * One column as the diff reads, orders and compares it.
 *
 * <p>Values travel as the server's own text except integers ({@link Long}, or {@link BigInteger} past
 * {@link Long#MAX_VALUE}), DECIMAL ({@link BigDecimal}) and binary types ({@code byte[]}), so nothing is converted on
 * the way: two values the server prints identically are identical.
 *
 * <p>Key columns also need an <em>ordering value</em> whose Java order is the server's {@code ORDER BY} order, because
 * the shards of each side are merged in Java. Numbers and binary strings order by value. Character strings order by
 * {@code WEIGHT_STRING(col AS CHAR(n))}: the collation's sort weights, padded with the weight of a space to the
 * column's length, so that byte order is the collation's order including PAD SPACE semantics (without the padding,
 * {@code 'a\t'} would sort after {@code 'a'} although the server sorts it before). ENUM, SET and BIT order by their
 * number ({@code col + 0}), temporal types by {@code col + 0} ({@code 20240131123456.000001}), which is monotonic in
 * time where the text is not (negative and three-digit TIME values).
 *
 * @param name      the column name
 * @param kind      how values are read and compared
 * @param collation the collation of a character column, {@code null} for others
 * @param charset   its character set, {@code null} for others
 * @param maxChars  its declared length in characters, 0 for others
 */
record DiffColumn(String name, Kind kind, String collation, String charset, long maxChars) {
    enum Kind {
        /** TINYINT..BIGINT and YEAR. */
        INTEGER,
        /** DECIMAL: compared by value, so {@code 1.50} equals {@code 1.5}. */
        DECIMAL,
        /** FLOAT and DOUBLE: compared as printed; not usable as a key (no exact bound for paging). */
        REAL,
        /** DATE, DATETIME, TIMESTAMP, TIME: compared as printed (with all fractional digits). */
        TEMPORAL,
        /** ENUM and SET: compared by label, ordered by number. */
        ORDINAL,
        /** BIT: compared by bytes, ordered by number. */
        BITS,
        /** Binary strings, BLOBs, spatial types: compared byte for byte. */
        BINARY,
        /** CHAR and VARCHAR: equal when equal under the collation. */
        TEXT,
        /** TINYTEXT..LONGTEXT: equal when equal under the collation; not usable as a key. */
        LONG_TEXT,
        /** MariaDB's JSON (LONGTEXT with a json_valid check): compared exactly, as stored. */
        JSON
    }

    private static final Set<String> INTEGERS = Set.of("tinyint", "smallint", "mediumint", "int", "bigint", "year");
    private static final Set<String> TEMPORALS = Set.of("date", "datetime", "timestamp", "time");
    private static final Set<String> BINARIES = Set.of("binary", "varbinary", "tinyblob", "blob", "mediumblob",
            "longblob", "geometry", "point", "linestring", "polygon", "multipoint", "multilinestring", "multipolygon",
            "geometrycollection");
    private static final Set<String> LONG_TEXTS = Set.of("tinytext", "text", "mediumtext", "longtext");

    DiffColumn {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(kind, "kind");
    }

    /** The kind of an {@code information_schema.COLUMNS.DATA_TYPE}; {@code json} when a json_valid check exists. */
    static Kind kindOf(String dataType, boolean json) {
        String type = dataType.toLowerCase(Locale.ROOT);
        if (json) {
            return Kind.JSON;
        }
        if (INTEGERS.contains(type)) {
            return Kind.INTEGER;
        }
        if (TEMPORALS.contains(type)) {
            return Kind.TEMPORAL;
        }
        if (BINARIES.contains(type)) {
            return Kind.BINARY;
        }
        if (LONG_TEXTS.contains(type)) {
            return Kind.LONG_TEXT;
        }
        return switch (type) {
            case "decimal" -> Kind.DECIMAL;
            case "float", "double" -> Kind.REAL;
            case "enum", "set" -> Kind.ORDINAL;
            case "bit" -> Kind.BITS;
            default -> Kind.TEXT; // char, varchar, and anything newer read as text
        };
    }

    /** {@code `name`}. */
    String quoted() {
        return "`" + name.replace("`", "``") + "`";
    }

    /** Whether this column may be part of the key the diff orders and pages by; if not, {@link #whyNotKey()}. */
    boolean usableAsKey() {
        return kind != Kind.REAL && kind != Kind.LONG_TEXT && kind != Kind.JSON;
    }

    String whyNotKey() {
        return kind == Kind.REAL ? "FLOAT/DOUBLE values have no exact bound to page by"
                : "TEXT columns have no fixed length to pad their sort weights to";
    }

    /** Whether ordering needs a computed column next to the value (see the class comment). */
    boolean hasOrderingExpression() {
        return switch (kind) {
            case TEXT, TEMPORAL, ORDINAL, BITS -> true;
            default -> false;
        };
    }

    String orderingExpression() {
        if (kind != Kind.TEXT) {
            return quoted() + " + 0";
        }
        // NO PAD collations compare trailing spaces, so padding would make 'a' and 'a ' equal.
        boolean padSpace = collation == null || !collation.toLowerCase(Locale.ROOT).contains("_nopad_");
        return padSpace ? "WEIGHT_STRING(" + quoted() + " AS CHAR(" + Math.max(1, maxChars) + "))"
                : "WEIGHT_STRING(" + quoted() + ")";
    }

    /** Reads the value at {@code index} (1-based); SQL NULL is {@code null}. */
    Object read(ResultSet rs, int index) throws SQLException {
        return switch (kind) {
            case INTEGER -> {
                String text = rs.getString(index);
                yield text == null ? null : parseInteger(text);
            }
            case DECIMAL -> rs.getBigDecimal(index);
            case BINARY, BITS -> rs.getBytes(index);
            default -> rs.getString(index);
        };
    }

    /** Reads the ordering expression's value at {@code index}. */
    Object readOrdering(ResultSet rs, int index) throws SQLException {
        return switch (kind) {
            case TEXT -> rs.getBytes(index);
            case TEMPORAL -> rs.getBigDecimal(index);
            default -> parseInteger(rs.getString(index));
        };
    }

    /**
     * The value to bind in {@code WHERE col > ?} to continue after a row: the ordering number for ENUM, SET and BIT
     * (compared with a string, MariaDB would compare their labels, not their order), the value itself otherwise.
     */
    Object boundValue(Object value, Object ordering) {
        return kind == Kind.ORDINAL || kind == Kind.BITS ? ordering : value;
    }

    /** Whether two values are identical; text equal only under its collation is {@link RowComparer}'s business. */
    boolean sameExactly(Object a, Object b) {
        if (a == null || b == null) {
            return a == b;
        }
        if (a instanceof BigDecimal x && b instanceof BigDecimal y) {
            return x.compareTo(y) == 0;
        }
        if (a instanceof byte[] x && b instanceof byte[] y) {
            return Arrays.equals(x, y);
        }
        return a.equals(b);
    }

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
        } else {
            statement.setString(index, value.toString());
        }
    }

    static Object parseInteger(String text) {
        if (text.length() < 19) {
            return Long.parseLong(text);
        }
        BigInteger value = new BigInteger(text);
        return value.bitLength() < 64 ? (Object) value.longValueExact() : value;
    }
}
