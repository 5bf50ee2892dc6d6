package io.switchyard.proxy.packet.command;

import io.switchyard.proxy.codec.CommandType;
import io.switchyard.proxy.codec.PacketReader;
import io.switchyard.proxy.codec.PacketWriter;
import io.switchyard.proxy.packet.MySqlPacket;

import java.util.Objects;

/**
 * A command whose only argument is text running to the end of the packet: COM_QUERY
 * (https://dev.mysql.com/doc/dev/mysql-server/latest/page_protocol_com_query.html), COM_INIT_DB, COM_STMT_PREPARE,
 * COM_CREATE_DB and COM_DROP_DB. The text is decoded as UTF-8 (the gateway's connection character sets are
 * utf8mb4); relay the raw payload instead where the bytes must survive untouched. COM_QUERY with
 * CLIENT_QUERY_ATTRIBUTES is not supported: the gateway never negotiates it.
 */
public record TextCommand(CommandType type, String text) implements MySqlPacket {
    private static final CommandType[] TYPES = {CommandType.COM_QUERY, CommandType.COM_INIT_DB,
        CommandType.COM_STMT_PREPARE, CommandType.COM_CREATE_DB, CommandType.COM_DROP_DB};

    public TextCommand {
        Commands.requireOneOf(type, TYPES);
        Objects.requireNonNull(text, "text");
    }

    public static TextCommand query(String sql) {
        return new TextCommand(CommandType.COM_QUERY, sql);
    }

    public static TextCommand initDb(String schema) {
        return new TextCommand(CommandType.COM_INIT_DB, schema);
    }

    public static TextCommand prepare(String sql) {
        return new TextCommand(CommandType.COM_STMT_PREPARE, sql);
    }

    public static TextCommand read(PacketReader r, long capabilities) {
        CommandType type = Commands.readCommand(r, TYPES);
        return new TextCommand(type, r.eofString());
    }

    @Override
    public int length(long capabilities) {
        return 1 + PacketWriter.utf8Length(text);
    }

    @Override
    public void write(PacketWriter w, long capabilities) {
        w.int1(type.code()).eofString(text);
    }
}
