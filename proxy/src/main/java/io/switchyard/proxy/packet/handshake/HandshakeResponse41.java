package io.switchyard.proxy.packet.handshake;

import io.netty.buffer.ByteBuf;
import io.switchyard.proxy.codec.Capabilities;
import io.switchyard.proxy.codec.MySqlError;
import io.switchyard.proxy.codec.PacketReader;
import io.switchyard.proxy.codec.PacketWriter;
import io.switchyard.proxy.packet.MySqlPacket;

import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * Protocol::HandshakeResponse41, the client's answer to the greeting
 * (https://dev.mysql.com/doc/dev/mysql-server/latest/page_protocol_connection_phase_packets_protocol_handshake_response.html).
 * The gateway reads it from applications and writes it to backends.
 *
 * <p>{@code capabilities} is the client's flag field as sent (MariaDB extended capabilities in bits 32..63, from the
 * last 4 filler bytes, when the client clears CLIENT_MYSQL). The optional fields are laid out according to the
 * client's flags intersected with the server's, which is the {@code serverCapabilities} argument of read and write.
 * {@code database} and {@code authPluginName} are null when absent; trailing optional fields a client flags but
 * leaves out are tolerated as absent, as the MySQL server does. The byte array is not copied: treat it as immutable.
 * Pre-4.1 clients (no CLIENT_PROTOCOL_41) are refused with ER_NOT_SUPPORTED_AUTH_MODE.
 */
