package io.switchyard.proxy.packet.handshake;

import io.switchyard.proxy.codec.Capabilities;
import io.switchyard.proxy.codec.MySqlError;
import io.switchyard.proxy.codec.PacketReader;
import io.switchyard.proxy.codec.PacketWriter;
import io.switchyard.proxy.packet.MySqlPacket;

import java.util.Arrays;
import java.util.Objects;

/**
 * Protocol::HandshakeV10, the server greeting
 * (https://dev.mysql.com/doc/dev/mysql-server/latest/page_protocol_connection_phase_packets_protocol_handshake_v10.html).
 * The gateway writes it to applications and reads it from backends.
 *
 * <p>{@code authPluginData} is the whole nonce (normally 20 bytes) without the NUL that follows it on the wire; the
 * first 8 bytes travel in part 1, the rest in part 2. {@code capabilities} holds the 32 MySQL bits and, when the
 * server is MariaDB (CLIENT_MYSQL clear), MariaDB's extended capabilities in bits 32..63, which travel in the last 4
 * of the 10 reserved bytes. {@code authPluginName} is null only for a server without CLIENT_PLUGIN_AUTH. The byte
 * array is not copied: treat it as immutable.
 *
 * <p>The layout of the packet does not depend on negotiated capabilities, so {@link #read(PacketReader)} takes none
 * and the {@code capabilities} argument of {@link #length}/{@link #write} is ignored in favour of the field.
 */
