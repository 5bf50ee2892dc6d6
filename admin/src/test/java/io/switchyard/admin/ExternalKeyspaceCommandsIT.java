package io.switchyard.admin;

import io.switchyard.config.ConfigLoader;
import io.switchyard.config.SwitchyardConfig;
import io.switchyard.proxy.server.GatewayServer;
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

import static io.switchyard.admin.SqlRows.rows;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The external-keyspace admin SQL through a real gateway, with a second sandbox server as the external database. */
@Sandboxed("commerce:0; ext:0+1; topology")
class ExternalKeyspaceCommandsIT {
    private static final String PASSWORD = "Imp0rter-Secret-Pw";

    @BeforeAll
    static void externalDatabase(Sandbox sandbox) {
        sandbox.primary("ext", "0").execute(
                "CREATE TABLE ext.customer (id BIGINT PRIMARY KEY, email VARCHAR(64))",
                "CREATE TABLE ext.audit (at DATETIME, what TEXT)",
                "CREATE USER 'importer'@'%' IDENTIFIED BY '" + PASSWORD + "'",
                "GRANT REPLICATION SLAVE, REPLICATION CLIENT ON *.* TO 'importer'@'%'",
                "GRANT SELECT, INSERT, UPDATE, DELETE, LOCK TABLES ON ext.* TO 'importer'@'%'",
                "CREATE USER 'reader'@'%' IDENTIFIED BY '" + PASSWORD + "'",
                "GRANT SELECT ON ext.* TO 'reader'@'%'");
    }

    @Test
    void createShowAlterValidateDrop(Sandbox sandbox) throws Exception {
        try (Gateway gateway = start(sandbox, true); Connection c = connect(gateway, "root", "");
             Statement s = c.createStatement()) {
            List<List<String>> created = rows(s, create(sandbox, "legacy", "importer") + " IMPORT CONNECTIONS 4");
            assertEquals(List.of("connectivity", "pass"), List.of(created.get(0).get(0), created.get(0).get(2)));
            assertTrue(created.contains(List.of("unique_key", "audit", "skippable", "Missing unique key: audit has no"
                    + " unique, not-null key, and all tables must have one. Add a primary key, or make the columns"
                    + " of a unique key NOT NULL")), created.toString());
            List<String> last = created.get(created.size() - 1);
            assertEquals(List.of("create", "pass"), List.of(last.get(0), last.get(2)));
            assertTrue(last.get(3).startsWith("external keyspace legacy created; 1 skippable failure(s)"), last.get(3));

            int port = sandbox.primary("ext", "0").port();
            assertEquals(List.of(List.of("legacy", "127.0.0.1", Integer.toString(port), "ext", "importer", "password",
                    "DISABLED", "no", "", "", "4", "")), nullsAsEmpty(rows(s, "SHOW EXTERNAL KEYSPACES")));

            String replica = sandbox.replicas("ext", "0").get(0).address();
            int replicaPort = sandbox.replicas("ext", "0").get(0).port();
            assertEquals(1, s.executeUpdate("ALTER EXTERNAL KEYSPACE legacy ADD REPLICA HOST '127.0.0.1' PORT "
                    + replicaPort));
            assertEquals(replica, rows(s, "SHOW EXTERNAL KEYSPACES").get(0).get(11));
            // A replica that does not answer is not added, and the message says why.
            SQLException down = assertThrows(SQLException.class,
                    () -> s.execute("alter external keyspace legacy add replica host '127.0.0.1' port 1"));
            assertTrue(down.getMessage().contains("replica 127.0.0.1:1 not added: cannot connect to external keyspace"
                    + " legacy at 127.0.0.1:1"), down.getMessage());
            assertEquals(replica, rows(s, "SHOW EXTERNAL KEYSPACES").get(0).get(11));
            SQLException noReplica = assertThrows(SQLException.class,
                    () -> s.execute("ALTER EXTERNAL KEYSPACE legacy DROP REPLICA HOST '10.9.9.9'"));
            assertTrue(noReplica.getMessage().contains("has no replica 10.9.9.9:3306 (it has: " + replica + ")"),
                    noReplica.getMessage());
            s.execute("ALTER EXTERNAL KEYSPACE legacy DROP REPLICA HOST '127.0.0.1' PORT " + replicaPort);
            assertEquals("", nullsAsEmpty(rows(s, "SHOW EXTERNAL KEYSPACES")).get(0).get(11));

            List<List<String>> validated = rows(s, "VALIDATE EXTERNAL KEYSPACE legacy");
            assertTrue(nullsAsEmpty(validated).contains(List.of("binlog_format", "", "pass", "binlog_format is ROW")),
                    nullsAsEmpty(validated).toString());
            assertEquals(validated.size() + 1, created.size(), "the same checks as create, without its outcome");

            SQLException twice = assertThrows(SQLException.class, () -> rows(s, create(sandbox, "legacy",
                    "importer")));
            assertTrue(twice.getMessage().contains("external keyspace legacy already exists"), twice.getMessage());

            assertEquals(1, s.executeUpdate("DROP EXTERNAL KEYSPACE legacy"));
            assertEquals(List.of(), sandbox.topology().query("SELECT * FROM switchyard_topo.external_keyspaces WHERE"
                    + " name = 'legacy'"), "the stored row and its sealed credentials are gone");
            SQLException gone = assertThrows(SQLException.class, () -> s.execute("DROP EXTERNAL KEYSPACE legacy"));
            assertTrue(gone.getMessage().contains("external keyspace legacy does not exist"), gone.getMessage());
            assertThrows(SQLException.class, () -> rows(s, "VALIDATE EXTERNAL KEYSPACE legacy"));
        }
    }

