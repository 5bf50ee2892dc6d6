package io.switchyard.proxy.codec;

/**
 * Column and parameter types, {@code enum_field_types} of
 * https://dev.mysql.com/doc/dev/mysql-server/latest/field__types_8h.html; the constant {@code LONG} is
 * {@code MYSQL_TYPE_LONG}. The *2 types, TYPED_ARRAY, INVALID and BOOL are server-internal and never sent in
 * column definitions or binary rows.
 */
public enum ColumnType {
    DECIMAL(0),
    TINY(1),
    SHORT(2),
    LONG(3),
    FLOAT(4),
    DOUBLE(5),
    NULL(6),
    TIMESTAMP(7),
    LONGLONG(8),
    INT24(9),
    DATE(10),
    TIME(11),
    DATETIME(12),
    YEAR(13),
    NEWDATE(14),
    VARCHAR(15),
    BIT(16),
    TIMESTAMP2(17),
    DATETIME2(18),
    TIME2(19),
    TYPED_ARRAY(20),
    VECTOR(242),
    INVALID(243),
    BOOL(244),
    JSON(245),
    NEWDECIMAL(246),
    ENUM(247),
    SET(248),
    TINY_BLOB(249),
    MEDIUM_BLOB(250),
    LONG_BLOB(251),
    BLOB(252),
    VAR_STRING(253),
    STRING(254),
    GEOMETRY(255);

    private static final ColumnType[] BY_CODE = new ColumnType[256];

    static {
        for (ColumnType type : values()) {
            if (BY_CODE[type.code] != null) {
                throw new IllegalStateException("duplicate column type code " + type.code);
            }
            BY_CODE[type.code] = type;
        }
    }

    private final int code;

    ColumnType(int code) {
        this.code = code;
    }

    /** The wire value, 0..255. */
    public int code() {
        return code;
    }

    /** The MySQL name, e.g. {@code MYSQL_TYPE_LONG}. */
    public String mysqlName() {
        return "MYSQL_TYPE_" + name();
    }

    /**
     * The type for a wire value.
     *
     * @throws ProtocolException ER_MALFORMED_PACKET for a value that names no type
     */
    public static ColumnType fromCode(int code) {
        ColumnType type = code >= 0 && code < BY_CODE.length ? BY_CODE[code] : null;
        if (type == null) {
            throw MySqlError.ER_MALFORMED_PACKET.exception("unknown column type " + code);
        }
        return type;
    }
}
