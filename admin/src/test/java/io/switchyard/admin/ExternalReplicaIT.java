package io.switchyard.admin;

import io.switchyard.config.ConfigLoader;
import io.switchyard.config.SwitchyardConfig;
import io.switchyard.proxy.server.GatewayServer;
import io.switchyard.sandbox.MariaDbServer;
import io.switchyard.sandbox.Sandbox;
import io.switchyard.sandbox.Sandboxed;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;

import static io.switchyard.admin.SqlRows.rows;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * An external keyspace is served by the gateway as soon as it is created, {@code @replica} reads go to the replica
 * added with {@code ALTER EXTERNAL KEYSPACE ... ADD REPLICA} (seed 003, "Adding a replica host name") and back to
 * the primary when it is dropped, and dropping the keyspace closes the gateway's connections to the external
 * database. The sandbox's {@code ext} replica replicates from its primary, as a user's read replica would.
 */
@Sandboxed("commerce:0; ext:0+1; topology")
class ExternalReplicaIT {
    private static final String PASSWORD = "Replica-Test-Pw";

    @BeforeAll
    static void externalDatabase(Sandbox sandbox) throws Exception {
        sandbox.primary("ext", "0").execute(
                "CREATE TABLE ext.customer (id BIGINT PRIMARY KEY, email VARCHAR(64))",
                "INSERT INTO ext.customer VALUES (1, 'alice@example.com'), (2, 'bob@example.com')",
                "CREATE USER 'importer'@'%' IDENTIFIED BY '" + PASSWORD + "'",
                "GRANT REPLICATION SLAVE, REPLICATION CLIENT ON *.* TO 'importer'@'%'",
                "GRANT SELECT, INSERT, UPDATE, DELETE, LOCK TABLES ON ext.* TO 'importer'@'%'");
        MariaDbServer replica = sandbox.replicas("ext", "0").get(0);
        eventually("the replica has the rows", () -> replica.query("SELECT COUNT(*) FROM ext.customer")
                .equals(List.of(List.of("2"))));
    }

    @Test
    void replicaReadsFollowTheReplicaList(Sandbox sandbox) throws Exception {
        MariaDbServer primary = sandbox.primary("ext", "0");
        MariaDbServer replica = sandbox.replicas("ext", "0").get(0);
        String primaryId = primary.query("SELECT @@server_id").get(0).get(0);
        String replicaId = replica.query("SELECT @@server_id").get(0).get(0);
        try (Gateway gateway = start(sandbox); Connection admin = connect(gateway);
             Statement s = admin.createStatement()) {
            rows(s, "CREATE EXTERNAL KEYSPACE legacy HOST '127.0.0.1' PORT " + primary.port() + " DATABASE 'ext'"
                    + " USER 'importer' PASSWORD '" + PASSWORD + "' SSL MODE DISABLED");
            // Served at once (within a routing poll): applications can point at the gateway before any import.
            eventually("legacy is served", () -> serverId(gateway, "legacy").equals(primaryId));
            try (Connection c = connect(gateway); Statement app = c.createStatement()) {
                app.execute("USE legacy");
                assertEquals(List.of(List.of("1", "alice@example.com"), List.of("2", "bob@example.com")),
                        rows(app, "SELECT id, email FROM customer ORDER BY id"));
            }

            s.execute("ALTER EXTERNAL KEYSPACE legacy ADD REPLICA HOST '127.0.0.1' PORT " + replica.port());
            eventually("@replica reads reach the replica", () -> serverId(gateway, "legacy@replica")
                    .equals(replicaId));
            assertEquals(primaryId, serverId(gateway, "legacy"), "primary reads and writes stay on the primary");
            try (Connection c = connect(gateway); Statement app = c.createStatement()) {
                app.execute("USE `legacy@replica`");
                assertEquals(List.of(List.of("2")), rows(app, "SELECT COUNT(*) FROM customer"));
            }

            s.execute("ALTER EXTERNAL KEYSPACE legacy DROP REPLICA HOST '127.0.0.1' PORT " + replica.port());
            eventually("without replicas, @replica reads stop going to the dropped one", () -> {
                try {
                    return !serverId(gateway, "legacy@replica").equals(replicaId);
                } catch (SQLException noReplica) {
                    return true; // no replica and no fallback to the primary configured: refused, as documented
                }
            });

            assertEquals(primaryId, serverId(gateway, "legacy"));
            assertTrue(importerSessions(primary) > 0, "the gateway keeps idle connections to the external primary");
            s.execute("DROP EXTERNAL KEYSPACE legacy");
            eventually("the gateway closed its connections to the external database",
                    () -> importerSessions(primary) == 0 && importerSessions(replica) == 0);
            try (Connection c = connect(gateway); Statement app = c.createStatement()) {
                SQLException unknown = assertThrows(SQLException.class,
                        () -> app.execute("USE legacy"));
                assertEquals(1049, unknown.getErrorCode(), unknown.getMessage());
            }
        }
    }

    private static long importerSessions(MariaDbServer server) {
        return Long.parseLong(server.query("SELECT COUNT(*) FROM information_schema.processlist WHERE user ="
                + " 'importer' AND command <> 'Binlog Dump'").get(0).get(0));
    }

    private static String serverId(Gateway gateway, String target) throws SQLException {
        try (Connection c = connect(gateway); Statement s = c.createStatement()) {
            s.execute("USE `" + target + "`");
            return rows(s, "SELECT @@server_id").get(0).get(0);
        }
    }

    private static void eventually(String what, Callable<Boolean> condition) throws Exception {
        long deadline = System.nanoTime() + 15_000_000_000L;
        Exception last = null;
        while (System.nanoTime() < deadline) {
            try {
                if (condition.call()) {
                    return;
                }
            } catch (SQLException e) {
                last = e;
            }
            Thread.sleep(100);
        }
        fail("not within 15 s: " + what + (last == null ? "" : " (last error: " + last.getMessage() + ")"));
    }

    private static Connection connect(Gateway gateway) throws SQLException {
        return DriverManager.getConnection("jdbc:mariadb://127.0.0.1:" + gateway.mysqlAddress().getPort()
                + "/commerce?user=root&password=");
    }

    private static Gateway start(Sandbox sandbox) throws InterruptedException {
        SwitchyardConfig config = ConfigLoader.parse("""
                users:
                  - {name: root, password: "", role: admin}
                topology:
                  dsn: "mysql://root:@%s/switchyard_topo"
                  credentials_key: "${env:KEY}"
                keyspaces:
                  - name: commerce
                    shards:
                      - name: "0"
                        primary: %s
                """.formatted(sandbox.topology().address(), sandbox.primary("commerce", "0").address()),
                (prefix, name) -> Optional.of("test-credentials-key-0123456789"));
        return Gateway.start(config, GatewayServer.Options.defaults().withPort(0), Optional.of(0), Map.of());
    }
}
