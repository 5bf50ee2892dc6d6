package io.switchyard.sandbox;

import io.switchyard.sandbox.MariaDbServer.Role;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

@Sandboxed("commerce:0+1; customer:-80+1,80-+1; topology")
class SandboxIT {
    private static final Duration REPLICATION_TIMEOUT = Duration.ofSeconds(30);

    private final Sandbox sandbox;

    SandboxIT(Sandbox sandbox) {
        this.sandbox = sandbox;
    }

    @BeforeAll
    static void sandboxIsInjectedIntoLifecycleMethods(Sandbox sandbox) {
        assertEquals(7, sandbox.servers().size());
    }

    @Test
    void oneSandboxPerClass(Sandbox injected) {
        assertSame(sandbox, injected);
    }

    @Test
    void layoutFollowsTheSpec() {
        List<MariaDbServer> servers = sandbox.servers();
        assertEquals(List.of("commerce/0 primary", "commerce/0 replica 1", "customer/-80 primary",
                "customer/-80 replica 1", "customer/80- primary", "customer/80- replica 1", "topology"),
                servers.stream().map(MariaDbServer::name).toList());

        MariaDbServer primary = sandbox.primary("customer", "-80");
        assertEquals(Role.PRIMARY, primary.role());
        assertEquals("customer", primary.keyspace());
        assertEquals("-80", primary.shard());
        assertEquals("127.0.0.1", primary.host());
        assertEquals("127.0.0.1:" + primary.port(), primary.address());
        assertEquals("jdbc:mariadb://127.0.0.1:" + primary.port() + "/customer?user=root", primary.jdbcUrl("customer"));
        assertTrue(primary.datadir().startsWith(sandbox.baseDir()));

        List<MariaDbServer> replicas = sandbox.replicas("customer", "-80");
        assertEquals(1, replicas.size());
        assertEquals(Role.REPLICA, replicas.get(0).role());
        assertEquals(Role.TOPOLOGY, sandbox.topology().role());

        IllegalArgumentException unknown = assertThrows(IllegalArgumentException.class,
                () -> sandbox.primary("customer", "0"));
        assertTrue(unknown.getMessage().contains("customer/0"), unknown.getMessage());
    }

