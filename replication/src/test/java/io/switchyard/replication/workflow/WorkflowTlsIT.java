package io.switchyard.replication.workflow;

import io.switchyard.config.BackendTls;
import io.switchyard.config.ConfigLoader;
import io.switchyard.config.Credentials;
import io.switchyard.config.Keyspace;
import io.switchyard.config.PlaceholderResolver;
import io.switchyard.config.SwitchyardConfig;
import io.switchyard.replication.apply.ApplyOptions;
import io.switchyard.replication.binlog.BinlogSource;
import io.switchyard.replication.binlog.BinlogStream;
import io.switchyard.replication.binlog.BinlogStreamException;
import io.switchyard.replication.binlog.TableName;
import io.switchyard.replication.copy.CopyOptions;
import io.switchyard.routing.topo.TopologyStore;
import io.switchyard.sandbox.MariaDbServer;
import io.switchyard.sandbox.Sandbox;
import io.switchyard.sandbox.Sandboxed;
import io.switchyard.sandbox.TestCa;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * A workflow's control path honours the source keyspace's TLS settings: the source, {@code legacy}, accepts TLS
 * connections only ({@code require_secure_transport}), with a certificate from a CA made up here; copy, binlog
 * stream and status all reach it, with a password user and with a client-certificate user ({@code REQUIRE X509}),
 * while a wrong CA or server name fails at once with the certificate problem in the message.
 */
@Sandboxed("legacy:0; target:0; topology")
class WorkflowTlsIT {
    private static final Duration WAIT = Duration.ofSeconds(60);
    private static final String PASSWORD = "Tls-secret-4711";
    private static final TestCa CA = TestCa.create("Switchyard workflow test CA");
    private static final TestCa OTHER_CA = TestCa.create("Some other CA");
    private static final TestCa.Issued SERVER = CA.server("legacy", "127.0.0.1", "db.example.test");
    private static final TestCa.Issued CLIENT = CA.client("switchyard-importer");
    private static final String YAML = """
            users:
              - name: root
                password: ""
                role: admin
            topology:
              dsn: "mysql://root:@%s/%s"
            keyspaces:
              - name: legacy
                credentials: { user: tls_pw, password: "%s" }
                tls: { mode: verify_ca, ca: "%s" }
                shards:
                  - name: "0"
                    primary: %s
              - name: target
                shards:
                  - name: "0"
                    primary: %s
            """;

    @TempDir
    static Path dir;

    private final Sandbox sandbox;
    private final SwitchyardConfig config;
    private final ScheduledExecutorService executor = Executors.newScheduledThreadPool(2);
    private final AtomicLong serverIds =
            new AtomicLong(ThreadLocalRandom.current().nextLong(1_000_000, 3_000_000_000L));
    private final WorkflowDependencies deps = new WorkflowDependencies(executor, Thread::new, Clock.systemUTC(),
            serverIds::incrementAndGet, new CopyOptions(200, 4 << 20), ApplyOptions.DEFAULTS, Duration.ofMillis(200));
    private final List<AutoCloseable> closing = new ArrayList<>();

    WorkflowTlsIT(Sandbox sandbox) {
        this.sandbox = sandbox;
        MariaDbServer topo = sandbox.topology();
        this.config = ConfigLoader.parse(YAML.formatted(topo.address(), topo.database(), PASSWORD,
                dir.resolve("ca.pem"), legacy(sandbox).address(), sandbox.primary("target", "0").address()),
                PlaceholderResolver.none());
    }

    @BeforeAll
    static void tlsOnly(Sandbox sandbox) throws Exception {
        Files.writeString(dir.resolve("ca.pem"), CA.pem());
        SERVER.write(dir, "server");
        legacy(sandbox).restartWith(List.of("--ssl-ca=" + dir.resolve("ca.pem"),
                "--ssl-cert=" + dir.resolve("server-cert.pem"), "--ssl-key=" + dir.resolve("server-key.pem")));
        legacy(sandbox).execute(
                "CREATE USER 'tls_pw'@'%' IDENTIFIED BY '" + PASSWORD + "' REQUIRE SSL",
                "GRANT ALL PRIVILEGES ON *.* TO 'tls_pw'@'%'",
                "CREATE USER 'tls_x509'@'%' REQUIRE X509",
                "GRANT ALL PRIVILEGES ON *.* TO 'tls_x509'@'%'",
                // Set at run time: the sandbox's readiness probe at (re)start logs in without TLS.
                "SET GLOBAL require_secure_transport = ON");
        assertThrows(SQLException.class, () -> legacy(sandbox).connect().close(), "plain connections are refused");
    }

    @AfterAll
    static void plainAgain(Sandbox sandbox) throws SQLException {
        try (Connection c = tls(sandbox); Statement s = c.createStatement()) {
            s.execute("SET GLOBAL require_secure_transport = OFF");
        }
        legacy(sandbox).restartWith(List.of());
    }

