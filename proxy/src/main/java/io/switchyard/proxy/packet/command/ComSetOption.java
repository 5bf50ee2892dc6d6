package io.switchyard.proxy.packet.command;

import io.switchyard.proxy.codec.CommandType;
import io.switchyard.proxy.codec.PacketReader;
import io.switchyard.proxy.codec.PacketWriter;
import io.switchyard.proxy.packet.MySqlPacket;

/**
 * COM_SET_OPTION: turns CLIENT_MULTI_STATEMENTS on or off for the session (PHP toggles it); answered with EOF
 * (or OK under DEPRECATE_EOF) or ERR, see
 * https://dev.mysql.com/doc/dev/mysql-server/latest/page_protocol_com_set_option.html.
 */
public record ComSetOption(int option) implements MySqlPacket {
    public static final int MULTI_STATEMENTS_ON = 0;
    public static final int MULTI_STATEMENTS_OFF = 1;

    public ComSetOption {
        if (option < 0 || option > 0xFFFF) {
            throw new IllegalArgumentException("option must fit in int<2>, was " + option);
        }
    }

    public static ComSetOption read(PacketReader r, long capabilities) {
        Commands.readCommand(r, CommandType.COM_SET_OPTION);
        return new ComSetOption(r.int2());
    }

    @Override
    public int length(long capabilities) {
        return 1 + 2;
    }

    @Override
    public void write(PacketWriter w, long capabilities) {
        w.int1(CommandType.COM_SET_OPTION.code()).int2(option);
    }
}