    @Test
    void everyServerAcceptsRootWithoutPasswordOverLoopback() throws SQLException {
        for (MariaDbServer server : sandbox.servers()) {
            try (Connection c = java.sql.DriverManager.getConnection(
                    "jdbc:mariadb://127.0.0.1:" + server.port() + "/?user=root&password=")) {
                try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("SELECT CURRENT_USER()")) {
                    rs.next();
                    assertEquals("root@127.0.0.1", rs.getString(1), server.name());
                }
            }
        }
    }

    @Test
    void binaryLogIsRowBasedWithFullImages() {
        for (MariaDbServer server : sandbox.servers()) {
            Map<String, String> vars = variables(server,
                    "'log_bin', 'binlog_format', 'binlog_row_image', 'log_slave_updates', 'character_set_server'");
            assertEquals("ON", vars.get("log_bin"), server.name());
            assertEquals("ROW", vars.get("binlog_format"), server.name());
            assertEquals("FULL", vars.get("binlog_row_image"), server.name());
            assertEquals("ON", vars.get("log_slave_updates"), server.name());
            assertEquals("utf8mb4", vars.get("character_set_server"), server.name());
        }
    }

    @Test
    void serverIdsAreDistinctAndMatchTheAccessor() {
        Set<String> ids = new HashSet<>();
        for (MariaDbServer server : sandbox.servers()) {
            String id = server.query("SELECT @@server_id").get(0).get(0);
            assertEquals(Long.toString(server.serverId()), id, server.name());
            assertTrue(ids.add(id), "duplicate server id " + id);
        }
    }

    @Test
    void databasesExist() {
        for (MariaDbServer server : sandbox.servers()) {
            List<List<String>> rows = server.query("SHOW DATABASES LIKE '" + server.database() + "'");
            assertEquals(1, rows.size(), server.name() + " lacks database " + server.database());
        }
        assertEquals(Sandbox.TOPOLOGY_DATABASE, sandbox.topology().database());
    }

    @Test
    void replicasReplicateFromTheirPrimaryWithGtid() throws SQLException {
        for (MariaDbServer primary : primaries()) {
            for (MariaDbServer replica : sandbox.replicas(primary.keyspace(), primary.shard())) {
                Map<String, String> status = slaveStatus(replica);
                assertEquals("Yes", status.get("Slave_IO_Running"), replica.name() + ": " + status);
                assertEquals("Yes", status.get("Slave_SQL_Running"), replica.name() + ": " + status);
                assertEquals("Slave_Pos", status.get("Using_Gtid"), replica.name());
                assertEquals("127.0.0.1", status.get("Master_Host"), replica.name());
                assertEquals(Integer.toString(primary.port()), status.get("Master_Port"), replica.name());
                assertEquals("ON", variables(replica, "'read_only'").get("read_only"), replica.name());
            }
            assertEquals("OFF", variables(primary, "'read_only'").get("read_only"), primary.name());
        }
    }

    @Test
    void rowsWrittenOnAPrimaryReachItsReplica() {
        for (MariaDbServer primary : primaries()) {
            String table = primary.keyspace() + ".replicated";
            String value = "row from " + primary.name();
            primary.execute("CREATE TABLE IF NOT EXISTS " + table + " (id INT PRIMARY KEY, v VARCHAR(64))",
                    "INSERT INTO " + table + " VALUES (1, '" + value + "')");
            for (MariaDbServer replica : sandbox.replicas(primary.keyspace(), primary.shard())) {
                awaitRow(replica, table, 1, value);
            }
        }
    }

    @Test
    void aStoppedServerRefusesConnectionsAndComesBackOnTheSamePort() {
        MariaDbServer primary = sandbox.primary("customer", "80-");
        MariaDbServer replica = sandbox.replicas("customer", "80-").get(0);
        int port = primary.port();
        primary.execute("CREATE TABLE IF NOT EXISTS customer.restart (id INT PRIMARY KEY)",
                "INSERT INTO customer.restart VALUES (1)");
        try {
            primary.stop();
            assertFalse(primary.isRunning());
            assertThrows(SandboxException.class, () -> primary.query("SELECT 1"));
        } finally {
            primary.start();
        }
        assertTrue(primary.isRunning());
        assertEquals(port, primary.port());
        assertEquals(List.of(List.of("1")), primary.query("SELECT id FROM customer.restart"));

        primary.execute("INSERT INTO customer.restart VALUES (2)");
        awaitRow(replica, "customer.restart", 2, null);
    }

    @Test
    void aKilledReplicaRecoversAndCatchesUp() {
        MariaDbServer primary = sandbox.primary("commerce", "0");
        MariaDbServer replica = sandbox.replicas("commerce", "0").get(0);
        primary.execute("CREATE TABLE IF NOT EXISTS commerce.crash (id INT PRIMARY KEY)");
        sandbox.awaitReplicasCaughtUp(REPLICATION_TIMEOUT);
        long pid = replica.pid().orElseThrow();
        try {
            replica.kill();
            assertFalse(replica.isRunning());
            assertFalse(ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false));
            primary.execute("INSERT INTO commerce.crash VALUES (1)");
        } finally {
            replica.start();
        }
        awaitRow(replica, "commerce.crash", 1, null);
        assertNotEquals(pid, replica.pid().orElseThrow());
    }

    @Test
    void awaitReplicasCaughtUpWaitsForEveryReplica() {
        for (MariaDbServer primary : primaries()) {
            primary.execute("CREATE TABLE IF NOT EXISTS " + primary.keyspace() + ".caught_up (id INT PRIMARY KEY)",
                    "INSERT INTO " + primary.keyspace() + ".caught_up VALUES (" + primary.port() + ")");
        }
        sandbox.awaitReplicasCaughtUp(REPLICATION_TIMEOUT);
        for (MariaDbServer primary : primaries()) {
            for (MariaDbServer replica : sandbox.replicas(primary.keyspace(), primary.shard())) {
                assertEquals(List.of(List.of(Integer.toString(primary.port()))),
                        replica.query("SELECT id FROM " + primary.keyspace() + ".caught_up"), replica.name());
            }
        }
    }

    private List<MariaDbServer> primaries() {
        return sandbox.servers().stream().filter(s -> s.role() == Role.PRIMARY).toList();
    }

    private static void awaitRow(MariaDbServer replica, String table, int id, String value) {
        Poll.until(REPLICATION_TIMEOUT, () -> {
            try {
                List<List<String>> rows = replica.query("SELECT * FROM " + table + " WHERE id = " + id);
                return rows.size() == 1 && (value == null || value.equals(rows.get(0).get(1)));
            } catch (SandboxException e) {
                return false; // table not replicated yet, or the replica is still starting
            }
        }, () -> "row " + id + " of " + table + " on " + replica.name());
    }

    private static Map<String, String> variables(MariaDbServer server, String names) {
        Map<String, String> vars = new HashMap<>();
        for (List<String> row : server.query("SHOW GLOBAL VARIABLES WHERE Variable_name IN (" + names + ")")) {
            vars.put(row.get(0), row.get(1));
        }
        return vars;
    }

    private static Map<String, String> slaveStatus(MariaDbServer replica) throws SQLException {
        try (Connection c = replica.connect(); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SHOW SLAVE STATUS")) {
            assertTrue(rs.next(), replica.name() + " has no replication configured");
            Map<String, String> status = new HashMap<>();
            for (int i = 1; i <= rs.getMetaData().getColumnCount(); i++) {
                status.put(rs.getMetaData().getColumnLabel(i), rs.getString(i));
            }
            return status;
        }
    }
}