    @AfterEach
    void cleanUp() throws Exception {
        for (int i = closing.size() - 1; i >= 0; i--) {
            closing.get(i).close();
        }
        executor.shutdownNow();
    }

    @Test
    void verifyCaWithAPasswordCopiesAndReplicates() throws Exception {
        createTable("by_password", 1_000);
        TopologyStore topology = open();
        MoveTablesWorkflow workflow = MoveTablesWorkflow.create(
                MoveTablesSpec.of("tls_pw", "legacy", "target", List.of("by_password")), config, topology, deps);
        closing.add(workflow);

        copyWhileWritingThenReplicate(workflow, "by_password");
    }

    @Test
    void mutualTlsWithVerifyIdentityAndAServerNameCopiesAndReplicates() throws Exception {
        createTable("by_certificate", 1_000);
        TopologyStore topology = open();
        BackendTls tls = new BackendTls(BackendTls.Mode.VERIFY_IDENTITY, Optional.empty(), Optional.of(CA.pem()),
                Optional.of(new BackendTls.ClientCertificate(CLIENT.certificatePem(), CLIENT.keyPem())),
                Optional.of("db.example.test"), Optional.of("TLSv1.2"));
        SwitchyardConfig mtls = withLegacy(new Credentials("tls_x509", ""), tls);
        long keyStoresBefore = keyStoreDirs();
        MoveTablesWorkflow workflow = MoveTablesWorkflow.create(
                MoveTablesSpec.of("tls_x509", "legacy", "target", List.of("by_certificate")), mtls, topology, deps);
        closing.add(workflow);

        copyWhileWritingThenReplicate(workflow, "by_certificate");
        assertTrue(keyStoreDirs() > keyStoresBefore, "the client certificate is in a key store file while running");
        workflow.close();
        assertEquals(keyStoresBefore, keyStoreDirs(), "closing the workflow deletes its key store");
    }

    @Test
    void aWrongCaOrServerNameFailsAtOnceNamingTheCertificateProblem() throws Exception {
        createTable("refused", 10);
        TopologyStore topology = open();
        SwitchyardConfig otherCa = withLegacy(new Credentials("tls_pw", PASSWORD), new BackendTls(
                BackendTls.Mode.VERIFY_CA, Optional.empty(), Optional.of(OTHER_CA.pem()), Optional.empty(),
                Optional.empty(), Optional.empty()));
        SQLException wrongCa = assertThrows(SQLException.class, () -> MoveTablesWorkflow.create(
                MoveTablesSpec.of("wrong_ca", "legacy", "target", List.of("refused")), otherCa, topology, deps));
        assertTrue(wrongCa.getMessage().startsWith("cannot connect to keyspace legacy at " + legacy().address()
                + ": the server's certificate is not signed by the given CA"), wrongCa.getMessage());
        assertNoPassword(wrongCa);

        SwitchyardConfig otherName = withLegacy(new Credentials("tls_pw", PASSWORD), new BackendTls(
                BackendTls.Mode.VERIFY_IDENTITY, Optional.empty(), Optional.of(CA.pem()), Optional.empty(),
                Optional.of("other.example.test"), Optional.empty()));
        SQLException wrongName = assertThrows(SQLException.class, () -> MoveTablesWorkflow.create(
                MoveTablesSpec.of("wrong_name", "legacy", "target", List.of("refused")), otherName, topology, deps));
        assertTrue(wrongName.getMessage().contains("the certificate's name does not match host other.example.test"),
                wrongName.getMessage());

        // The binlog stream checks the same way, and stops with the same words rather than retrying or hanging.
        for (SwitchyardConfig wrong : List.of(otherCa, otherName)) {
            try (Servers servers = new Servers()) {
                Keyspace legacy = wrong.keyspace("legacy").orElseThrow();
                BinlogSource source = new BinlogSource(legacy().host(), legacy().port(), "tls_pw", PASSWORD,
                        serverIds.incrementAndGet(), Duration.ofMillis(500),
                        servers.binlogTls(legacy, legacy.shards().get(0)));
                CompletableFuture<BinlogStreamException> failure = new CompletableFuture<>();
                try (BinlogStream ignored = BinlogStream.start(source, gtidPosition(),
                        Set.of(new TableName("legacy", "refused")), () -> tls(sandbox), Thread::new, event -> {
                        }, failure::complete, Clock.systemUTC())) {
                    BinlogStreamException stopped = failure.get(10, TimeUnit.SECONDS);
                    String expected = wrong == otherCa ? "the server's certificate is not signed by the given CA"
                            : "the certificate's name does not match host other.example.test";
                    assertTrue(stopped.getMessage().contains(expected), stopped.getMessage());
                    assertNoPassword(stopped);
                }
            }
        }
    }

