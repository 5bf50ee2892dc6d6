package io.switchyard.proxy.packet.handshake;

import io.switchyard.proxy.codec.Capabilities;
import io.switchyard.proxy.codec.PacketReader;
import io.switchyard.proxy.codec.PacketWriter;
import io.switchyard.proxy.packet.MySqlPacket;

/**
 * Protocol::SSLRequest, the first 32 bytes of a HandshakeResponse41 sent alone with CLIENT_SSL set; the TLS
 * handshake follows and then the full response with the next sequence id
 * (https://dev.mysql.com/doc/dev/mysql-server/latest/page_protocol_connection_phase_packets_protocol_ssl_request.html).
 * Detect it with {@link HandshakeResponse41#isSslRequest}. The layout does not depend on negotiated capabilities;
 * {@code capabilities} holds the client's flags, MariaDB extended ones included.
 */
public record SslRequest(long capabilities, long maxPacketSize, int characterSet) implements MySqlPacket {
    public static final int LENGTH = 32;
    private static final int MARIADB_FILLER_LENGTH = 19;

    public SslRequest {
        if (characterSet < 0 || characterSet > 0xFF) {
            throw new IllegalArgumentException("character set must fit in int<1>, was " + characterSet);
        }
    }

    public static SslRequest read(PacketReader r, long ignored) {
        long capabilities = readCapabilities(r);
        long maxPacketSize = r.int4();
        int characterSet = r.int1();
        return new SslRequest(readFiller(r, capabilities), maxPacketSize, characterSet);
    }

    @Override
    public int length(long ignored) {
        return LENGTH;
    }

    @Override
    public void write(PacketWriter w, long ignored) {
        w.int4(capabilities).int4(maxPacketSize).int1(characterSet);
        writeFiller(w, capabilities);
    }

    /** Reads the client flags and refuses pre-4.1 clients. */
    static long readCapabilities(PacketReader r) {
        long capabilities = r.int4();
        HandshakeResponse41.requireProtocol41(capabilities);
        return capabilities;
    }

    /** Reads the 23-byte filler; a MariaDB client without CLIENT_MYSQL keeps its extended flags in the last 4. */
    static long readFiller(PacketReader r, long capabilities) {
        r.skip(MARIADB_FILLER_LENGTH);
        long extended = r.int4();
        return Capabilities.has(capabilities, Capabilities.CLIENT_MYSQL) ? capabilities : capabilities | extended << 32;
    }

    static void writeFiller(PacketWriter w, long capabilities) {
        w.zeros(MARIADB_FILLER_LENGTH);
        w.int4(Capabilities.has(capabilities, Capabilities.CLIENT_MYSQL) ? 0 : capabilities >>> 32);
    }
}
