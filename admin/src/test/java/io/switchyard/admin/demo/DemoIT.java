package io.switchyard.admin.demo;

import io.switchyard.config.SwitchyardConfig;
import io.switchyard.sandbox.MariaDbServer;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import io.switchyard.proxy.server.GatewayServer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The demo cluster as `./switchyard demo` starts it: servers, schema, sample rows, replication, clean stop. */
class DemoIT {
    @Test
    void startsTheWholeDemoClusterAndRemovesItOnClose() throws Exception {
        ByteArrayOutputStream printed = new ByteArrayOutputStream();
        Demo demo = new Demo(new PrintStream(printed, true, StandardCharsets.UTF_8));
        Path baseDir;
        List<MariaDbServer> servers;
        try (Demo.Running running = demo.start(GatewayServer.Options.defaults().withPort(0), Optional.of(0))) {
            baseDir = running.sandbox().baseDir();
            servers = running.sandbox().servers();
            SwitchyardConfig config = running.config();
            assertEquals(List.of("commerce", "customer"),
                    config.keyspaces().stream().map(k -> k.name()).toList());
            assertEquals(7, servers.size());

            MariaDbServer primary = running.sandbox().primary("commerce", "0");
            assertEquals(config.keyspace("commerce").orElseThrow().shards().get(0).primary().toString(),
                    primary.address());
            assertEquals(List.of(List.of("5")), primary.query("SELECT COUNT(*) FROM commerce.customer"));
            assertEquals(List.of(List.of("2")), primary.query("SELECT COUNT(*) FROM commerce.product"));
            assertEquals(List.of(List.of("5")), primary.query("SELECT COUNT(*) FROM commerce.corder"));
            assertEquals(List.of(List.of("0", "1000", "100")),
                    primary.query("SELECT id, next_id, cache FROM commerce.customer_seq"));

            primary.execute("INSERT INTO commerce.customer (email) VALUES ('demo-it@domain.com')");
            MariaDbServer replica = running.sandbox().replicas("commerce", "0").get(0);
            awaitRows(replica, "SELECT email FROM commerce.customer WHERE email = 'demo-it@domain.com'", 1);

            // Through the gateway: the same rows, and the admin command for root.
            String url = "jdbc:mariadb://127.0.0.1:" + running.gateway().mysqlAddress().getPort() + "/commerce";
            try (Connection c = DriverManager.getConnection(url + "?user=root&password=");
                 Statement s = c.createStatement();
                 ResultSet rs = s.executeQuery("SELECT COUNT(*) FROM customer")) {
                assertTrue(rs.next());
                assertEquals(6, rs.getInt(1));
            }

            demo.printBanner(running);
            String banner = printed.toString(StandardCharsets.UTF_8);
            for (MariaDbServer server : servers) {
                assertTrue(banner.contains(server.address()), "banner lists " + server.address() + ":\n" + banner);
            }
            assertTrue(banner.contains("mariadb -h127.0.0.1 -P" + primary.port() + " -uroot commerce"), banner);
            assertTrue(banner.contains("mariadb -h127.0.0.1 -P" + running.gateway().mysqlAddress().getPort()
                    + " -uroot commerce"), banner);
        }
        assertFalse(Files.exists(baseDir), "the sandbox directory is removed: " + baseDir);
        for (MariaDbServer server : servers) {
            assertFalse(server.isRunning(), server + " is stopped");
        }
    }

    private static void awaitRows(MariaDbServer server, String sql, int expected) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        while (server.query(sql).size() != expected) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError(server + " never showed " + expected + " row(s) for " + sql);
            }
            Thread.sleep(50);
        }
    }
}
