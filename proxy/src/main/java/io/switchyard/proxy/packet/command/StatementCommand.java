package io.switchyard.proxy.packet.command;

import io.switchyard.proxy.codec.CommandType;
import io.switchyard.proxy.codec.PacketReader;
import io.switchyard.proxy.codec.PacketWriter;
import io.switchyard.proxy.packet.MySqlPacket;

/**
 * COM_STMT_CLOSE (no reply) and COM_STMT_RESET (OK or ERR): the command byte and a statement id
 * (https://dev.mysql.com/doc/dev/mysql-server/latest/page_protocol_com_stmt_close.html,
 * https://dev.mysql.com/doc/dev/mysql-server/latest/page_protocol_com_stmt_reset.html).
 */
public record StatementCommand(CommandType type, long statementId) implements MySqlPacket {
    private static final CommandType[] TYPES = {CommandType.COM_STMT_CLOSE, CommandType.COM_STMT_RESET};

    public StatementCommand {
        Commands.requireOneOf(type, TYPES);
        Commands.requireStatementId(statementId);
    }

    public static StatementCommand close(long statementId) {
        return new StatementCommand(CommandType.COM_STMT_CLOSE, statementId);
    }

    public static StatementCommand reset(long statementId) {
        return new StatementCommand(CommandType.COM_STMT_RESET, statementId);
    }

    public static StatementCommand read(PacketReader r, long capabilities) {
        CommandType type = Commands.readCommand(r, TYPES);
        return new StatementCommand(type, r.int4());
    }

    @Override
    public int length(long capabilities) {
        return 1 + 4;
    }

    @Override
    public void write(PacketWriter w, long capabilities) {
        w.int1(type.code()).int4(statementId);
    }
}
