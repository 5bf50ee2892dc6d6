package io.switchyard.proxy.packet.handshake;

import io.switchyard.proxy.codec.PacketReader;
import io.switchyard.proxy.codec.PacketWriter;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The CLIENT_CONNECT_ATTRS block of HandshakeResponse41 and COM_CHANGE_USER: the total length as a lenenc integer,
 * then length-encoded key and value strings ({@code _client_name}, {@code _os}, {@code program_name}, ...).
 */
public final class ConnectAttributes {
    private ConnectAttributes() {
    }

    /** Reads the block into an unmodifiable map in wire order. */
    public static Map<String, String> read(PacketReader r) {
        Map<String, String> attributes = new LinkedHashMap<>();
        PacketReader block = new PacketReader(r.lenencSlice());
        while (block.hasRemaining()) {
            String key = block.lenencString();
            attributes.put(key, block.lenencString());
        }
        return Collections.unmodifiableMap(attributes);
    }

    /** Encoded size of the block, its length prefix included. */
    public static int length(Map<String, String> attributes) {
        return PacketWriter.lenencLength(contentLength(attributes));
    }

    public static void write(PacketWriter w, Map<String, String> attributes) {
        w.lenencInt(contentLength(attributes));
        attributes.forEach((key, value) -> w.lenencString(key).lenencString(value));
    }

    private static int contentLength(Map<String, String> attributes) {
        int length = 0;
        for (Map.Entry<String, String> e : attributes.entrySet()) {
            length += PacketWriter.lenencStringLength(e.getKey()) + PacketWriter.lenencStringLength(e.getValue());
        }
        return length;
    }
}
