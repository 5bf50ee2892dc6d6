package io.switchyard.proxy.packet.handshake;

import io.switchyard.proxy.codec.MySqlError;
import io.switchyard.proxy.codec.PacketReader;
import io.switchyard.proxy.codec.PacketWriter;
import io.switchyard.proxy.packet.MySqlPacket;

import java.util.Arrays;
import java.util.Objects;

/**
 * Protocol::AuthSwitchRequest: the server asks the client to authenticate again with another plugin and nonce
 * (https://dev.mysql.com/doc/dev/mysql-server/latest/page_protocol_connection_phase_packets_protocol_auth_switch_request.html).
 * The client answers with the raw auth data of that plugin (no header byte).
 *
 * <p>MySQL and MariaDB send a 20-byte nonce followed by a NUL in {@code pluginData}; {@link #withSeed} and
 * {@link #seed()} add and remove that NUL. The pre-4.1 form (a lone 0xFE: switch to mysql_old_password) reads as
 * {@value #OLD_PASSWORD_PLUGIN} with no data. The byte array is not copied: treat it as immutable.
 */
public record AuthSwitchRequest(String pluginName, byte[] pluginData) implements MySqlPacket {
    public static final int HEADER = 0xFE;
    public static final String OLD_PASSWORD_PLUGIN = "mysql_old_password";

    public AuthSwitchRequest {
        Objects.requireNonNull(pluginName, "pluginName");
        Objects.requireNonNull(pluginData, "pluginData");
    }

    /** A switch to {@code pluginName} with the nonce {@code seed}, NUL-terminated as servers send it. */
    public static AuthSwitchRequest withSeed(String pluginName, byte[] seed) {
        return new AuthSwitchRequest(pluginName, Arrays.copyOf(seed, seed.length + 1));
    }

    /** The plugin data without its trailing NUL: the nonce to scramble the password with. */
    public byte[] seed() {
        int length = pluginData.length;
        return length > 0 && pluginData[length - 1] == 0 ? Arrays.copyOf(pluginData, length - 1) : pluginData.clone();
    }

    public static AuthSwitchRequest read(PacketReader r, long capabilities) {
        int header = r.int1();
        if (header != HEADER) {
            throw MySqlError.ER_MALFORMED_PACKET.exception(
                    "AuthSwitchRequest starts with 0x" + Integer.toHexString(header));
        }
        if (!r.hasRemaining()) {
            return new AuthSwitchRequest(OLD_PASSWORD_PLUGIN, new byte[0]);
        }
        String plugin = r.nulString();
        return new AuthSwitchRequest(plugin, r.restBytes());
    }

    @Override
    public int length(long capabilities) {
        return 1 + PacketWriter.nulStringLength(pluginName) + pluginData.length;
    }

    @Override
    public void write(PacketWriter w, long capabilities) {
        w.int1(HEADER).nulString(pluginName).bytes(pluginData);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof AuthSwitchRequest other && pluginName.equals(other.pluginName)
                && Arrays.equals(pluginData, other.pluginData);
    }

    @Override
    public int hashCode() {
        return pluginName.hashCode() * 31 + Arrays.hashCode(pluginData);
    }

    @Override
    public String toString() {
        return "AuthSwitchRequest[pluginName=" + pluginName + ", pluginData=" + pluginData.length + " bytes]";
    }
}