    @Test
    void aHardFailureStoresNothingUnlessValidationIsSkipped(Sandbox sandbox) throws Exception {
        try (Gateway gateway = start(sandbox, true); Connection c = connect(gateway, "root", "");
             Statement s = c.createStatement()) {
            SQLException refused = assertThrows(SQLException.class, () -> rows(s, create(sandbox, "readonly",
                    "reader")));
            assertEquals(1210, refused.getErrorCode());
            assertTrue(refused.getMessage().contains("external keyspace readonly was not created: 1 check(s) failed:"
                    + " [grants] external database does not have the required user grants: required privileges"
                    + " [REPLICATION SLAVE, REPLICATION CLIENT, INSERT, UPDATE, DELETE, LOCK TABLES] are not present"
                    + " for 'reader'@'%'"), refused.getMessage());
            assertFalse(refused.getMessage().contains(PASSWORD));
            assertTrue(rows(s, "SHOW EXTERNAL KEYSPACES").stream().noneMatch(r -> r.get(0).equals("readonly")));

            List<List<String>> skipped = rows(s, create(sandbox, "readonly", "reader") + " SKIP VALIDATION");
            assertTrue(skipped.get(skipped.size() - 1).get(3).startsWith("external keyspace readonly created without"
                    + " passing validation (SKIP VALIDATION)"), skipped.toString());
            for (List<String> row : rows(s, "SHOW EXTERNAL KEYSPACES")) {
                assertFalse(String.join("|", nullsAsEmpty(List.of(row)).get(0)).contains(PASSWORD), row.toString());
            }
            s.execute("DROP EXTERNAL KEYSPACE readonly");

            SQLException unreachable = assertThrows(SQLException.class, () -> rows(s, "CREATE EXTERNAL KEYSPACE gone"
                    + " HOST '127.0.0.1' PORT 1 USER 'importer' PASSWORD '" + PASSWORD + "' SSL MODE DISABLED"));
            assertTrue(unreachable.getMessage().contains("[connectivity] cannot connect to external keyspace gone at"
                    + " 127.0.0.1:1"), unreachable.getMessage());
            assertFalse(unreachable.getMessage().contains(PASSWORD));
        }
    }

    @Test
    void badStatementsSayWhatToWrite(Sandbox sandbox) throws Exception {
        try (Gateway gateway = start(sandbox, true); Connection c = connect(gateway, "root", "");
             Statement s = c.createStatement()) {
            assertError(s, "CREATE EXTERNAL KEYSPACE x HOST 'h'", 1064, "HOST and USER are required");
            assertError(s, "CREATE EXTERNAL KEYSPACE x HOST 'h' USER 'u' PASSWORD '" + PASSWORD + "' IMPORT"
                    + " CONNECTIONS 101", 1210, "IMPORT CONNECTIONS 101 is out of range: use 1 to 100");
            assertError(s, "CREATE EXTERNAL KEYSPACE x HOST 'h' USER 'u' PASSWORD '" + PASSWORD + "' SSL CERT 'c' SSL"
                    + " KEY 'k'", 1210, "give either PASSWORD 'password' or SSL CERT 'pem' SSL KEY 'pem'");
            assertError(s, "CREATE EXTERNAL KEYSPACE x HOST 'h' USER 'u' PASSWORD '" + PASSWORD + "' SSL MODE"
                    + " STRICT", 1210, "SSL MODE 'STRICT' is not a mode");
            assertError(s, "CREATE EXTERNAL KEYSPACE x HOST 'h' USER 'u' PASSWORD '" + PASSWORD + "' SSL CA 'pem'",
                    1210, "SSL CA is only used with SSL MODE VERIFY_CA or VERIFY_IDENTITY, but the mode is PREFERRED");
            assertError(s, "CREATE EXTERNAL KEYSPACE x HOST 'h' USER 'u' PASSWORD '" + PASSWORD + "' PORT 1 PORT 2",
                    1064, "PORT is given twice");
            assertError(s, "CREATE EXTERNAL KEYSPACE commerce HOST '127.0.0.1' USER 'u' PASSWORD '" + PASSWORD + "'",
                    1210, "keyspace commerce is in the config");
            assertError(s, "ALTER EXTERNAL KEYSPACE x RENAME", 1064, "expected ALTER EXTERNAL KEYSPACE x ADD | DROP"
                    + " REPLICA HOST 'host' [PORT 3306]");
            assertError(s, "SHOW EXTERNAL KEYSPACES LIKE 'x'", 1064, "unexpected 'LIKE' at the end");
        }
        try (Gateway gateway = start(sandbox, true); Connection c = connect(gateway, "app", "app");
             Statement s = c.createStatement()) {
            assertError(s, "SHOW EXTERNAL KEYSPACES", 1227, "");
            assertError(s, create(sandbox, "x", "importer"), 1227, "");
        }
    }

