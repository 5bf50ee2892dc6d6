package io.switchyard.admin;

import io.switchyard.replication.binlog.MariaDbGtidPosition;
import io.switchyard.routing.vindex.KeyRange;
import io.switchyard.routing.vindex.Vindex;
import io.switchyard.sandbox.MariaDbServer;
import io.switchyard.sandbox.Sandbox;
import io.switchyard.sandbox.Sandboxed;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Predicate;

import static io.switchyard.admin.SqlRows.rows;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * A real gateway process ({@code Main serve -c FILE} in its own JVM) runs a MoveTables workflow of two tables from
 * unsharded {@code commerce} to {@code customer} (-80, 80-) while a writer changes the source directly; the gateway is
 * SIGKILLed mid-copy and again mid-replication, restarted each time, and the targets must converge to the source row
 * for row, every row on the shard owning hash(customer_id).
 */
@Sandboxed("commerce:0; customer:-80,80-; topology")
class GatewayKillIT {
    private static final int CUSTOMERS = 200_000;
    private static final int ORDERS = 50_000;
    private static final List<String> TABLES = List.of("customer", "corder");
    private static final List<String> SHARDS = List.of("-80", "80-");
    private static final Duration STARTUP = Duration.ofSeconds(60);
    private static final Duration PROGRESS = Duration.ofSeconds(180);
    private static final String YAML = """
            listeners:
              bind_address: 127.0.0.1
              mysql_port: %d
              http_port: %d
            users:
              - {name: root, password: "", role: admin}
            topology:
              dsn: "mysql://root:@%s/%s"
            keyspaces:
              - name: commerce
                shards:
                  - {name: "0", primary: "%s"}
                vschema:
                  tables:
                    customer: {}
                    corder: {}
              - name: customer
                sharded: true
                shards:
                  - {name: "-80", primary: "%s"}
                  - {name: "80-", primary: "%s"}
                vschema:
                  vindexes:
                    hash: {type: hash}
                  tables:
                    customer:
                      column_vindexes: [{column: customer_id, name: hash}]
                    corder:
                      column_vindexes: [{column: customer_id, name: hash}]
            """;

    private final Sandbox sandbox;
    private final MariaDbServer source;
    private final Path workDir;
    private final List<GatewayProcess> gateways = new ArrayList<>();
    private SourceWriter writer;
    private Thread writing;

    GatewayKillIT(Sandbox sandbox) throws IOException {
        this.sandbox = sandbox;
        this.source = sandbox.primary("commerce", "0");
        this.workDir = Files.createDirectories(Path.of("target", "gateway-kill-it").toAbsolutePath());
    }

    @AfterEach
    void cleanUp() throws InterruptedException {
        try {
            if (writer != null) {
                writer.stop();
                writing.join(10_000);
            }
        } finally {
            for (GatewayProcess gateway : gateways) {
                gateway.kill();
            }
        }
    }

    @Test
    void convergesAfterSigkillMidCopyAndMidReplication() throws Exception {
        source.execute(
                "CREATE TABLE commerce.customer (customer_id BIGINT NOT NULL PRIMARY KEY, email VARCHAR(64))",
                "CREATE TABLE commerce.corder (order_id BIGINT NOT NULL PRIMARY KEY, customer_id BIGINT NOT NULL,"
                        + " price DECIMAL(10,2) NOT NULL, KEY idx_customer (customer_id))",
                "INSERT INTO commerce.customer SELECT seq, CONCAT('c', seq, '@example.com') FROM commerce.seq_1_to_"
                        + CUSTOMERS,
                "INSERT INTO commerce.corder SELECT seq, 1 + seq % " + CUSTOMERS + ", (seq % 1000) + 0.5"
                        + " FROM commerce.seq_1_to_" + ORDERS);

        GatewayProcess first = startGateway("1");
        try (Connection admin = first.connect(); Statement s = admin.createStatement()) {
            s.execute("CREATE WORKFLOW wf MOVE TABLES customer, corder FROM commerce TO customer");
            writer = new SourceWriter(source, 1);
            writing = new Thread(writer, "source-writer");
            writing.start();
            awaitRows(s, "SHOW WORKFLOW wf", rows -> rows.stream().anyMatch(
                    row -> row.get(1).equals("copying") && Long.parseLong(row.get(2)) > 0), PROGRESS);
        }
        first.kill();
        List<String> unfinished = TABLES.stream().filter(t -> targetCount(t) < sourceCount(t)).toList();
        assertFalse(unfinished.isEmpty(), "the kill came after the copy had finished; nothing was interrupted");

        GatewayProcess second = startGateway("2");
        try (Connection admin = second.connect(); Statement s = admin.createStatement()) {
            awaitRows(s, "SHOW WORKFLOW wf", rows -> rows.size() == 2
                    && rows.stream().allMatch(row -> row.get(1).equals("copied")), PROGRESS);
            awaitRows(s, "SHOW WORKFLOWS", rows -> rows.get(0).get(2).equals("running"), PROGRESS);
            long before = writer.operations();
            Thread.sleep(2_000); // replicating what the writer does
            assertTrue(writer.operations() > before, "the writer is active while the gateway replicates");
            assertEquals("running", rows(s, "SHOW WORKFLOWS").get(0).get(2));
        }
        second.kill();

        GatewayProcess third = startGateway("3");
        try (Connection admin = third.connect(); Statement s = admin.createStatement()) {
            awaitRows(s, "SHOW WORKFLOWS", rows -> rows.get(0).get(2).equals("running"), PROGRESS);
            Thread.sleep(2_000);
            writer.stop();
            writing.join();
            assertNull(writer.failure(), () -> "writer failed: " + writer.failure());
            assertTrue(writer.operations() > 0);
            MariaDbGtidPosition goal = MariaDbGtidPosition.parse(source.query("SELECT @@gtid_binlog_pos").get(0)
                    .get(0));
            awaitRows(s, "SHOW WORKFLOW wf STREAMS", rows -> rows.size() == SHARDS.size() && rows.stream().allMatch(
                    row -> row.get(2).equals("running") && MariaDbGtidPosition.parse(row.get(3)).equals(goal)),
                    PROGRESS);
        }
        assertTargetEqualsSource("customer", 0);
        assertTargetEqualsSource("corder", 1);
    }

