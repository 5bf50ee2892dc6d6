package io.switchyard.proxy.packet.command;

import io.switchyard.proxy.codec.CommandType;
import io.switchyard.proxy.codec.PacketReader;
import io.switchyard.proxy.codec.PacketWriter;
import io.switchyard.proxy.packet.MySqlPacket;

/**
 * COM_PROCESS_KILL: kill a connection by id, the deprecated form of {@code KILL id}
 * (https://dev.mysql.com/doc/dev/mysql-server/latest/page_protocol_com_process_kill.html). The id is the one the
 * gateway handed out in its greeting, to be mapped to a backend thread id.
 */
public record ComProcessKill(long connectionId) implements MySqlPacket {
    public ComProcessKill {
        if (connectionId < 0 || connectionId > 0xFFFFFFFFL) {
            throw new IllegalArgumentException("connection id must fit in int<4>, was " + connectionId);
        }
    }

    public static ComProcessKill read(PacketReader r, long capabilities) {
        Commands.readCommand(r, CommandType.COM_PROCESS_KILL);
        return new ComProcessKill(r.int4());
    }

    @Override
    public int length(long capabilities) {
        return 1 + 4;
    }

    @Override
    public void write(PacketWriter w, long capabilities) {
        w.int1(CommandType.COM_PROCESS_KILL.code()).int4(connectionId);
    }
}