public record HandshakeV10(String serverVersion, long connectionId, byte[] authPluginData, long capabilities,
        int characterSet, int statusFlags, String authPluginName) implements MySqlPacket {
    public static final int PROTOCOL_VERSION = 10;
    private static final int PART1_LENGTH = 8;
    private static final int MIN_PART2_LENGTH = 13;
    private static final int RESERVED_LENGTH = 10;
    /** Its length + 1 (the NUL) must fit in the int&lt;1&gt; auth-plugin-data length. */
    private static final int MAX_AUTH_DATA_LENGTH = 254;

    public HandshakeV10 {
        Objects.requireNonNull(serverVersion, "serverVersion");
        Objects.requireNonNull(authPluginData, "authPluginData");
        if (authPluginData.length < PART1_LENGTH || authPluginData.length > MAX_AUTH_DATA_LENGTH) {
            throw new IllegalArgumentException("auth plugin data must be 8..254 bytes, was " + authPluginData.length);
        }
        if (connectionId < 0 || connectionId > 0xFFFFFFFFL) {
            throw new IllegalArgumentException("connection id must fit in int<4>, was " + connectionId);
        }
        if (characterSet < 0 || characterSet > 0xFF || statusFlags < 0 || statusFlags > 0xFFFF) {
            throw new IllegalArgumentException("character set must fit in int<1> and status in int<2>, were "
                    + characterSet + " and " + statusFlags);
        }
        if (authPluginName == null && Capabilities.has(capabilities, Capabilities.CLIENT_PLUGIN_AUTH)) {
            throw new IllegalArgumentException("CLIENT_PLUGIN_AUTH needs an auth plugin name");
        }
    }

    public static HandshakeV10 read(PacketReader r) {
        int protocol = r.int1();
        if (protocol != PROTOCOL_VERSION) {
            throw MySqlError.ER_HANDSHAKE_ERROR.exception();
        }
        String serverVersion = r.nulString();
        long connectionId = r.int4();
        byte[] data = r.fixedBytes(PART1_LENGTH);
        r.skip(1); // filler
        long capabilities = r.int2();
        if (!r.hasRemaining()) {
            return new HandshakeV10(serverVersion, connectionId, data, capabilities, 0, 0, null);
        }
        int characterSet = r.int1();
        int statusFlags = r.int2();
        capabilities |= (long) r.int2() << 16;
        int authDataLength = r.int1();
        r.skip(RESERVED_LENGTH - 4);
        long extended = r.int4();
        if (!Capabilities.has(capabilities, Capabilities.CLIENT_MYSQL)) {
            capabilities |= extended << 32;
        }
        if (Capabilities.has(capabilities, Capabilities.CLIENT_SECURE_CONNECTION)) {
            int part2Length = Math.min(Math.max(MIN_PART2_LENGTH, authDataLength - PART1_LENGTH), r.remaining());
            byte[] part2 = r.fixedBytes(part2Length);
            int end = 0;
            while (end < part2.length && part2[end] != 0) {
                end++;
            }
            if (PART1_LENGTH + end > MAX_AUTH_DATA_LENGTH) {
                throw MySqlError.ER_MALFORMED_PACKET.exception("auth plugin data of " + (PART1_LENGTH + end)
                        + " bytes");
            }
            data = concat(data, part2, end);
        }
        String plugin = null;
        if (Capabilities.has(capabilities, Capabilities.CLIENT_PLUGIN_AUTH)) {
            // MySQL 5.5.7..5.5.9 omitted the NUL after the plugin name (Bug#59453).
            plugin = r.nulOrEofString();
        }
        return new HandshakeV10(serverVersion, connectionId, data, capabilities, characterSet, statusFlags, plugin);
    }

    @Override
    public int length(long ignored) {
        int length = 1 // protocol version
                + PacketWriter.nulStringLength(serverVersion)
                + 4 // connection id
                + PART1_LENGTH // auth-plugin-data-part-1
                + 1 // filler
                + 2 // capability flags, lower
                + 1 // character set
                + 2 // status flags
                + 2 // capability flags, upper
                + 1 // auth plugin data length
                + RESERVED_LENGTH;
        if (Capabilities.has(capabilities, Capabilities.CLIENT_SECURE_CONNECTION)) {
            length += part2Length(); // auth-plugin-data-part-2, NUL, padding
        }
        if (Capabilities.has(capabilities, Capabilities.CLIENT_PLUGIN_AUTH)) {
            length += PacketWriter.nulStringLength(authPluginName);
        }
        return length;
    }

    @Override
    public void write(PacketWriter w, long ignored) {
        w.int1(PROTOCOL_VERSION).nulString(serverVersion).int4(connectionId);
        w.bytes(Arrays.copyOf(authPluginData, PART1_LENGTH)).int1(0);
        w.int2((int) (capabilities & 0xFFFF)).int1(characterSet).int2(statusFlags);
        w.int2((int) ((capabilities >>> 16) & 0xFFFF));
        w.int1(Capabilities.has(capabilities, Capabilities.CLIENT_PLUGIN_AUTH) ? authPluginData.length + 1 : 0);
        w.zeros(RESERVED_LENGTH - 4);
        w.int4(Capabilities.has(capabilities, Capabilities.CLIENT_MYSQL) ? 0 : capabilities >>> 32);
        if (Capabilities.has(capabilities, Capabilities.CLIENT_SECURE_CONNECTION)) {
            int rest = authPluginData.length - PART1_LENGTH;
            w.bytes(Arrays.copyOfRange(authPluginData, PART1_LENGTH, authPluginData.length));
            w.zeros(part2Length() - rest);
        }
        if (Capabilities.has(capabilities, Capabilities.CLIENT_PLUGIN_AUTH)) {
            w.nulString(authPluginName);
        }
    }

    private int part2Length() {
        return Math.max(MIN_PART2_LENGTH, authPluginData.length - PART1_LENGTH + 1);
    }

    private static byte[] concat(byte[] first, byte[] second, int secondLength) {
        byte[] all = Arrays.copyOf(first, first.length + secondLength);
        System.arraycopy(second, 0, all, first.length, secondLength);
        return all;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof HandshakeV10 other && serverVersion.equals(other.serverVersion)
                && connectionId == other.connectionId && Arrays.equals(authPluginData, other.authPluginData)
                && capabilities == other.capabilities && characterSet == other.characterSet
                && statusFlags == other.statusFlags && Objects.equals(authPluginName, other.authPluginName);
    }

    @Override
    public int hashCode() {
        return Objects.hash(serverVersion, connectionId, capabilities, characterSet, statusFlags, authPluginName)
                * 31 + Arrays.hashCode(authPluginData);
    }

    @Override
    public String toString() {
        return "HandshakeV10[serverVersion=" + serverVersion + ", connectionId=" + connectionId
                + ", capabilities=" + Capabilities.names(capabilities) + ", characterSet=" + characterSet
                + ", statusFlags=" + statusFlags + ", authPluginName=" + authPluginName + "]";
    }
}
