package io.switchyard.proxy.packet.command;

import io.switchyard.proxy.codec.ColumnType;

import java.util.Objects;

/**
 * The type of one COM_STMT_EXECUTE parameter: int&lt;1&gt; type and int&lt;1&gt; flags, of which only
 * {@link #UNSIGNED_FLAG} is defined (unlike column definitions, where UNSIGNED is 0x20 of a 2-byte field).
 */
public record ParamType(ColumnType type, boolean unsigned) {
    public static final int UNSIGNED_FLAG = 0x80;

    public ParamType {
        Objects.requireNonNull(type, "type");
    }

    public static ParamType of(ColumnType type) {
        return new ParamType(type, false);
    }
}
