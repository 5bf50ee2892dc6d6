package io.switchyard.proxy.packet.command;

import io.switchyard.proxy.codec.CommandType;
import io.switchyard.proxy.codec.PacketReader;
import io.switchyard.proxy.codec.PacketWriter;
import io.switchyard.proxy.packet.MySqlPacket;

import java.util.Objects;

/**
 * COM_FIELD_LIST: the columns of a table, sent by the mysql CLI for tab completion unless started with {@code -A};
 * answered with column definitions and an EOF
 * (https://dev.mysql.com/doc/dev/mysql-server/latest/page_protocol_com_field_list.html).
 */
public record ComFieldList(String table, String wildcard) implements MySqlPacket {
    public ComFieldList {
        Objects.requireNonNull(table, "table");
        Objects.requireNonNull(wildcard, "wildcard");
    }

    public static ComFieldList read(PacketReader r, long capabilities) {
        Commands.readCommand(r, CommandType.COM_FIELD_LIST);
        String table = r.nulString();
        return new ComFieldList(table, r.eofString());
    }

    @Override
    public int length(long capabilities) {
        return 1 + PacketWriter.nulStringLength(table) + PacketWriter.utf8Length(wildcard);
    }

    @Override
    public void write(PacketWriter w, long capabilities) {
        w.int1(CommandType.COM_FIELD_LIST.code()).nulString(table).eofString(wildcard);
    }
}
