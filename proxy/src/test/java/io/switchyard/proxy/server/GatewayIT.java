package io.switchyard.proxy.server;

import io.switchyard.proxy.codec.MySqlError;
import io.switchyard.proxy.packet.resultset.ColumnDefinition41;
import io.switchyard.proxy.packet.resultset.ResultRow;
import io.switchyard.proxy.packet.resultset.TextResultSet;
import io.switchyard.sandbox.Sandbox;
import io.switchyard.sandbox.Sandboxed;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Real clients (MariaDB Connector/J, MySQL Connector/J) through the gateway to real MariaDB servers. */
@Sandboxed("commerce:0+1; customer:-80+1,80-+1")
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class GatewayIT {
    static final String KEYSPACES = """
            keyspaces:
              - name: commerce
                shards:
                  - name: "0"
                    primary: ${sandbox:commerce/0/primary}
                    replicas: ["${sandbox:commerce/0/replica/1}"]
              - name: customer
                sharded: true
                shards:
                  - name: "-80"
                    primary: ${sandbox:customer/-80/primary}
                    replicas: ["${sandbox:customer/-80/replica/1}"]
                  - name: "80-"
                    primary: ${sandbox:customer/80-/primary}
                    replicas: ["${sandbox:customer/80-/replica/1}"]
                vschema:
                  vindexes:
                    hash: {type: hash}
                  tables:
                    customer:
                      column_vindexes: [{column: customer_id, name: hash}]
            """;

    private final Sandbox sandbox;
    private GatewayFixture gateway;

    GatewayIT(Sandbox sandbox) {
        this.sandbox = sandbox;
    }

    @BeforeAll
    void start() throws Exception {
        // Before any backend connection exists: a session's max_allowed_packet is the global at its connect.
        sandbox.primary("commerce", "0").execute("SET GLOBAL max_allowed_packet = 67108864");
        LocalCommands local = (caller, sql) -> sql.equalsIgnoreCase("SHOW TEST WHOAMI")
                ? Optional.of(new LocalCommands.Rows(new TextResultSet(List.of(ColumnDefinition41.varString("user")),
                List.of(ResultRow.ofStrings(caller.user().name())))))
                : Optional.empty();
        gateway = GatewayFixture.start(sandbox, KEYSPACES, local, GatewayServer.Options.defaults());
        sandbox.primary("commerce", "0").execute(
                "CREATE TABLE commerce.product (sku varbinary(128) PRIMARY KEY, description varchar(128), price bigint)",
                "INSERT INTO commerce.product VALUES ('SKU-1', 'Monitor', 100), ('SKU-2', 'Keyboard', 30)");
        sandbox.awaitReplicasCaughtUp(java.time.Duration.ofSeconds(20));
    }

    @AfterAll
    void stop() {
        if (gateway != null) {
            gateway.close();
        }
    }

    @Test
    void mariadbConnectorReadsAndWritesThroughTheGateway() throws SQLException {
        try (Connection c = gateway.mariadb("commerce", "app", "app"); Statement s = c.createStatement()) {
            s.executeUpdate("INSERT INTO product VALUES ('SKU-M', 'Mouse', 20)");
            try (ResultSet rs = s.executeQuery("SELECT sku, description, price FROM product WHERE sku = 'SKU-M'")) {
                assertTrue(rs.next());
                assertEquals("Mouse", rs.getString(2));
                assertEquals(20, rs.getLong(3));
                assertFalse(rs.next());
            }
            assertEquals(1, s.executeUpdate("DELETE FROM product WHERE sku = 'SKU-M'"));
        }
    }

    @Test
    void mysqlConnectorReadsThroughTheGateway() throws SQLException {
        try (Connection c = gateway.mysql("commerce", "app", "app"); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT description FROM product ORDER BY sku")) {
            List<String> names = new ArrayList<>();
            while (rs.next()) {
                names.add(rs.getString(1));
            }
            assertEquals(List.of("Monitor", "Keyboard"), names);
        }
    }

    @Test
    void passwordsAreCheckedWithBothDrivers() throws SQLException {
        try (Connection c = gateway.mariadb("commerce", "secret", "s3cr3t-pw")) {
            assertTrue(c.isValid(2));
        }
        try (Connection c = gateway.mysql("commerce", "secret", "s3cr3t-pw")) {
            assertTrue(c.isValid(2));
        }
        SQLException wrong = assertThrows(SQLException.class, () -> gateway.mariadb("commerce", "secret", "nope"));
        assertEquals(1045, wrong.getErrorCode(), wrong.getMessage());
        SQLException unknown = assertThrows(SQLException.class, () -> gateway.mysql("commerce", "nobody", "x"));
        assertEquals(1045, unknown.getErrorCode(), unknown.getMessage());
    }

    @Test
    void unknownKeyspaceIs1049() {
        SQLException e = assertThrows(SQLException.class, () -> gateway.mariadb("nosuch", "app", "app"));
        assertEquals(1049, e.getErrorCode(), e.getMessage());
        SQLException shard = assertThrows(SQLException.class, () -> gateway.mysql("customer:40-", "app", "app"));
        assertEquals(1049, shard.getErrorCode(), shard.getMessage());
        assertTrue(shard.getMessage().contains("-80, 80-"), shard.getMessage());
    }

    @Test
    void replicaTargetReadsFromTheReplicaAndRefusesWrites() throws SQLException {
        String primaryId = sandbox.primary("commerce", "0").query("SELECT @@server_id").get(0).get(0);
        String replicaId = sandbox.replicas("commerce", "0").get(0).query("SELECT @@server_id").get(0).get(0);
        assertEquals(primaryId, scalar("commerce", "SELECT @@server_id"));
        assertEquals(replicaId, scalar("commerce@replica", "SELECT @@server_id"));
        try (Connection c = gateway.mariadb("commerce@replica", "app", "app"); Statement s = c.createStatement()) {
            SQLException e = assertThrows(SQLException.class,
                    () -> s.executeUpdate("INSERT INTO product VALUES ('X', 'x', 1)"));
            assertTrue(e.getMessage().contains("writes are not allowed on replicas"), e.getMessage());
            s.execute("USE commerce");
            assertEquals(primaryId, scalarOf(s, "SELECT @@server_id"));
        }
    }

    @Test
    void shardTargetingReachesEachShard() throws SQLException {
        String low = sandbox.primary("customer", "-80").query("SELECT @@server_id").get(0).get(0);
        String high = sandbox.primary("customer", "80-").query("SELECT @@server_id").get(0).get(0);
        assertEquals(low, scalar("customer:-80", "SELECT @@server_id"));
        assertEquals(high, scalar("customer:80-@primary", "SELECT @@server_id"));
        try (Connection c = gateway.mariadb("customer", "app", "app"); Statement s = c.createStatement()) {
            // A table the vschema does not know cannot be routed: the error says how to teach it.
            SQLException e = assertThrows(SQLException.class, () -> s.executeQuery("SELECT * FROM orders"));
            assertTrue(e.getMessage().contains("ALTER VSCHEMA ON customer.orders ADD VINDEX"), e.getMessage());
        }
    }

    @Test
    void sessionSettingsFollowTheSessionToEveryBackend() throws SQLException {
        try (Connection c = gateway.mariadb("commerce", "app", "app"); Statement s = c.createStatement()) {
            s.execute("SET time_zone = '+05:00'");
            s.execute("SET @@session.sql_mode = 'ANSI_QUOTES'");
            assertEquals("+05:00", scalarOf(s, "SELECT @@time_zone"));
            s.execute("USE `commerce@replica`");
            assertEquals("+05:00", scalarOf(s, "SELECT @@time_zone"));
            assertEquals("ANSI_QUOTES", scalarOf(s, "SELECT @@sql_mode"));
        }
    }

    @Test
    void aTransactionStaysOnOneBackendConnection() throws SQLException {
        try (Connection c = gateway.mariadb("commerce", "app", "app"); Statement s = c.createStatement()) {
            c.setAutoCommit(false);
            s.executeUpdate("INSERT INTO product VALUES ('SKU-T', 'Tx', 1)");
            assertEquals("1", scalarOf(s, "SELECT COUNT(*) FROM product WHERE sku = 'SKU-T'"));
            c.rollback();
            assertEquals("0", scalarOf(s, "SELECT COUNT(*) FROM product WHERE sku = 'SKU-T'"));
            s.execute("CREATE TEMPORARY TABLE scratch (a int)");
            s.execute("INSERT INTO scratch VALUES (7)");
            assertEquals("7", scalarOf(s, "SELECT a FROM scratch"));
        }
    }

    @Test
    void serverPreparedStatementsWithBothDrivers() throws SQLException {
        String[] urls = {gateway.mariadbUrl("commerce", "user=app&password=app&useServerPrepStmts=true"),
                gateway.mysqlUrl("commerce", "user=app&password=app&useServerPrepStmts=true")};
        for (String url : urls) {
            try (Connection c = java.sql.DriverManager.getConnection(url);
                 PreparedStatement p = c.prepareStatement("SELECT description, price FROM product WHERE sku = ?")) {
                for (int i = 0; i < 3; i++) {
                    p.setString(1, "SKU-2");
                    try (ResultSet rs = p.executeQuery()) {
                        assertTrue(rs.next(), url);
                        assertEquals("Keyboard", rs.getString(1));
                        assertEquals(30, rs.getLong(2));
                    }
                }
            }
        }
    }

    @Test
    void multiStatementsReturnEveryResult() throws SQLException {
        try (Connection c = java.sql.DriverManager.getConnection(
                gateway.mariadbUrl("commerce", "user=app&password=app&allowMultiQueries=true"));
             Statement s = c.createStatement()) {
            assertTrue(s.execute("SELECT 1; SELECT 2, 3; UPDATE product SET price = price WHERE sku = 'none'"));
            try (ResultSet rs = s.getResultSet()) {
                assertTrue(rs.next());
                assertEquals(1, rs.getInt(1));
            }
            assertTrue(s.getMoreResults());
            try (ResultSet rs = s.getResultSet()) {
                assertTrue(rs.next());
                assertEquals(3, rs.getInt(2));
            }
            assertFalse(s.getMoreResults());
            assertEquals(0, s.getUpdateCount());
        }
    }

    @Test
    void packetsOver16MiBTravelBothWays() throws SQLException {
        sandbox.primary("commerce", "0").execute(
                "CREATE TABLE IF NOT EXISTS commerce.blobs (id int PRIMARY KEY, body longblob)");
        byte[] body = new byte[20 * 1024 * 1024 + 7];
        for (int i = 0; i < body.length; i++) {
            body[i] = (byte) (i * 31 + 7);
        }
        try (Connection c = gateway.mariadb("commerce", "app", "app");
             PreparedStatement insert = c.prepareStatement("INSERT INTO blobs VALUES (1, ?)")) {
            insert.setBytes(1, body);
            insert.executeUpdate();
            try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("SELECT body FROM blobs")) {
                assertTrue(rs.next());
                assertArrayEquals(body, rs.getBytes(1));
            }
        }
    }

    @Test
    void localCommandsAnswerWithoutABackend() throws SQLException {
        assertEquals("app", scalar("commerce", "SHOW TEST WHOAMI"));
        try (Connection c = gateway.mariadb("", "root", ""); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SHOW DATABASES")) {
            List<String> names = new ArrayList<>();
            while (rs.next()) {
                names.add(rs.getString(1));
            }
            assertEquals(List.of("commerce", "customer"), names);
        }
    }

    @Test
    void backendErrorsKeepTheirCodeAndState() throws SQLException {
        try (Connection c = gateway.mysql("commerce", "app", "app"); Statement s = c.createStatement()) {
            SQLException e = assertThrows(SQLException.class, () -> s.executeQuery("SELECT * FROM nosuchtable"));
            assertEquals(1146, e.getErrorCode());
            assertEquals("42S02", e.getSQLState());
            // execute(), not executeQuery(): Connector/J refuses a non-SELECT in executeQuery() itself.
            SQLException syntax = assertThrows(SQLException.class, () -> s.execute("SELEC 1"));
            assertEquals(1064, syntax.getErrorCode());
            assertEquals("1", scalarOf(s, "SELECT 1"), "the session still works after errors");
        }
    }

    @Test
    void killQueryFromAnotherConnectionInterruptsTheStatement() throws Exception {
        try (Connection c = gateway.mysql("commerce", "app", "app"); Statement s = c.createStatement()) {
            s.setQueryTimeout(1); // Connector/J cancels with KILL QUERY <handshake id> on a second connection
            long started = System.nanoTime();
            SQLException e = assertThrows(SQLException.class, () -> s.executeQuery("SELECT SLEEP(20)"));
            long millis = (System.nanoTime() - started) / 1_000_000;
            assertTrue(millis < 10_000, "interrupted after " + millis + " ms: " + e);
            assertEquals("1", scalarOf(s, "SELECT 1"));
        }
        try (Connection c = gateway.mariadb("commerce", "app", "app"); Statement s = c.createStatement()) {
            SQLException e = assertThrows(SQLException.class, () -> s.execute("KILL QUERY 999999"));
            assertEquals(MySqlError.ER_NO_SUCH_THREAD.code(), e.getErrorCode());
        }
    }

    @Test
    void loadDataLocalIsRefusedClearly() throws SQLException {
        try (Connection c = gateway.mariadb("commerce", "app", "app"); Statement s = c.createStatement()) {
            SQLException e = assertThrows(SQLException.class,
                    () -> s.execute("LOAD DATA LOCAL INFILE '/etc/hosts' INTO TABLE product"));
            assertEquals(1148, e.getErrorCode());
            assertTrue(e.getMessage().contains("not supported through the gateway"), e.getMessage());
        }
    }

    @Test
    void resetConnectionClearsTheSessionAndChangeUserReauthenticates() throws Exception {
        try (RawClient raw = new RawClient(gateway.port(), "root", "commerce")) {
            raw.query("SET @marker = 42");
            raw.query("SET time_zone = '+03:00'");
            assertEquals(java.util.Arrays.asList("42"), raw.query("SELECT @marker"));
            raw.send((byte) 0x1F, new byte[0]); // COM_RESET_CONNECTION
            assertEquals(0, raw.readPacket()[0], "OK");
            assertEquals(java.util.Arrays.asList((String) null), raw.query("SELECT @marker"));
            assertEquals(java.util.Arrays.asList("SYSTEM"), raw.query("SELECT @@time_zone"));
        }
        try (Connection c = gateway.mysql("commerce", "app", "app"); Statement s = c.createStatement()) {
            s.execute("SET @marker = 7");
            com.mysql.cj.jdbc.JdbcConnection mysql = c.unwrap(com.mysql.cj.jdbc.JdbcConnection.class);
            mysql.changeUser("secret", "s3cr3t-pw"); // COM_CHANGE_USER
            try (Statement after = c.createStatement()) {
                assertEquals(null, scalarOf(after, "SELECT @marker"));
                assertEquals("1", scalarOf(after, "SELECT 1"));
            }
            SQLException wrong = assertThrows(SQLException.class, () -> mysql.changeUser("secret", "nope"));
            assertEquals(1045, wrong.getErrorCode(), wrong.getMessage());
        }
    }

    private String scalar(String database, String sql) throws SQLException {
        try (Connection c = gateway.mariadb(database, "app", "app"); Statement s = c.createStatement()) {
            return scalarOf(s, sql);
        }
    }

    private static String scalarOf(Statement s, String sql) throws SQLException {
        try (ResultSet rs = s.executeQuery(sql)) {
            assertTrue(rs.next(), sql);
            return rs.getString(1);
        }
    }
}
