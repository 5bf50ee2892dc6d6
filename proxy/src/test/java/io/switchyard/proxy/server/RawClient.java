package io.switchyard.proxy.server;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * A minimal MySQL client over a plain socket, for tests that must control each byte: it logs in as a user without a
 * password (protocol 41, no DEPRECATE_EOF, so result sets end with EOF packets) and sends raw commands.
 */
final class RawClient implements AutoCloseable {
    static final int CLIENT_CAPS = 0x00000200 | 0x00008000 | 0x00000008 | 0x00080000 | 0x00020000;

    final Socket socket;
    final InputStream in;
    final OutputStream out;

    RawClient(int port, String user, String database) throws IOException {
        socket = new Socket("127.0.0.1", port);
        socket.setSoTimeout(30_000);
        in = socket.getInputStream();
        out = socket.getOutputStream();
        readPacket(); // greeting
        out.write(packet(1, handshakeResponse(user, database)));
        out.flush();
        byte[] ok = readPacket();
        if (ok[0] != 0) {
            throw new IOException("login refused: " + new String(ok, StandardCharsets.UTF_8));
        }
    }

    /** Sends a command payload (command byte first) with sequence id 0. */
    void send(byte command, byte[] argument) throws IOException {
        byte[] payload = new byte[argument.length + 1];
        payload[0] = command;
        System.arraycopy(argument, 0, payload, 1, argument.length);
        out.write(packet(0, payload));
        out.flush();
    }

    /** COM_QUERY; returns the first column of each row (null for SQL NULL), or throws on ERR. */
    List<String> query(String sql) throws IOException {
        send((byte) 0x03, sql.getBytes(StandardCharsets.UTF_8));
        byte[] first = readPacket();
        if ((first[0] & 0xFF) == 0xFF) {
            throw new IOException("ERR " + new String(first, 9, first.length - 9, StandardCharsets.UTF_8));
        }
        List<String> values = new ArrayList<>();
        if (first[0] == 0) {
            return values; // OK: no result set
        }
        int columns = first[0] & 0xFF;
        for (int i = 0; i < columns; i++) {
            readPacket();
        }
        readPacket(); // EOF after the definitions
        for (byte[] row = readPacket(); !((row[0] & 0xFF) == 0xFE && row.length < 9); row = readPacket()) {
            values.add((row[0] & 0xFF) == 0xFB ? null : new String(row, 1, row[0] & 0xFF, StandardCharsets.UTF_8));
        }
        return values;
    }

    byte[] readPacket() throws IOException {
        byte[] header = in.readNBytes(4);
        if (header.length < 4) {
            throw new IOException("connection closed");
        }
        int length = (header[0] & 0xFF) | (header[1] & 0xFF) << 8 | (header[2] & 0xFF) << 16;
        return in.readNBytes(length);
    }

    static byte[] packet(int sequence, byte[] payload) {
        byte[] framed = new byte[payload.length + 4];
        framed[0] = (byte) payload.length;
        framed[1] = (byte) (payload.length >>> 8);
        framed[2] = (byte) (payload.length >>> 16);
        framed[3] = (byte) sequence;
        System.arraycopy(payload, 0, framed, 4, payload.length);
        return framed;
    }

    private static byte[] handshakeResponse(String user, String database) {
        byte[] name = user.getBytes(StandardCharsets.UTF_8);
        byte[] db = database.getBytes(StandardCharsets.UTF_8);
        byte[] plugin = "mysql_native_password".getBytes(StandardCharsets.UTF_8);
        byte[] body = new byte[4 + 4 + 1 + 23 + name.length + 1 + 1 + db.length + 1 + plugin.length + 1];
        int i = 0;
        for (int k = 0; k < 4; k++) {
            body[i++] = (byte) (CLIENT_CAPS >>> (8 * k));
        }
        body[i + 3] = 1; // max packet 16 MiB (little endian 0x01000000)
        i += 4;
        body[i++] = 45;
        i += 23;
        System.arraycopy(name, 0, body, i, name.length);
        i += name.length + 1;
        body[i++] = 0; // empty auth response: no password
        System.arraycopy(db, 0, body, i, db.length);
        i += db.length + 1;
        System.arraycopy(plugin, 0, body, i, plugin.length);
        return body;
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }
}
