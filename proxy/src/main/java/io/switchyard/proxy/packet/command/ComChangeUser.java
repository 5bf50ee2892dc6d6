package io.switchyard.proxy.packet.command;

import io.switchyard.proxy.codec.Capabilities;
import io.switchyard.proxy.codec.CommandType;
import io.switchyard.proxy.codec.PacketReader;
import io.switchyard.proxy.codec.PacketWriter;
import io.switchyard.proxy.packet.MySqlPacket;
import io.switchyard.proxy.packet.handshake.ConnectAttributes;

import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * COM_CHANGE_USER: re-authenticate as another user and reset the session (Connector/J {@code changeUser}, PHP
 * persistent connections); the server answers like a handshake: OK, ERR or an AuthSwitchRequest
 * (https://dev.mysql.com/doc/dev/mysql-server/latest/page_protocol_com_change_user.html).
 *
 * <p>{@code capabilities} are the session's effective ones. Fields after the schema are optional on the wire:
 * {@code characterSet} reads as 0 and {@code authPluginName} as null when absent; write always emits the character
 * set. The byte array is not copied: treat it as immutable.
 */
public record ComChangeUser(String username, byte[] authResponse, String schema, int characterSet,
        String authPluginName, Map<String, String> connectAttributes) implements MySqlPacket {

    public ComChangeUser {
        Objects.requireNonNull(username, "username");
        Objects.requireNonNull(authResponse, "authResponse");
        Objects.requireNonNull(schema, "schema");
        connectAttributes = Collections.unmodifiableMap(new LinkedHashMap<>(connectAttributes));
        if (characterSet < 0 || characterSet > 0xFFFF) {
            throw new IllegalArgumentException("character set must fit in int<2>, was " + characterSet);
        }
    }

    public static ComChangeUser read(PacketReader r, long capabilities) {
        Commands.readCommand(r, CommandType.COM_CHANGE_USER);
        String username = r.nulString();
        byte[] authResponse = Capabilities.has(capabilities, Capabilities.CLIENT_SECURE_CONNECTION)
                ? r.fixedBytes(r.int1()) : r.nulBytes();
        String schema = r.nulString();
        int characterSet = 0;
        String plugin = null;
        Map<String, String> attributes = Map.of();
        if (r.remaining() >= 2) {
            characterSet = r.int2();
            if (Capabilities.has(capabilities, Capabilities.CLIENT_PLUGIN_AUTH) && r.hasRemaining()) {
                plugin = r.nulOrEofString();
            }
            if (Capabilities.has(capabilities, Capabilities.CLIENT_CONNECT_ATTRS) && r.hasRemaining()) {
                attributes = ConnectAttributes.read(r);
            }
        }
        return new ComChangeUser(username, authResponse, schema, characterSet, plugin, attributes);
    }

    @Override
    public int length(long capabilities) {
        int length = 1 // command
                + PacketWriter.nulStringLength(username)
                + 1 // auth response length (SECURE_CONNECTION) or its NUL terminator
                + authResponse.length
                + PacketWriter.nulStringLength(schema)
                + 2; // character set
        if (Capabilities.has(capabilities, Capabilities.CLIENT_PLUGIN_AUTH)) {
            length += PacketWriter.nulStringLength(authPluginName == null ? "" : authPluginName);
        }
        if (Capabilities.has(capabilities, Capabilities.CLIENT_CONNECT_ATTRS)) {
            length += ConnectAttributes.length(connectAttributes);
        }
        return length;
    }

    @Override
    public void write(PacketWriter w, long capabilities) {
        w.int1(CommandType.COM_CHANGE_USER.code()).nulString(username);
        if (Capabilities.has(capabilities, Capabilities.CLIENT_SECURE_CONNECTION)) {
            if (authResponse.length > 0xFF) {
                throw new IllegalStateException("auth response of " + authResponse.length + " bytes is too long");
            }
            w.int1(authResponse.length).bytes(authResponse);
        } else {
            w.bytes(authResponse).int1(0);
        }
        w.nulString(schema).int2(characterSet);
        if (Capabilities.has(capabilities, Capabilities.CLIENT_PLUGIN_AUTH)) {
            w.nulString(authPluginName == null ? "" : authPluginName);
        }
        if (Capabilities.has(capabilities, Capabilities.CLIENT_CONNECT_ATTRS)) {
            ConnectAttributes.write(w, connectAttributes);
        }
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof ComChangeUser other && username.equals(other.username)
                && Arrays.equals(authResponse, other.authResponse) && schema.equals(other.schema)
                && characterSet == other.characterSet && Objects.equals(authPluginName, other.authPluginName)
                && connectAttributes.equals(other.connectAttributes);
    }

    @Override
    public int hashCode() {
        return Objects.hash(username, schema, characterSet, authPluginName, connectAttributes) * 31
                + Arrays.hashCode(authResponse);
    }

    @Override
    public String toString() {
        return "ComChangeUser[username=" + username + ", authResponse=" + authResponse.length + " bytes, schema="
                + schema + ", characterSet=" + characterSet + ", authPluginName=" + authPluginName
                + ", connectAttributes=" + connectAttributes + "]";
    }
}