public record HandshakeResponse41(long capabilities, long maxPacketSize, int characterSet, String username,
        byte[] authResponse, String database, String authPluginName, Map<String, String> connectAttributes)
        implements MySqlPacket {
    static final int FILLER_LENGTH = 23;

    public HandshakeResponse41 {
        Objects.requireNonNull(username, "username");
        Objects.requireNonNull(authResponse, "authResponse");
        connectAttributes = Collections.unmodifiableMap(new LinkedHashMap<>(connectAttributes));
        if (characterSet < 0 || characterSet > 0xFF) {
            throw new IllegalArgumentException("character set must fit in int<1>, was " + characterSet);
        }
    }

    /** True if this payload is the 32-byte {@link SslRequest} rather than a full handshake response. */
    public static boolean isSslRequest(ByteBuf payload) {
        return payload.readableBytes() == SslRequest.LENGTH
                && (payload.getIntLE(payload.readerIndex()) & Capabilities.CLIENT_SSL) != 0;
    }

    public static HandshakeResponse41 read(PacketReader r, long serverCapabilities) {
        long capabilities = SslRequest.readCapabilities(r);
        long maxPacketSize = r.int4();
        int characterSet = r.int1();
        capabilities = SslRequest.readFiller(r, capabilities);
        long effective = capabilities & serverCapabilities;
        String username = r.nulString();
        byte[] authResponse;
        if (Capabilities.has(effective, Capabilities.CLIENT_PLUGIN_AUTH_LENENC_CLIENT_DATA)) {
            authResponse = r.lenencBytes();
        } else if (Capabilities.has(effective, Capabilities.CLIENT_SECURE_CONNECTION)) {
            authResponse = r.fixedBytes(r.int1());
        } else {
            authResponse = r.nulBytes();
        }
        String database = null;
        if (Capabilities.has(effective, Capabilities.CLIENT_CONNECT_WITH_DB) && r.hasRemaining()) {
            database = r.nulOrEofString();
        }
        String plugin = null;
        if (Capabilities.has(effective, Capabilities.CLIENT_PLUGIN_AUTH) && r.hasRemaining()) {
            plugin = r.nulOrEofString();
        }
        Map<String, String> attributes = Map.of();
        if (Capabilities.has(effective, Capabilities.CLIENT_CONNECT_ATTRS) && r.hasRemaining()) {
            attributes = ConnectAttributes.read(r);
        }
        // Then int<1> zstd level with CLIENT_ZSTD_COMPRESSION_ALGORITHM, which the gateway never negotiates.
        return new HandshakeResponse41(capabilities, maxPacketSize, characterSet, username, authResponse, database,
                plugin, attributes);
    }

    @Override
    public int length(long serverCapabilities) {
        long effective = capabilities & serverCapabilities;
        int length = 4 // client flags
                + 4 // max packet size
                + 1 // character set
                + FILLER_LENGTH
                + PacketWriter.nulStringLength(username);
        if (Capabilities.has(effective, Capabilities.CLIENT_PLUGIN_AUTH_LENENC_CLIENT_DATA)) {
            length += PacketWriter.lenencLength(authResponse.length);
        } else if (Capabilities.has(effective, Capabilities.CLIENT_SECURE_CONNECTION)) {
            length += 1 + authResponse.length;
        } else {
            length += authResponse.length + 1;
        }
        if (Capabilities.has(effective, Capabilities.CLIENT_CONNECT_WITH_DB)) {
            length += PacketWriter.nulStringLength(database == null ? "" : database);
        }
        if (Capabilities.has(effective, Capabilities.CLIENT_PLUGIN_AUTH)) {
            length += PacketWriter.nulStringLength(authPluginName == null ? "" : authPluginName);
        }
        if (Capabilities.has(effective, Capabilities.CLIENT_CONNECT_ATTRS)) {
            length += ConnectAttributes.length(connectAttributes);
        }
        return length;
    }

    @Override
    public void write(PacketWriter w, long serverCapabilities) {
        long effective = capabilities & serverCapabilities;
        w.int4(capabilities).int4(maxPacketSize).int1(characterSet);
        SslRequest.writeFiller(w, capabilities);
        w.nulString(username);
        if (Capabilities.has(effective, Capabilities.CLIENT_PLUGIN_AUTH_LENENC_CLIENT_DATA)) {
            w.lenencBytes(authResponse);
        } else if (Capabilities.has(effective, Capabilities.CLIENT_SECURE_CONNECTION)) {
            if (authResponse.length > 0xFF) {
                throw new IllegalStateException("auth response of " + authResponse.length
                        + " bytes needs CLIENT_PLUGIN_AUTH_LENENC_CLIENT_DATA");
            }
            w.int1(authResponse.length).bytes(authResponse);
        } else {
            w.bytes(authResponse).int1(0);
        }
        if (Capabilities.has(effective, Capabilities.CLIENT_CONNECT_WITH_DB)) {
            w.nulString(database == null ? "" : database);
        }
        if (Capabilities.has(effective, Capabilities.CLIENT_PLUGIN_AUTH)) {
            w.nulString(authPluginName == null ? "" : authPluginName);
        }
        if (Capabilities.has(effective, Capabilities.CLIENT_CONNECT_ATTRS)) {
            ConnectAttributes.write(w, connectAttributes);
        }
    }

    /** Refuses pre-4.1 clients, whose HandshakeResponse320 and old password hashing the gateway does not speak. */
    static void requireProtocol41(long capabilities) {
        if (!Capabilities.has(capabilities, Capabilities.CLIENT_PROTOCOL_41)) {
            throw MySqlError.ER_NOT_SUPPORTED_AUTH_MODE.exception();
        }
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof HandshakeResponse41 other && capabilities == other.capabilities
                && maxPacketSize == other.maxPacketSize && characterSet == other.characterSet
                && username.equals(other.username) && Arrays.equals(authResponse, other.authResponse)
                && Objects.equals(database, other.database) && Objects.equals(authPluginName, other.authPluginName)
                && connectAttributes.equals(other.connectAttributes);
    }

    @Override
    public int hashCode() {
        return Objects.hash(capabilities, maxPacketSize, characterSet, username, database, authPluginName,
                connectAttributes) * 31 + Arrays.hashCode(authResponse);
    }

    @Override
    public String toString() {
        return "HandshakeResponse41[capabilities=" + Capabilities.names(capabilities) + ", maxPacketSize="
                + maxPacketSize + ", characterSet=" + characterSet + ", username=" + username + ", authResponse="
                + authResponse.length + " bytes, database=" + database + ", authPluginName=" + authPluginName
                + ", connectAttributes=" + connectAttributes + "]";
    }
}
