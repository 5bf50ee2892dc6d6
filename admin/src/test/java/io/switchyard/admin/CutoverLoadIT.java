package io.switchyard.admin;

import io.switchyard.config.SwitchyardConfig;
import io.switchyard.proxy.server.GatewayServer;
import io.switchyard.sandbox.MariaDbServer;
import io.switchyard.sandbox.Sandbox;
import io.switchyard.sandbox.Sandboxed;
import org.junit.jupiter.api.Test;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.ReentrantReadWriteLock;

import static io.switchyard.admin.SqlRows.rows;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Issue 6's load test: clients write through two gateways sharing a topology store (a write counts once its gateway
 * acknowledged it) while the workflow — run by the first — switches replicas, switches primaries, reverses, switches
 * primaries again and completes; both gateways hold the moved table's statements during each switch. At the end every
 * acknowledged write is there exactly once with its last value, no client saw an error, and at each switch source and
 * target were identical (compared directly on the servers, writers paused for the comparison only).
 */
@Sandboxed("commerce:0; customer:-80,80-; topology")
class CutoverLoadIT {
    private static final int WRITERS = 4;

    @Test
    void noAcknowledgedWriteIsLostOrDuplicatedAcrossSwitches(Sandbox sandbox) throws Exception {
        SwitchyardConfig config = ApiFixture.config(sandbox);
        MariaDbServer source = sandbox.primary("commerce", "0");
        source.execute("CREATE TABLE commerce.ledger (id BIGINT PRIMARY KEY, writer INT NOT NULL,"
                        + " note VARCHAR(40) NOT NULL)",
                "INSERT INTO commerce.ledger SELECT seq, 0, 'initial' FROM commerce.seq_1_to_1000");
        try (Gateway gateway = Gateway.start(config, GatewayServer.Options.defaults().withPort(0), Optional.of(0));
             Gateway other = Gateway.start(config, GatewayServer.Options.defaults().withPort(0), Optional.of(0));
             Connection admin = connect(gateway); Statement s = admin.createStatement()) {
            s.execute("ALTER VSCHEMA ON customer.ledger ADD VINDEX hash(id) USING hash");
            s.execute("CREATE WORKFLOW cut MOVE TABLES ledger FROM commerce TO customer");
            await(() -> rows(s, "SHOW WORKFLOW cut STREAMS").size() == 2 && rows(s, "SHOW WORKFLOW cut STREAMS")
                    .stream().allMatch(r -> r.get(2).equals("running") && r.get(4) != null), "copy finished");

            Load load = new Load(List.of(gateway, other)); // the switches run on the first; both hold
            load.start();
            Thread.sleep(1_000);
            s.execute("SWITCH TRAFFIC FOR WORKFLOW cut REPLICAS ONLY");
            Thread.sleep(500);
            s.execute("SWITCH TRAFFIC FOR WORKFLOW cut");
            assertEquals("switched_primaries", rows(s, "SHOW WORKFLOWS").get(0).get(2));
            load.pausedCheck(() -> assertSame(sandbox, s, "customer"));
            Thread.sleep(1_000);
            s.execute("REVERSE TRAFFIC FOR WORKFLOW cut");
            assertEquals("running", rows(s, "SHOW WORKFLOWS").get(0).get(2));
            load.pausedCheck(() -> assertSame(sandbox, s, "commerce"));
            Thread.sleep(1_000);
            s.execute("SWITCH TRAFFIC FOR WORKFLOW cut");
            load.pausedCheck(() -> assertSame(sandbox, s, "customer"));
            Thread.sleep(1_000);
            load.stop();

            assertEquals(List.of(), List.copyOf(load.errors), "no client saw an error");
            assertTrue(load.acknowledged.size() > 100, "writes went through: " + load.acknowledged.size());
            assertSame(sandbox, s, "customer");
            Map<Long, String> expected = new ConcurrentHashMap<>(load.acknowledged);
            List<List<String>> target = union(sandbox, "customer");
            Map<Long, Long> copies = new java.util.HashMap<>();
            for (List<String> row : target) {
                copies.merge(Long.parseLong(row.get(0)), 1L, Long::sum);
            }
            for (Map.Entry<Long, String> write : expected.entrySet()) {
                assertEquals(1L, copies.getOrDefault(write.getKey(), 0L), "acknowledged write " + write.getKey());
            }
            for (List<String> row : target) {
                String note = expected.get(Long.parseLong(row.get(0)));
                if (note != null) {
                    assertEquals(note, row.get(2), "last acknowledged value of " + row.get(0));
                }
            }
            s.execute("COMPLETE WORKFLOW cut");
            assertEquals("completed", rows(s, "SHOW WORKFLOWS").get(0).get(2));
            assertEquals(List.of(), source.query("SHOW TABLES FROM commerce LIKE 'ledger'"));
            assertEquals(target, union(sandbox, "customer"), "COMPLETE leaves the target alone");
            Thread.sleep(600); // every gateway follows the rule removal within a poll
            assertEquals(List.of(List.of(Integer.toString(target.size()))),
                    rows(s, "SELECT COUNT(*) FROM customer.ledger"));
            System.out.printf("cutover load: %d acknowledged writes, longest statement %d ms%n",
                    load.acknowledged.size(), load.longestNanos.get() / 1_000_000);
            rows(s, "SHOW WORKFLOW cut LOGS").stream().filter(r -> r.get(2).contains("held"))
                    .forEach(r -> System.out.println("cutover load: " + r.get(2)));
        }
    }