    @Test
    void withoutACredentialsKeyCreateIsRefused(Sandbox sandbox) throws Exception {
        try (Gateway gateway = start(sandbox, false); Connection c = connect(gateway, "root", "");
             Statement s = c.createStatement()) {
            assertError(s, create(sandbox, "nokey", "importer"), 1105, "cannot create external keyspace nokey: no"
                    + " credentials key is configured. Set topology.credentials_key in the config");
        }
    }

    @Test
    void secretsNeverReachTheLog(Sandbox sandbox) throws Exception {
        java.io.PrintStream original = System.err;
        java.io.ByteArrayOutputStream captured = new java.io.ByteArrayOutputStream();
        // slf4j-simple writes to whatever System.err is at the time of each line.
        System.setErr(new java.io.PrintStream(new java.io.OutputStream() {
            @Override
            public void write(int b) {
                original.write(b);
                captured.write(b);
            }

            @Override
            public void write(byte[] b, int off, int len) {
                original.write(b, off, len);
                captured.write(b, off, len);
            }
        }, true));
        try (Gateway gateway = start(sandbox, true); Connection c = connect(gateway, "root", "");
             Statement s = c.createStatement()) {
            rows(s, create(sandbox, "logged", "importer"));
            assertThrows(SQLException.class, () -> rows(s, create(sandbox, "refused", "reader")));
            assertThrows(SQLException.class, () -> rows(s, "CREATE EXTERNAL KEYSPACE badpw HOST '127.0.0.1' PORT "
                    + sandbox.primary("ext", "0").port() + " USER 'importer' PASSWORD 'x" + PASSWORD + "'"));
            rows(s, "SHOW EXTERNAL KEYSPACES");
            rows(s, "VALIDATE EXTERNAL KEYSPACE logged");
            s.execute("DROP EXTERNAL KEYSPACE logged");
        } finally {
            System.setErr(original);
        }
        String log = captured.toString(java.nio.charset.StandardCharsets.UTF_8);
        assertTrue(log.contains("created external keyspace ExternalKeyspace[name=logged"), "the log was captured");
        assertFalse(log.contains(PASSWORD), log);
    }

    private static void assertError(Statement s, String sql, int code, String messagePart) {
        SQLException e = assertThrows(SQLException.class, () -> s.execute(sql), sql);
        assertEquals(code, e.getErrorCode(), e.getMessage());
        assertTrue(e.getMessage().contains(messagePart), e.getMessage());
        assertFalse(e.getMessage().contains(PASSWORD), e.getMessage());
    }

    private static String create(Sandbox sandbox, String name, String user) {
        return "CREATE EXTERNAL KEYSPACE " + name + " HOST '127.0.0.1' PORT " + sandbox.primary("ext", "0").port()
                + " DATABASE 'ext' USER '" + user + "' PASSWORD '" + PASSWORD + "' SSL MODE DISABLED";
    }

    private static List<List<String>> nullsAsEmpty(List<List<String>> rows) {
        return rows.stream().map(r -> r.stream().map(v -> v == null ? "" : v).toList()).toList();
    }

    private static Connection connect(Gateway gateway, String user, String password) throws SQLException {
        return DriverManager.getConnection("jdbc:mariadb://127.0.0.1:" + gateway.mysqlAddress().getPort()
                + "/commerce?user=" + user + "&password=" + password);
    }

    private static Gateway start(Sandbox sandbox, boolean withKey) throws InterruptedException {
        SwitchyardConfig config = ConfigLoader.parse("""
                users:
                  - {name: root, password: "", role: admin}
                  - {name: app, password: app, role: app}
                topology:
                  dsn: "mysql://root:@%s/switchyard_topo"
                  %s
                keyspaces:
                  - name: commerce
                    shards:
                      - name: "0"
                        primary: %s
                """.formatted(sandbox.topology().address(),
                withKey ? "credentials_key: \"${env:NOPE_NOT_SET}\"" : "",
                sandbox.primary("commerce", "0").address()),
                (prefix, name) -> Optional.of("test-credentials-key-0123456789"));
        // No environment: whether the machine running the tests sets SWITCHYARD_CREDENTIALS_KEY does not matter.
        return Gateway.start(config, GatewayServer.Options.defaults().withPort(0), Optional.of(0), Map.of());
    }
}
