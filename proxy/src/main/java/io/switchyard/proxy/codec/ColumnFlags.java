package io.switchyard.proxy.codec;

/**
 * Column definition flags (https://dev.mysql.com/doc/dev/mysql-server/latest/group__group__cs__column__definition__flags.html).
 * Note the parameter types of COM_STMT_EXECUTE mark unsigned with a different bit, 0x80 of the flag byte.
 */
public final class ColumnFlags {
    public static final int NOT_NULL = 1;
    public static final int PRI_KEY = 1 << 1;
    public static final int UNIQUE_KEY = 1 << 2;
    public static final int MULTIPLE_KEY = 1 << 3;
    public static final int BLOB = 1 << 4;
    public static final int UNSIGNED = 1 << 5;
    public static final int ZEROFILL = 1 << 6;
    public static final int BINARY = 1 << 7;
    public static final int ENUM = 1 << 8;
    public static final int AUTO_INCREMENT = 1 << 9;
    public static final int TIMESTAMP = 1 << 10;
    public static final int SET = 1 << 11;
    public static final int NO_DEFAULT_VALUE = 1 << 12;
    public static final int ON_UPDATE_NOW = 1 << 13;
    public static final int NUM = 1 << 15;

    private ColumnFlags() {
    }
}
