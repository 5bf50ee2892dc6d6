package io.switchyard.routing.merge;

/**
 * How the merger compares and adds the text values of one result column. Derive it from the column definition the
 * shards sent with {@link #of(int, int)}; shards of one keyspace share a schema, so any shard's definition will do.
 */
public enum ColumnKind {
    /** Signed or unsigned integers, including YEAR: compared as numbers of any size. */
    INTEGER,
    /** DECIMAL: compared and added exactly. */
    DECIMAL,
    /** FLOAT and DOUBLE: compared and added as doubles. */
    FLOAT,
    /**
     * Character strings under a case-insensitive collation (MySQL's and MariaDB's defaults are {@code _ci}):
     * compared ignoring case, accents and trailing spaces. This approximates the server's collation; it is exact for
     * ASCII text under {@code utf8mb4_general_ci} and {@code utf8mb4_0900_ai_ci}.
     */
    TEXT,
    /** Binary strings, BIT, and strings under a binary collation: compared as unsigned bytes. */
    BINARY,
    /** DATE, TIME, DATETIME, TIMESTAMP: their text forms sort like their values (TIME below zero aside). */
    TEMPORAL,
    /**
     * ENUM and SET: MySQL sorts them by their position in the type's definition, which the result does not carry, so
     * the merger refuses to order by them (grouping and DISTINCT still work, by value).
     */
    ENUM;

    // Column definition flags, from include/mysql_com.h.
    private static final int BINARY_FLAG = 128;
    private static final int ENUM_FLAG = 256;
    private static final int SET_FLAG = 2048;

    /**
     * The kind of a column from its definition packet.
     *
     * @param mysqlType the {@code MYSQL_TYPE_*} code of the column definition (e.g. 3 for LONG, 253 for VAR_STRING)
     * @param flags the column definition's flags ({@code BINARY_FLAG} marks binary strings and {@code _bin}
     *     collations)
     * @see <a href="https://dev.mysql.com/doc/dev/mysql-server/latest/field__types_8h.html">enum_field_types</a>
     */
    public static ColumnKind of(int mysqlType, int flags) {
        if ((flags & (ENUM_FLAG | SET_FLAG)) != 0 || mysqlType == 247 || mysqlType == 248) {
            return ENUM;
        }
        return switch (mysqlType) {
            case 1, 2, 3, 8, 9, 13 -> INTEGER; // TINY, SHORT, LONG, LONGLONG, INT24, YEAR
            case 0, 246 -> DECIMAL; // DECIMAL, NEWDECIMAL
            case 4, 5 -> FLOAT;
            case 7, 10, 11, 12, 14, 17, 18, 19 -> TEMPORAL;
            case 16, 255 -> BINARY; // BIT, GEOMETRY
            default -> (flags & BINARY_FLAG) != 0 ? BINARY : TEXT; // strings, blobs, JSON, the NULL type
        };
    }
}
