package io.switchyard.proxy.server;

import io.prometheus.metrics.model.snapshots.CounterSnapshot;
import io.prometheus.metrics.model.snapshots.MetricSnapshot;
import io.switchyard.sandbox.Sandbox;
import io.switchyard.sandbox.Sandboxed;
import org.junit.jupiter.api.Test;

import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** A client that stops reading must not make the gateway buffer the result: reading from the backend pauses. */
@Sandboxed("commerce:0")
class GatewayBackpressureIT {
    private static final int ROWS = 300_000;
    /** At least this much: every row is a 1000-byte value plus its length and packet header. */
    private static final long RESULT_BYTES = ROWS * 1000L;

    @Test
    void aStalledClientStallsTheBackendInsteadOfFillingTheGateway(Sandbox sandbox) throws Exception {
        try (GatewayFixture gateway = GatewayFixture.start(sandbox, """
                keyspaces:
                  - name: commerce
                    shards:
                      - name: "0"
                        primary: ${sandbox:commerce/0/primary}
                """, LocalCommands.NONE, GatewayServer.Options.defaults());
             Socket client = new Socket("127.0.0.1", gateway.port())) {
            client.setReceiveBufferSize(64 * 1024);
            InputStream in = client.getInputStream();
            OutputStream out = client.getOutputStream();
            readPacket(in); // greeting
            out.write(handshakeResponse("commerce"));
            out.flush();
            byte[] ok = readPacket(in);
            assertEquals(0, ok[0], "authenticated as root");

            // ~300 MB of rows from MariaDB's sequence engine; then read nothing for a while.
            byte[] sql = ("SELECT REPEAT('x', 1000) FROM seq_1_to_" + ROWS).getBytes(StandardCharsets.UTF_8);
            out.write(packet(0, concat(new byte[] {0x03}, sql)));
            out.flush();
            Thread.sleep(3000);
            double sentWhileStalled = bytesSent(gateway);
            assertTrue(sentWhileStalled < RESULT_BYTES / 10, "the gateway took " + sentWhileStalled
                    + " bytes of a " + RESULT_BYTES + "-byte result while the client read nothing");

            // The backend waits on its socket, and the whole result still arrives once the client reads.
            long received = 0;
            byte[] buffer = new byte[1 << 16];
            client.setSoTimeout(60_000);
            while (received < RESULT_BYTES) {
                int n = in.read(buffer);
                assertTrue(n > 0, "the result ended early after " + received + " bytes");
                received += n;
            }
        }
        try (Connection c = java.sql.DriverManager.getConnection(sandbox.primary("commerce", "0").jdbcUrl());
             Statement s = c.createStatement(); ResultSet rs = s.executeQuery("SELECT 1")) {
            assertTrue(rs.next());
        }
    }

    private static double bytesSent(GatewayFixture gateway) {
        for (MetricSnapshot snapshot : gateway.registry.scrape()) {
            if (snapshot.getMetadata().getName().equals("switchyard_client_bytes_sent")) {
                return ((CounterSnapshot) snapshot).getDataPoints().get(0).getValue();
            }
        }
        throw new AssertionError("no switchyard_client_bytes_sent metric");
    }

    /** A HandshakeResponse41 for a user without password (root), protocol 41, no TLS. */
    private static byte[] handshakeResponse(String database) {
        byte[] user = "root".getBytes(StandardCharsets.UTF_8);
        byte[] db = database.getBytes(StandardCharsets.UTF_8);
        int caps = 0x00000200 | 0x00008000 | 0x00000008 | 0x00080000 | 0x00020000; // 41, secure, db, plugin, multi
        byte[] plugin = "mysql_native_password".getBytes(StandardCharsets.UTF_8);
        byte[] body = new byte[4 + 4 + 1 + 23 + user.length + 1 + 1 + db.length + 1 + plugin.length + 1];
        int i = 0;
        i = le(body, i, caps, 4);
        i = le(body, i, 1 << 24, 4);
        body[i++] = 45;
        i += 23;
        System.arraycopy(user, 0, body, i, user.length);
        i += user.length + 1;
        body[i++] = 0; // empty auth response
        System.arraycopy(db, 0, body, i, db.length);
        i += db.length + 1;
        System.arraycopy(plugin, 0, body, i, plugin.length);
        return packet(1, body);
    }

    private static int le(byte[] b, int at, int value, int n) {
        for (int k = 0; k < n; k++) {
            b[at + k] = (byte) (value >>> (8 * k));
        }
        return at + n;
    }

    private static byte[] packet(int sequence, byte[] payload) {
        byte[] out = new byte[payload.length + 4];
        le(out, 0, payload.length, 3);
        out[3] = (byte) sequence;
        System.arraycopy(payload, 0, out, 4, payload.length);
        return out;
    }

    private static byte[] concat(byte[] a, byte[] b) {
        byte[] out = new byte[a.length + b.length];
        System.arraycopy(a, 0, out, 0, a.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }

    private static byte[] readPacket(InputStream in) throws Exception {
        byte[] header = in.readNBytes(4);
        int length = (header[0] & 0xFF) | (header[1] & 0xFF) << 8 | (header[2] & 0xFF) << 16;
        return in.readNBytes(length);
    }
}
