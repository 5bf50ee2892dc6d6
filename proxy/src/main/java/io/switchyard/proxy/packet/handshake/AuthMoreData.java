package io.switchyard.proxy.packet.handshake;

import io.switchyard.proxy.codec.MySqlError;
import io.switchyard.proxy.codec.PacketReader;
import io.switchyard.proxy.codec.PacketWriter;
import io.switchyard.proxy.packet.MySqlPacket;

import java.util.Arrays;
import java.util.Objects;

/**
 * Protocol::AuthMoreData: plugin-specific data from the server during authentication
 * (https://dev.mysql.com/doc/dev/mysql-server/latest/page_protocol_connection_phase_packets_protocol_auth_more_data.html).
 * For caching_sha2_password it carries the one-byte fast-auth result (0x03 success, 0x04 full authentication
 * needed, see {@code CachingSha2Password}) or the PEM public key. The byte array is not copied: treat it as
 * immutable.
 */
public record AuthMoreData(byte[] data) implements MySqlPacket {
    public static final int HEADER = 0x01;

    public AuthMoreData {
        Objects.requireNonNull(data, "data");
    }

    /** AuthMoreData carrying one status byte, e.g. caching_sha2_password's fast-auth result. */
    public static AuthMoreData of(int status) {
        return new AuthMoreData(new byte[] {(byte) status});
    }

    public static AuthMoreData read(PacketReader r, long capabilities) {
        int header = r.int1();
        if (header != HEADER) {
            throw MySqlError.ER_MALFORMED_PACKET.exception("AuthMoreData starts with 0x" + Integer.toHexString(header));
        }
        return new AuthMoreData(r.restBytes());
    }

    @Override
    public int length(long capabilities) {
        return 1 + data.length;
    }

    @Override
    public void write(PacketWriter w, long capabilities) {
        w.int1(HEADER).bytes(data);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof AuthMoreData other && Arrays.equals(data, other.data);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(data);
    }

    @Override
    public String toString() {
        return "AuthMoreData[" + data.length + " bytes]";
    }
}