    /**
     * Starts {@code workflow} while 300 rows are being inserted, waits until the copy is done, inserts 200 more and
     * waits until the target has every row of the source.
     */
    private void copyWhileWritingThenReplicate(MoveTablesWorkflow workflow, String table) throws Exception {
        Thread writer = new Thread(() -> insert(table, 1_000_000, 300), "tls-writer");
        writer.start();
        workflow.start();
        writer.join();
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (!workflow.status().state().equals("running")) {
            assertFalse(workflow.status().state().equals("error"), () -> "workflow failed: " + status(workflow));
            if (System.nanoTime() > deadline) {
                fail("copy not done within " + WAIT + ": " + status(workflow));
            }
            Thread.sleep(50);
        }
        insert(table, 2_000_000, 200); // after the copy: only the binlog stream can bring these
        List<List<String>> expected = rows(tls(sandbox), "legacy." + table);
        assertEquals(1_000 + 300 + 200, expected.size());
        while (!rows(sandbox.primary("target", "0").connect(), "target." + table).equals(expected)) {
            assertFalse(workflow.status().state().equals("error"), () -> "workflow failed: " + status(workflow));
            if (System.nanoTime() > deadline) {
                fail("the target did not catch up within " + WAIT + ": " + status(workflow));
            }
            Thread.sleep(50);
        }
    }

    private TopologyStore open() {
        TopologyStore topology = TopologyStore.open(config, Duration.ofSeconds(2));
        closing.add(topology);
        return topology;
    }

    private SwitchyardConfig withLegacy(Credentials credentials, BackendTls tls) {
        List<Keyspace> keyspaces = new ArrayList<>();
        for (Keyspace k : config.keyspaces()) {
            keyspaces.add(!k.name().equals("legacy") ? k : new Keyspace(k.name(), k.sharded(), k.database(),
                    credentials, tls, k.shards(), k.vschema()));
        }
        return new SwitchyardConfig(config.listeners(), config.users(), config.topology(), config.backend(),
                keyspaces);
    }

    private void createTable(String table, int rows) throws SQLException {
        try (Connection c = tls(sandbox); Statement s = c.createStatement()) {
            s.execute("CREATE TABLE legacy." + table + " (id BIGINT NOT NULL PRIMARY KEY, name VARCHAR(40) NOT NULL)"
                    + " ENGINE=InnoDB");
        }
        insert(table, 1, rows);
    }

    private void insert(String table, long firstId, int rows) {
        try (Connection c = tls(sandbox);
             PreparedStatement insert = c.prepareStatement("INSERT INTO legacy." + table + " VALUES (?, ?)")) {
            for (long id = firstId; id < firstId + rows; id++) {
                insert.setLong(1, id);
                insert.setString(2, "row " + id);
                insert.executeUpdate();
            }
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    private String gtidPosition() throws SQLException {
        return rows(tls(sandbox), "(SELECT @@gtid_binlog_pos) AS p").get(0).get(0);
    }

    /** Every row of {@code from}, ordered by its first column; closes {@code connection}. */
    private static List<List<String>> rows(Connection connection, String from) throws SQLException {
        List<List<String>> rows = new ArrayList<>();
        try (connection; Statement s = connection.createStatement();
             ResultSet rs = s.executeQuery("SELECT * FROM " + from + " ORDER BY 1")) {
            int columns = rs.getMetaData().getColumnCount();
            while (rs.next()) {
                List<String> row = new ArrayList<>();
                for (int i = 1; i <= columns; i++) {
                    row.add(rs.getString(i));
                }
                rows.add(row);
            }
        }
        return rows;
    }

    private static String status(MoveTablesWorkflow workflow) {
        try {
            return workflow.status() + ", log " + workflow.logs(20);
        } catch (SQLException e) {
            return "status unavailable: " + e.getMessage();
        }
    }

    private static void assertNoPassword(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause()) {
            assertFalse(String.valueOf(t.getMessage()).contains(PASSWORD), t::toString);
        }
    }

    /** Temporary key store directories the gateway has written and not deleted. */
    private static long keyStoreDirs() throws Exception {
        try (Stream<Path> files = Files.list(Path.of(System.getProperty("java.io.tmpdir")))) {
            return files.filter(p -> p.getFileName().toString().startsWith("switchyard-tls-")).count();
        }
    }

    /** Root over TLS: the only way in for the test's own statements. */
    private static Connection tls(Sandbox sandbox) throws SQLException {
        return DriverManager.getConnection(legacy(sandbox).jdbcUrl() + "&sslMode=trust");
    }

    private MariaDbServer legacy() {
        return legacy(sandbox);
    }

    private static MariaDbServer legacy(Sandbox sandbox) {
        return sandbox.primary("legacy", "0");
    }
}