    private GatewayProcess startGateway(String name) throws Exception {
        int mysqlPort = freePort();
        int httpPort = freePort();
        Path config = workDir.resolve("gateway-" + name + ".yaml");
        Files.writeString(config, YAML.formatted(mysqlPort, httpPort, sandbox.topology().address(),
                sandbox.topology().database(), source.address(), sandbox.primary("customer", "-80").address(),
                sandbox.primary("customer", "80-").address()));
        GatewayProcess gateway = GatewayProcess.start(config, workDir.resolve("gateway-" + name + ".log"), mysqlPort);
        gateways.add(gateway);
        gateway.awaitServing(STARTUP);
        return gateway;
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }

    private long sourceCount(String table) {
        return Long.parseLong(source.query("SELECT COUNT(*) FROM commerce." + table).get(0).get(0));
    }

    /** Rows of {@code table} on the target shards; 0 where the table does not exist yet. */
    private long targetCount(String table) {
        long rows = 0;
        for (String shard : SHARDS) {
            MariaDbServer target = sandbox.primary("customer", shard);
            if (!target.query("SELECT 1 FROM information_schema.tables WHERE table_schema = 'customer'"
                    + " AND table_name = '" + table + "'").isEmpty()) {
                rows += Long.parseLong(target.query("SELECT COUNT(*) FROM customer." + table).get(0).get(0));
            }
        }
        return rows;
    }

    /** The shards' union equals the source row for row (read directly), each row on the shard owning its customer. */
    private void assertTargetEqualsSource(String table, int customerColumn) {
        Vindex hash = Vindex.of("hash");
        List<List<String>> union = new ArrayList<>();
        for (String shard : SHARDS) {
            List<List<String>> rows = sandbox.primary("customer", shard).query("SELECT * FROM customer." + table);
            KeyRange range = KeyRange.parse(shard);
            for (List<String> row : rows) {
                assertTrue(range.contains(hash.keyspaceId(Long.parseLong(row.get(customerColumn)))),
                        () -> table + " row " + row + " is on shard " + shard + ", which does not own it");
            }
            union.addAll(rows);
        }
        union.sort(Comparator.comparingLong(row -> Long.parseLong(row.get(0))));
        List<List<String>> expected = source.query("SELECT * FROM commerce." + table + " ORDER BY 1");
        assertEquals(expected.size(), union.size(), table + " row count");
        assertEquals(expected, union, table);
    }

