package io.switchyard.admin;

import io.switchyard.proxy.server.GatewayServer;
import io.switchyard.sandbox.MariaDbServer;
import io.switchyard.sandbox.Sandbox;
import io.switchyard.sandbox.Sandboxed;
import io.switchyard.sandbox.TestCa;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static io.switchyard.admin.ImportFixture.await;
import static io.switchyard.admin.ImportFixture.config;
import static io.switchyard.admin.ImportFixture.connect;
import static io.switchyard.admin.ImportFixture.state;
import static io.switchyard.admin.SqlRows.rows;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * An import from an external MariaDB that accepts TLS connections only ({@code require_secure_transport}) and a
 * user that logs in with a client certificate ({@code REQUIRE X509}), verified with SSL MODE VERIFY_IDENTITY, the CA
 * as PEM and SSL SERVER NAME: copy, replication of a write made through the gateway, the traffic switch (and the
 * reverse stream writing back to the external database) and completion all go over TLS.
 */
@Sandboxed("commerce:0; legacy:0; topology")
class ImportTlsIT {
    private static final TestCa CA = TestCa.create("Switchyard import CA");
    /** Named only as db.example.test, not as the 127.0.0.1 connected to: SSL SERVER NAME says which name to expect. */
    private static final TestCa.Issued SERVER = CA.server("db.example.test", "db.example.test");
    private static final TestCa.Issued CLIENT = CA.client("switchyard-importer");

    @TempDir
    static Path dir;

    @BeforeAll
    static void tlsOnly(Sandbox sandbox) throws Exception {
        Files.writeString(dir.resolve("ca.pem"), CA.pem());
        SERVER.write(dir, "server");
        MariaDbServer legacy = legacy(sandbox);
        legacy.restartWith(List.of("--ssl-ca=" + dir.resolve("ca.pem"), "--ssl-cert=" + dir.resolve("server-cert.pem"),
                "--ssl-key=" + dir.resolve("server-key.pem")));
        legacy.execute("CREATE USER 'importer'@'%' REQUIRE X509",
                "GRANT ALL ON *.* TO 'importer'@'%'",
                "CREATE TABLE legacy.ledger (id BIGINT PRIMARY KEY, note VARCHAR(40))",
                "INSERT INTO legacy.ledger SELECT seq, 'old' FROM legacy.seq_1_to_2000",
                // At run time: the sandbox's readiness probe at (re)start logs in without TLS.
                "SET GLOBAL require_secure_transport = ON");
        assertThrows(SQLException.class, () -> legacy.connect().close(), "plain connections are refused");
    }

    @AfterAll
    static void plainAgain(Sandbox sandbox) throws SQLException {
        try (Connection c = tls(sandbox); Statement s = c.createStatement()) {
            s.execute("SET GLOBAL require_secure_transport = OFF");
        }
        legacy(sandbox).restartWith(List.of());
    }

    @Test
    void importsOverMutualTlsWithVerifyIdentity(Sandbox sandbox) throws Exception {
        try (Gateway gateway = Gateway.start(config(sandbox, "import-tls-test-key-0123456789"),
                GatewayServer.Options.defaults().withPort(0), Optional.of(0), Map.of());
             Connection admin = connect(gateway); Statement s = admin.createStatement()) {
            s.executeQuery("CREATE EXTERNAL KEYSPACE legacy HOST '127.0.0.1' PORT " + legacy(sandbox).port()
                    + " DATABASE 'legacy' USER 'importer' SSL CERT '" + CLIENT.certificatePem() + "' SSL KEY '"
                    + CLIENT.keyPem() + "' SSL MODE VERIFY_IDENTITY SSL CA '" + CA.pem()
                    + "' SSL SERVER NAME 'db.example.test' TLS MIN VERSION 'TLSv1.2'").close();
            s.execute("CREATE WORKFLOW imp IMPORT ALL FROM EXTERNAL legacy INTO commerce");
            await(() -> state(s, "imp").equals("running"), "copy finished");
            assertEquals(List.of(List.of("2000")), commerce(sandbox, "SELECT COUNT(*) FROM commerce.ledger"));

            // Through the gateway to the external database, then by the binlog stream to the target.
            s.execute("INSERT INTO ledger VALUES (5001, 'before the switch')");
            await(() -> !commerce(sandbox, "SELECT note FROM commerce.ledger WHERE id = 5001").isEmpty(),
                    "the write to the external database replicated");

            s.execute("SWITCH TRAFFIC FOR WORKFLOW imp");
            // Now to the target, and by the reverse stream back to the external database, over TLS again.
            s.execute("INSERT INTO ledger VALUES (5002, 'after the switch')");
            await(() -> !external(sandbox, "SELECT note FROM legacy.ledger WHERE id = 5002").isEmpty(),
                    "the write to the target replicated back");

            s.execute("COMPLETE WORKFLOW imp");
            assertEquals("completed", state(s, "imp"));
            assertEquals(List.of(List.of("2002")), commerce(sandbox, "SELECT COUNT(*) FROM commerce.ledger"));
            assertEquals(List.of(List.of("2002")), rows(s, "SELECT COUNT(*) FROM ledger"));
            assertTrue(rows(s, "SHOW EXTERNAL KEYSPACES").stream().noneMatch(row -> row.get(0).equals("legacy")),
                    "the credentials are gone");
        }
    }

    private static List<List<String>> commerce(Sandbox sandbox, String sql) {
        return sandbox.primary("commerce", "0").query(sql);
    }

    private static List<List<String>> external(Sandbox sandbox, String sql) throws SQLException {
        try (Connection c = tls(sandbox); Statement s = c.createStatement()) {
            return rows(s, sql);
        }
    }

    /** Root over TLS: the only way in to the external database for the test's own statements. */
    private static Connection tls(Sandbox sandbox) throws SQLException {
        return DriverManager.getConnection(legacy(sandbox).jdbcUrl() + "&sslMode=trust");
    }

    private static MariaDbServer legacy(Sandbox sandbox) {
        return sandbox.primary("legacy", "0");
    }

}
