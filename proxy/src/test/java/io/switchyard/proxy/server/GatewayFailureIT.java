package io.switchyard.proxy.server;

import io.switchyard.sandbox.MariaDbServer;
import io.switchyard.sandbox.Sandbox;
import io.switchyard.sandbox.Sandboxed;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** A backend that goes away, a broken client, and the mariadb command-line client. */
@Sandboxed("commerce:0+1")
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class GatewayFailureIT {
    private static final String KEYSPACES = """
            keyspaces:
              - name: commerce
                shards:
                  - name: "0"
                    primary: ${sandbox:commerce/0/primary}
                    replicas: ["${sandbox:commerce/0/replica/1}"]
            """;

    private final Sandbox sandbox;
    private GatewayFixture gateway;

    GatewayFailureIT(Sandbox sandbox) {
        this.sandbox = sandbox;
    }

    @BeforeAll
    void start() throws Exception {
        gateway = GatewayFixture.start(sandbox, KEYSPACES, LocalCommands.NONE, GatewayServer.Options.defaults());
    }

    @AfterAll
    void stop() {
        if (gateway != null) {
            gateway.close();
        }
    }

    @Test
    void aDownBackendGivesAPromptErrorNamingKeyspaceAndShard() throws Exception {
        MariaDbServer replica = sandbox.replicas("commerce", "0").get(0);
        replica.stop();
        try {
            long started = System.nanoTime();
            SQLException e = assertThrows(SQLException.class, () -> {
                try (Connection c = gateway.mariadb("commerce@replica", "app", "app");
                     Statement s = c.createStatement()) {
                    s.executeQuery("SELECT 1");
                }
            });
            long millis = (System.nanoTime() - started) / 1_000_000;
            assertTrue(millis < 5_000, "error after " + millis + " ms");
            String messages = messages(e);
            assertTrue(messages.contains("commerce") && messages.contains(replica.address()), messages);
            // The primary and its sessions are untouched.
            try (Connection c = gateway.mariadb("commerce", "app", "app"); Statement s = c.createStatement();
                 ResultSet rs = s.executeQuery("SELECT 1")) {
                assertTrue(rs.next());
            }
        } finally {
            replica.start();
        }
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (true) {
            try (Connection c = gateway.mariadb("commerce@replica", "app", "app"); Statement s = c.createStatement();
                 ResultSet rs = s.executeQuery("SELECT @@server_id")) {
                assertTrue(rs.next());
                assertEquals(replica.serverId(), rs.getLong(1));
                break;
            } catch (SQLException e) {
                if (System.nanoTime() > deadline) {
                    throw e;
                }
                Thread.sleep(200);
            }
        }
    }

    @Test
    void aMalformedClientIsDroppedWithoutHarmingOthers() throws Exception {
        try (Connection healthy = gateway.mariadb("commerce", "app", "app"); Socket raw = new Socket("127.0.0.1",
                gateway.port())) {
            raw.setSoTimeout(5_000);
            InputStream in = raw.getInputStream();
            readPacket(in); // greeting
            OutputStream out = raw.getOutputStream();
            // A complete packet in the place of the handshake response, but only five bytes of garbage.
            out.write(new byte[] {5, 0, 0, 1, 1, 2, 3, 4, 5});
            out.flush();
            byte[] reply = readPacket(in);
            assertEquals((byte) 0xFF, reply[0], "an ERR packet before the close");
            assertEquals(-1, in.read(), "then the gateway closes the connection");
            try (Statement s = healthy.createStatement(); ResultSet rs = s.executeQuery("SELECT 1")) {
                assertTrue(rs.next());
            }
        }
    }

    @Test
    void theMariadbCommandLineClientWorksThroughTheGateway() throws Exception {
        Process p = new ProcessBuilder("mariadb", "-h127.0.0.1", "-P" + gateway.port(), "-uapp", "-papp",
                "--skip-ssl", "-N", "-B", "commerce", "-e", "SELECT 40 + 2; SHOW DATABASES")
                .redirectErrorStream(true).start();
        String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(30, TimeUnit.SECONDS));
        assertEquals(0, p.exitValue(), output);
        assertEquals("42\ncommerce\n", output);
    }

    @Test
    void aPacketOverTheConfiguredMaximumIsRefusedAndTheConnectionClosed() throws Exception {
        try (GatewayFixture small = GatewayFixture.start(sandbox, "listeners: {max_packet_size: 1024}\n" + KEYSPACES,
                LocalCommands.NONE, GatewayServer.Options.defaults());
             RawClient raw = new RawClient(small.port(), "root", "commerce")) {
            raw.send((byte) 0x03, ("SELECT '" + "x".repeat(2000) + "'").getBytes(StandardCharsets.UTF_8));
            byte[] reply = raw.readPacket();
            assertEquals((byte) 0xFF, reply[0]);
            assertEquals(1153, (reply[1] & 0xFF) | (reply[2] & 0xFF) << 8);
            assertEquals(-1, raw.in.read(), "the connection is closed after the error");
        }
    }

    /** The driver wraps the server's error in its own when it fails during its connect-time statements. */
    private static String messages(Throwable e) {
        StringBuilder all = new StringBuilder();
        for (Throwable t = e; t != null; t = t.getCause()) {
            all.append(t.getMessage()).append(" | ");
        }
        return all.toString();
    }

    private static byte[] readPacket(InputStream in) throws Exception {
        byte[] header = in.readNBytes(4);
        assertEquals(4, header.length, "packet header");
        int length = (header[0] & 0xFF) | (header[1] & 0xFF) << 8 | (header[2] & 0xFF) << 16;
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        body.write(in.readNBytes(length));
        return body.toByteArray();
    }
}
