package io.switchyard.proxy.packet.resultset;

import io.switchyard.proxy.codec.Collations;
import io.switchyard.proxy.codec.ColumnFlags;
import io.switchyard.proxy.codec.ColumnType;
import io.switchyard.proxy.codec.MySqlError;
import io.switchyard.proxy.codec.PacketReader;
import io.switchyard.proxy.codec.PacketWriter;
import io.switchyard.proxy.packet.MySqlPacket;

import java.util.Objects;

/**
 * Protocol::ColumnDefinition41, one column of a result set or one parameter of a prepared statement
 * (https://dev.mysql.com/doc/dev/mysql-server/latest/page_protocol_com_query_response_text_resultset_column_definition.html).
 *
 * <p>Names are decoded as UTF-8. {@code columnLength} is the maximum display length in bytes. On read, the
 * length of the fixed-length block (0x0C) is honoured, and the default value COM_FIELD_LIST appends is skipped.
 * The layout does not depend on negotiated capabilities (MariaDB's extended metadata is never negotiated).
 */
public record ColumnDefinition41(String catalog, String schema, String table, String orgTable, String name,
        String orgName, int characterSet, long columnLength, ColumnType type, int flags, int decimals)
        implements MySqlPacket {
    /** The only catalog MySQL knows. */
    public static final String CATALOG = "def";
    private static final int FIXED_LENGTH = 0x0C;

    public ColumnDefinition41 {
        Objects.requireNonNull(catalog, "catalog");
        Objects.requireNonNull(schema, "schema");
        Objects.requireNonNull(table, "table");
        Objects.requireNonNull(orgTable, "orgTable");
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(orgName, "orgName");
        Objects.requireNonNull(type, "type");
        if (characterSet < 0 || characterSet > 0xFFFF || flags < 0 || flags > 0xFFFF) {
            throw new IllegalArgumentException("character set and flags must fit in int<2>, were " + characterSet
                    + " and " + flags);
        }
        if (columnLength < 0 || columnLength > 0xFFFFFFFFL || decimals < 0 || decimals > 0xFF) {
            throw new IllegalArgumentException("column length must fit in int<4> and decimals in int<1>, were "
                    + columnLength + " and " + decimals);
        }
    }

    /**
     * A column computed by the gateway (no schema or table), e.g. for SHOW KEYSPACES.
     */
    public static ColumnDefinition41 of(String name, ColumnType type, int characterSet, long columnLength, int flags,
            int decimals) {
        return new ColumnDefinition41(CATALOG, "", "", "", name, name, characterSet, columnLength, type, flags,
                decimals);
    }

    /** A utf8mb4 VARCHAR column of up to 255 characters, the type MySQL uses for SHOW output. */
    public static ColumnDefinition41 varString(String name) {
        return of(name, ColumnType.VAR_STRING, Collations.UTF8MB4_GENERAL_CI, 255 * 4, 0, 0);
    }

    /** A BIGINT column as MySQL describes computed integers: binary collation, 21 display characters. */
    public static ColumnDefinition41 longLong(String name, boolean unsigned) {
        int flags = ColumnFlags.BINARY | ColumnFlags.NUM | (unsigned ? ColumnFlags.UNSIGNED : 0);
        return of(name, ColumnType.LONGLONG, Collations.BINARY, unsigned ? 20 : 21, flags, 0);
    }

    public boolean isUnsigned() {
        return (flags & ColumnFlags.UNSIGNED) != 0;
    }

    public static ColumnDefinition41 read(PacketReader r, long capabilities) {
        String catalog = r.lenencString();
        String schema = r.lenencString();
        String table = r.lenencString();
        String orgTable = r.lenencString();
        String name = r.lenencString();
        String orgName = r.lenencString();
        long fixedLength = r.lenencInt();
        if (fixedLength < 10) {
            throw MySqlError.ER_MALFORMED_PACKET.exception("column definition fixed block of " + fixedLength
                    + " bytes, expected 12");
        }
        int characterSet = r.int2();
        long columnLength = r.int4();
        ColumnType type = ColumnType.fromCode(r.int1());
        int flags = r.int2();
        int decimals = r.int1();
        r.skip((int) Math.min(fixedLength - 10, r.remaining()));
        return new ColumnDefinition41(catalog, schema, table, orgTable, name, orgName, characterSet, columnLength,
                type, flags, decimals);
    }

    @Override
    public int length(long capabilities) {
        return PacketWriter.lenencStringLength(catalog)
                + PacketWriter.lenencStringLength(schema)
                + PacketWriter.lenencStringLength(table)
                + PacketWriter.lenencStringLength(orgTable)
                + PacketWriter.lenencStringLength(name)
                + PacketWriter.lenencStringLength(orgName)
                + 1 // length of fixed-length fields, 0x0C
                + FIXED_LENGTH; // character set 2, column length 4, type 1, flags 2, decimals 1, filler 2
    }

    @Override
    public void write(PacketWriter w, long capabilities) {
        w.lenencString(catalog).lenencString(schema).lenencString(table).lenencString(orgTable)
                .lenencString(name).lenencString(orgName);
        w.lenencInt(FIXED_LENGTH).int2(characterSet).int4(columnLength).int1(type.code()).int2(flags)
                .int1(decimals).zeros(2);
    }
}
