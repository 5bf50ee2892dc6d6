package io.switchyard.admin;

import io.switchyard.config.Backend;
import io.switchyard.config.BackendTls;
import io.switchyard.config.ConfigLoader;
import io.switchyard.config.Keyspace;
import io.switchyard.config.Listeners;
import io.switchyard.config.SwitchyardConfig;
import io.switchyard.config.User;
import io.switchyard.proxy.server.GatewayServer;
import io.switchyard.replication.external.ExternalAuth;
import io.switchyard.replication.external.ExternalKeyspace;
import io.switchyard.sandbox.TestCa;
import io.switchyard.sandbox.MariaDbServer;
import io.switchyard.sandbox.Sandbox;
import io.switchyard.sandbox.Sandboxed;
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
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import static io.switchyard.admin.SqlRows.rows;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@link ExternalKeyspace#toKeyspace()} is a keyspace the gateway can serve: over TLS verified against the CA given
 * as PEM text, with SSL SERVER NAME, TLS MIN VERSION and a client certificate for a user that requires X509.
 */
@Sandboxed("commerce:0; ext:0; topology")
class ExternalKeyspaceServeIT {
    private static final TestCa CA = TestCa.create("Switchyard serve CA");
    private static final TestCa.Issued SERVER = CA.server("db.example.test", "db.example.test");
    private static final TestCa.Issued CLIENT = CA.client("switchyard-gateway");

    @TempDir
    static Path dir;

    @BeforeAll
    static void tlsServer(Sandbox sandbox) throws Exception {
        Files.writeString(dir.resolve("ca.pem"), CA.pem());
        SERVER.write(dir, "server");
        MariaDbServer ext = sandbox.primary("ext", "0");
        ext.restartWith(List.of("--ssl-ca=" + dir.resolve("ca.pem"), "--ssl-cert=" + dir.resolve("server-cert.pem"),
                "--ssl-key=" + dir.resolve("server-key.pem")));
        ext.execute("CREATE TABLE ext.customer (id BIGINT PRIMARY KEY, email VARCHAR(64))",
                "INSERT INTO ext.customer VALUES (1, 'alice@example.com'), (2, 'bob@example.com')",
                "CREATE USER 'gateway'@'%' REQUIRE X509",
                "GRANT ALL ON ext.* TO 'gateway'@'%'");
    }

    @AfterAll
    static void plain(Sandbox sandbox) {
        sandbox.primary("ext", "0").restartWith(List.of());
    }

    @Test
    void theGatewayServesAnExternalKeyspaceOverMutualTls(Sandbox sandbox) throws Exception {
        ExternalKeyspace legacy = external(sandbox, Optional.of(CA.pem()), Optional.of("db.example.test"));
        try (Gateway gateway = start(sandbox, legacy.toKeyspace()); Connection c = connect(gateway);
             Statement s = c.createStatement()) {
            assertEquals(List.of(List.of("1", "alice@example.com"), List.of("2", "bob@example.com")),
                    rows(s, "SELECT id, email FROM customer ORDER BY id"));
            assertEquals(List.of(List.of("gateway@%")), rows(s, "SELECT CURRENT_USER()"));
        }
    }

    @Test
    void aCertificateFromAnotherCaIsRefusedPerQueryNotFatally(Sandbox sandbox) throws Exception {
        ExternalKeyspace wrongCa = external(sandbox, Optional.of(TestCa.create("Other CA").pem()),
                Optional.of("db.example.test"));
        try (Gateway gateway = start(sandbox, wrongCa.toKeyspace())) {
            // The driver's session setup already reaches the backend, so the connection itself fails.
            SQLException refused = assertThrows(SQLException.class, () -> connect(gateway).close());
            StringBuilder causes = new StringBuilder();
            for (Throwable t = refused; t != null; t = t.getCause()) {
                causes.append(t.getMessage()).append('\n');
            }
            assertTrue(causes.toString().contains("keyspace legacy shard 0 primary 127.0.0.1:"
                    + sandbox.primary("ext", "0").port() + " is unavailable: TLS handshake failed"), causes.toString());
            try (Connection c = DriverManager.getConnection("jdbc:mariadb://127.0.0.1:"
                    + gateway.mysqlAddress().getPort() + "/commerce?user=root&password=");
                 Statement s = c.createStatement()) {
                assertEquals(List.of(List.of("1")), rows(s, "SELECT 1"), "other keyspaces are unaffected");
            }
        }
    }

    private static ExternalKeyspace external(Sandbox sandbox, Optional<String> ca, Optional<String> serverName) {
        return new ExternalKeyspace("legacy", "127.0.0.1", sandbox.primary("ext", "0").port(), "ext", "gateway",
                new ExternalAuth.ClientCertificate(CLIENT.certificatePem(), CLIENT.keyPem()),
                BackendTls.Mode.VERIFY_IDENTITY, ca, Optional.of("TLSv1.2"), serverName, 4, List.of());
    }

    private static Connection connect(Gateway gateway) throws SQLException {
        return DriverManager.getConnection("jdbc:mariadb://127.0.0.1:" + gateway.mysqlAddress().getPort()
                + "/legacy?user=root&password=");
    }

    private static Gateway start(Sandbox sandbox, Keyspace external) throws InterruptedException {
        SwitchyardConfig base = ConfigLoader.parse("""
                users:
                  - {name: root, password: "", role: admin}
                topology:
                  dsn: "mysql://root:@%s/switchyard_topo"
                keyspaces:
                  - name: commerce
                    shards:
                      - name: "0"
                        primary: %s
                """.formatted(sandbox.topology().address(), sandbox.primary("commerce", "0").address()),
                (p, n) -> Optional.empty());
        List<Keyspace> keyspaces = new ArrayList<>(base.keyspaces());
        keyspaces.add(external);
        SwitchyardConfig config = new SwitchyardConfig(Listeners.defaults(), List.of(new User("root", "",
                User.Role.ADMIN)), base.topology(), Backend.defaults(), keyspaces);
        return Gateway.start(config, GatewayServer.Options.defaults().withPort(0), Optional.of(0));
    }
}
