package io.switchyard.proxy.packet.generic;

import io.switchyard.proxy.codec.Capabilities;
import io.switchyard.proxy.codec.MySqlError;
import io.switchyard.proxy.codec.PacketReader;
import io.switchyard.proxy.codec.PacketWriter;
import io.switchyard.proxy.packet.MySqlPacket;

/**
 * EOF_Packet: ends the column definitions and the rows of a result set when CLIENT_DEPRECATE_EOF is not in effect
 * (https://dev.mysql.com/doc/dev/mysql-server/latest/page_protocol_basic_eof_packet.html). It is 5 bytes with
 * CLIENT_PROTOCOL_41 and a single 0xFE before; anything starting with 0xFE and 9 bytes or longer is not an EOF.
 */
public record EofPacket(int warnings, int statusFlags) implements MySqlPacket {
    public static final int HEADER = 0xFE;

    public EofPacket {
        OkPacket.checkInt2("warnings", warnings);
        OkPacket.checkInt2("statusFlags", statusFlags);
    }

    public static EofPacket read(PacketReader r, long capabilities) {
        int header = r.int1();
        if (header != HEADER) {
            throw MySqlError.ER_MALFORMED_PACKET.exception("EOF packet starts with 0x" + Integer.toHexString(header));
        }
        if (Capabilities.has(capabilities, Capabilities.CLIENT_PROTOCOL_41)) {
            int warnings = r.int2();
            return new EofPacket(warnings, r.int2());
        }
        return new EofPacket(0, 0);
    }

    @Override
    public int length(long capabilities) {
        return Capabilities.has(capabilities, Capabilities.CLIENT_PROTOCOL_41) ? 5 : 1;
    }

    @Override
    public void write(PacketWriter w, long capabilities) {
        w.int1(HEADER);
        if (Capabilities.has(capabilities, Capabilities.CLIENT_PROTOCOL_41)) {
            w.int2(warnings).int2(statusFlags);
        }
    }
}
