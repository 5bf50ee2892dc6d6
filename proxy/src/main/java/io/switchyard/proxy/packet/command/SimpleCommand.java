package io.switchyard.proxy.packet.command;

import io.switchyard.proxy.codec.CommandType;
import io.switchyard.proxy.codec.PacketReader;
import io.switchyard.proxy.codec.PacketWriter;
import io.switchyard.proxy.packet.MySqlPacket;

/**
 * A command that is only its command byte: COM_QUIT (no reply), COM_PING, COM_RESET_CONNECTION, COM_STATISTICS,
 * COM_DEBUG, COM_PROCESS_INFO, COM_TIME and COM_SLEEP
 * (https://dev.mysql.com/doc/dev/mysql-server/latest/page_protocol_com_ping.html and siblings).
 */
public record SimpleCommand(CommandType type) implements MySqlPacket {
    private static final CommandType[] TYPES = {CommandType.COM_QUIT, CommandType.COM_PING,
        CommandType.COM_RESET_CONNECTION, CommandType.COM_STATISTICS, CommandType.COM_DEBUG,
        CommandType.COM_PROCESS_INFO, CommandType.COM_TIME, CommandType.COM_SLEEP};

    public SimpleCommand {
        Commands.requireOneOf(type, TYPES);
    }

    /** Reads the command byte; anything after it is ignored, as the server does. */
    public static SimpleCommand read(PacketReader r, long capabilities) {
        SimpleCommand command = new SimpleCommand(Commands.readCommand(r, TYPES));
        r.skip(r.remaining());
        return command;
    }

    @Override
    public int length(long capabilities) {
        return 1;
    }

    @Override
    public void write(PacketWriter w, long capabilities) {
        w.int1(type.code());
    }
}
