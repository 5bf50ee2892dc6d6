package io.switchyard.proxy.packet.generic;

import io.switchyard.proxy.codec.MySqlError;
import io.switchyard.proxy.codec.PacketReader;
import io.switchyard.proxy.codec.PacketWriter;
import io.switchyard.proxy.packet.MySqlPacket;

import java.util.Objects;

/**
 * The server's LOCAL INFILE request in answer to {@code LOAD DATA LOCAL INFILE}: 0xFB and the file name. The client
 * then streams the file in packets and ends with an empty one
 * (https://dev.mysql.com/doc/dev/mysql-server/latest/page_protocol_com_query_response_local_infile_request.html).
 * The file must come from the application's client, never from the gateway's own filesystem.
 */
public record LocalInfileRequest(String filename) implements MySqlPacket {
    public static final int HEADER = 0xFB;

    public LocalInfileRequest {
        Objects.requireNonNull(filename, "filename");
    }

    public static LocalInfileRequest read(PacketReader r, long capabilities) {
        int header = r.int1();
        if (header != HEADER) {
            throw MySqlError.ER_MALFORMED_PACKET.exception(
                    "LOCAL INFILE request starts with 0x" + Integer.toHexString(header));
        }
        return new LocalInfileRequest(r.eofString());
    }

    @Override
    public int length(long capabilities) {
        return 1 + PacketWriter.utf8Length(filename);
    }

    @Override
    public void write(PacketWriter w, long capabilities) {
        w.int1(HEADER).eofString(filename);
    }
}