    /** Writers inserting and updating their own rows, a reader, all through the gateway. */
    private static final class Load {
        final Map<Long, String> acknowledged = new ConcurrentHashMap<>();
        final ConcurrentLinkedQueue<String> errors = new ConcurrentLinkedQueue<>();
        final AtomicLong longestNanos = new AtomicLong();
        private final List<Gateway> gateways;
        private final AtomicBoolean running = new AtomicBoolean(true);
        private final ReentrantReadWriteLock pause = new ReentrantReadWriteLock();
        private final List<Thread> threads = new ArrayList<>();

        Load(List<Gateway> gateways) {
            this.gateways = gateways;
        }

        void start() {
            for (int w = 1; w <= WRITERS; w++) {
                int writer = w;
                threads.add(new Thread(() -> write(writer), "writer-" + w));
            }
            threads.add(new Thread(this::read, "reader"));
            threads.forEach(Thread::start);
        }

        void stop() throws InterruptedException {
            running.set(false);
            for (Thread thread : threads) {
                thread.join();
            }
        }

        void pausedCheck(Check check) throws Exception {
            pause.writeLock().lock();
            try {
                check.run();
            } finally {
                pause.writeLock().unlock();
            }
        }

        private void write(int writer) {
            long next = writer * 10_000_000L;
            try (Connection connection = connect(gateways.get(writer % gateways.size()))) {
                while (running.get()) {
                    pause.readLock().lock();
                    try {
                        long id = next++;
                        timed(() -> execute(connection, "INSERT INTO ledger (id, writer, note) VALUES (?, ?, ?)", id, writer, "new"));
                        acknowledged.put(id, "new");
                        if (id % 3 == 0) {
                            String note = "upd" + id;
                            timed(() -> execute(connection, "UPDATE ledger SET note = ? WHERE id = ?", note, id));
                            acknowledged.put(id, note);
                        }
                    } finally {
                        pause.readLock().unlock();
                    }
                }
            } catch (Exception e) {
                errors.add("writer " + writer + ": " + e);
            }
        }

        private void read() {
            try (Connection connection = connect(gateways.get(1 % gateways.size()));
                 PreparedStatement select = connection.prepareStatement("SELECT note FROM ledger WHERE id = ?")) {
                long i = 0;
                while (running.get()) {
                    select.setLong(1, 1 + i++ % 1000);
                    timed(() -> {
                        try (ResultSet rs = select.executeQuery()) {
                            if (!rs.next()) {
                                throw new SQLException("initial row missing");
                            }
                        }
                    });
                }
            } catch (Exception e) {
                errors.add("reader: " + e);
            }
        }

        private void timed(Check statement) throws Exception {
            long start = System.nanoTime();
            statement.run();
            longestNanos.accumulateAndGet(System.nanoTime() - start, Math::max);
        }
    }

    @FunctionalInterface
    private interface Check {
        void run() throws Exception;
    }

    private static void execute(Connection connection, String sql, Object... values) throws SQLException {
        try (PreparedStatement statement = connection.prepareStatement(sql)) {
            for (int i = 0; i < values.length; i++) {
                statement.setObject(i + 1, values[i]);
            }
            assertEquals(1, statement.executeUpdate(), sql);
        }
    }

    /** Once the streams are caught up, the source table equals the union of the target shards, row for row. */
    private static void assertSame(Sandbox sandbox, Statement admin, String serving) throws Exception {
        await(() -> {
            for (List<String> stream : rows(admin, "SHOW WORKFLOW cut STREAMS")) {
                String[] from = stream.get(0).split("/");
                String goal = sandbox.primary(from[0], from[1]).query("SELECT @@gtid_binlog_pos").get(0).get(0);
                if (!stream.get(2).equals("running") || !stream.get(3).equals(goal)) {
                    return false;
                }
            }
            return true;
        }, "streams caught up (traffic on " + serving + ")");
        List<List<String>> source = sandbox.primary("commerce", "0").query("SELECT * FROM commerce.ledger ORDER BY id");
        assertEquals(source, union(sandbox, "customer"), "source and target identical, traffic on " + serving);
    }

    private static List<List<String>> union(Sandbox sandbox, String keyspace) {
        List<List<String>> rows = new ArrayList<>();
        for (String shard : List.of("-80", "80-")) {
            rows.addAll(sandbox.primary(keyspace, shard).query("SELECT * FROM " + keyspace + ".ledger"));
        }
        rows.sort(Comparator.comparingLong(row -> Long.parseLong(row.get(0))));
        return rows;
    }

    private static Connection connect(Gateway gateway) throws SQLException {
        return DriverManager.getConnection("jdbc:mariadb://127.0.0.1:" + gateway.mysqlAddress().getPort()
                + "/commerce?user=root&password=");
    }

    @FunctionalInterface
    private interface Condition {
        boolean ok() throws Exception;
    }

    private static void await(Condition condition, String what) throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (!condition.ok()) {
            assertTrue(System.nanoTime() < deadline, "timed out waiting for " + what);
            Thread.sleep(100);
        }
    }
}