    /** Polls {@code sql} until {@code done}; errors (the workflow not resumed yet) count as not done. */
    private static void awaitRows(Statement s, String sql, Predicate<List<List<String>>> done, Duration timeout)
            throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        Object last = null;
        while (true) {
            try {
                List<List<String>> rows = rows(s, sql);
                if (!rows.isEmpty() && done.test(rows)) {
                    return;
                }
                last = rows;
            } catch (SQLException e) {
                last = e.getMessage();
            }
            if (System.nanoTime() > deadline) {
                fail(sql + " did not get there within " + timeout + "; last answer: " + last);
            }
            Thread.sleep(100);
        }
    }

    /**
     * One gateway JVM: {@code java -cp <test class path> io.switchyard.admin.Main serve -c FILE}, output to a log
     * file. {@link #kill} sends SIGKILL ({@link Process#destroyForcibly} on Linux) and waits for the exit, so no
     * shutdown hook runs: what the gateway left in the stores is what a crash leaves.
     *
     * <p>Started through {@code /bin/sh -c WATCHDOG}, as the sandbox starts mariadbd: the shell forks a loop that
     * SIGKILLs the gateway once this JVM is gone (even after {@code kill -9}, when no finally block runs), then
     * {@code exec}s java, so the {@link Process} is the gateway itself (same pid, SIGKILL reaches it). The loop ends
     * by itself within a second of the gateway's exit.
     */
    private static final class GatewayProcess {
        private static final String WATCHDOG = """
                jvm=$1; shift
                (
                  trap '' INT HUP
                  while kill -0 "$jvm" 2>/dev/null; do
                    kill -0 $$ 2>/dev/null || exit 0
                    sleep 1
                  done
                  kill -KILL $$ 2>/dev/null
                ) </dev/null >/dev/null 2>&1 &
                exec "$@"
                """;

        private final Process process;
        private final Path log;
        private final int mysqlPort;

        private GatewayProcess(Process process, Path log, int mysqlPort) {
            this.process = process;
            this.log = log;
            this.mysqlPort = mysqlPort;
        }

        static GatewayProcess start(Path config, Path log, int mysqlPort) throws IOException {
            // Surefire runs the tests from a manifest-only jar; the real class path is in this property.
            String classPath = System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
            Path java = Path.of(System.getProperty("java.home"), "bin", "java");
            Process process = new ProcessBuilder("/bin/sh", "-c", WATCHDOG, "gateway-watchdog",
                    Long.toString(ProcessHandle.current().pid()), java.toString(), "-Xmx512m", "-cp", classPath,
                    "io.switchyard.admin.Main", "serve", "-c", config.toString())
                    .redirectErrorStream(true)
                    .redirectOutput(log.toFile())
                    .start();
            return new GatewayProcess(process, log, mysqlPort);
        }

        void awaitServing(Duration timeout) throws InterruptedException {
            long deadline = System.nanoTime() + timeout.toNanos();
            while (true) {
                if (!process.isAlive()) {
                    fail("gateway exited with " + process.exitValue() + ":\n" + logTail());
                }
                try (Connection ignored = connect()) {
                    return;
                } catch (SQLException e) {
                    if (System.nanoTime() > deadline) {
                        fail("gateway not serving on port " + mysqlPort + " within " + timeout + ": " + e.getMessage()
                                + "\n" + logTail());
                    }
                }
                Thread.sleep(200);
            }
        }

        Connection connect() throws SQLException {
            return DriverManager.getConnection("jdbc:mariadb://127.0.0.1:" + mysqlPort
                    + "/commerce?user=root&password=&connectTimeout=2000");
        }

        /** SIGKILL, then wait for the process to be gone. Idempotent. */
        void kill() throws InterruptedException {
            process.destroyForcibly();
            if (!process.waitFor(30, TimeUnit.SECONDS)) {
                fail("gateway pid " + process.pid() + " survived SIGKILL for 30s");
            }
        }

        private String logTail() {
            try {
                List<String> lines = Files.readAllLines(log);
                return String.join("\n", lines.subList(Math.max(0, lines.size() - 40), lines.size()));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }

    /**
     * Random INSERT/UPDATE/DELETE on {@code commerce.customer} and {@code commerce.corder}, straight to the source,
     * until stopped; some updates change {@code customer_id}, moving rows between target shards. Ids that no longer
     * exist change nothing. A little pause between statements keeps it from starving the copy of the two CPUs.
     */
    private static final class SourceWriter implements Runnable {
        private final MariaDbServer source;
        private final Random random;
        private final AtomicLong operations = new AtomicLong();
        private long nextId = 1_000_000;
        private volatile boolean stopped;
        private volatile Throwable failure;

        SourceWriter(MariaDbServer source, long seed) {
            this.source = source;
            this.random = new Random(seed);
        }

        void stop() {
            stopped = true;
        }

        long operations() {
            return operations.get();
        }

        Throwable failure() {
            return failure;
        }

        @Override
        public void run() {
            try (Connection connection = source.connect("commerce")) {
                while (!stopped) {
                    long customer = 1 + random.nextInt(CUSTOMERS);
                    long order = 1 + random.nextInt(ORDERS);
                    switch (random.nextInt(8)) {
                        case 0 -> execute(connection, "INSERT INTO customer VALUES (?, 'new@example.com')", nextId++);
                        case 1 -> execute(connection, "UPDATE customer SET email = CONCAT('u', ?, '@example.com')"
                                + " WHERE customer_id = ?", operations.get(), customer);
                        case 2 -> execute(connection, "UPDATE customer SET customer_id = ? WHERE customer_id = ?",
                                nextId++, customer); // a new key, usually on the other shard
                        case 3 -> execute(connection, "DELETE FROM customer WHERE customer_id = ?", customer);
                        case 4 -> execute(connection, "INSERT INTO corder VALUES (?, ?, 1.25)", nextId++, customer);
                        case 5 -> execute(connection, "UPDATE corder SET price = price + 1 WHERE order_id = ?", order);
                        case 6 -> execute(connection, "UPDATE corder SET customer_id = ? WHERE order_id = ?", customer,
                                order);
                        default -> execute(connection, "DELETE FROM corder WHERE order_id = ?", order);
                    }
                    operations.incrementAndGet();
                    Thread.sleep(2);
                }
            } catch (SQLException | RuntimeException e) {
                failure = e;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                failure = e;
            }
        }

        private static void execute(Connection connection, String sql, Object... values) throws SQLException {
            try (PreparedStatement statement = connection.prepareStatement(sql)) {
                for (int i = 0; i < values.length; i++) {
                    statement.setObject(i + 1, values[i]);
                }
                statement.executeUpdate();
            }
        }
    }
}
