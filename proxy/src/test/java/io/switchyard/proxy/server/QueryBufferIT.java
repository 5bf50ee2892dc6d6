package io.switchyard.proxy.server;

import io.prometheus.metrics.model.snapshots.CounterSnapshot;
import io.prometheus.metrics.model.snapshots.GaugeSnapshot;
import io.prometheus.metrics.model.snapshots.MetricSnapshot;
import io.switchyard.routing.plan.Planner;
import io.switchyard.routing.plan.RoutingRules;
import io.switchyard.routing.plan.RoutingSnapshot;
import io.switchyard.sandbox.Sandbox;
import io.switchyard.sandbox.Sandboxed;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Query buffering during a traffic switch, with real clients through a real gateway: {@code product} moves from
 * {@code commerce} to {@code customer} (two MariaDB servers), {@code orders} stays. The test plays the cutover: it
 * holds, waits for the drain, copies the rows itself (standing in for replication), flips the routing rules on the
 * gateway's planner and releases.
 */
@Sandboxed("commerce:0; customer:0")
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class QueryBufferIT {
    private static final String KEYSPACES = """
            keyspaces:
              - name: commerce
                shards:
                  - name: "0"
                    primary: ${sandbox:commerce/0/primary}
              - name: customer
                shards:
                  - name: "0"
                    primary: ${sandbox:customer/0/primary}
            """;
    /** What MoveTables writes at create: every reference to product goes to the source. */
    private static final Map<String, String> TO_SOURCE = Map.of("product", "commerce", "commerce.product", "commerce",
            "customer.product", "commerce");
    private static final Map<String, String> TO_TARGET = Map.of("product", "customer", "commerce.product", "customer",
            "customer.product", "customer");
    private static final Set<String> PRODUCT = Set.of("commerce.product", "customer.product");

    private final Sandbox sandbox;
    private GatewayFixture gateway;
    private Planner planner;
    private QueryBuffer buffer;
    private final ExecutorService clients = Executors.newCachedThreadPool();

    QueryBufferIT(Sandbox sandbox) {
        this.sandbox = sandbox;
    }

    @BeforeAll
    void start() throws Exception {
        gateway = GatewayFixture.start(sandbox, KEYSPACES, LocalCommands.NONE, config -> {
            planner = new Planner(RoutingSnapshot.fromConfig(config));
            return GatewayServer.Options.defaults().withPlanner(planner, VSchemaChanges.inMemory(planner));
        });
        buffer = gateway.server.buffer();
        for (String ks : List.of("commerce", "customer")) {
            sandbox.primary(ks, "0").execute("CREATE TABLE " + ks + ".product (id bigint PRIMARY KEY, writer int)",
                    "CREATE TABLE " + ks + ".orders (id bigint AUTO_INCREMENT PRIMARY KEY, note varchar(32))");
        }
    }

    @AfterAll
    void stop() {
        clients.shutdownNow();
        if (gateway != null) {
            gateway.close();
        }
    }

    @BeforeEach
    void reset() {
        for (String ks : List.of("commerce", "customer")) {
            sandbox.primary(ks, "0").execute("DELETE FROM " + ks + ".product", "DELETE FROM " + ks + ".orders");
        }
        route(TO_SOURCE);
    }

    private void route(Map<String, String> rules) {
        RoutingSnapshot current = planner.snapshot();
        planner.update(current.withRoutingRules(new RoutingRules(current.routingRules().version() + 1, rules)));
    }

    private Connection connect() throws SQLException {
        return gateway.mariadb("commerce", "app", "app");
    }

    private List<Long> ids(String keyspace) {
        return sandbox.primary(keyspace, "0").query("SELECT id FROM " + keyspace + ".product ORDER BY id").stream()
                .map(row -> Long.parseLong(row.get(0))).toList();
    }

    /** One acknowledged INSERT (or the read after it): its id, when it was sent and how long the client waited. */
    private record Write(long id, long sentNanos, long tookNanos) {
    }

    private final ConcurrentLinkedQueue<Write> readWaits = new ConcurrentLinkedQueue<>();

    @Test
    void heldStatementsWaitWithoutFailingAndLandOnTheNewKeyspaceAfterTheFlip() throws Exception {
        int writers = 4;
        AtomicBoolean running = new AtomicBoolean(true);
        AtomicLong nextId = new AtomicLong(1);
        ConcurrentLinkedQueue<Write> acknowledged = new ConcurrentLinkedQueue<>();
        ConcurrentLinkedQueue<Throwable> failures = new ConcurrentLinkedQueue<>();
        AtomicInteger reads = new AtomicInteger();
        AtomicInteger otherTable = new AtomicInteger();
        readWaits.clear();
        List<Future<?>> threads = new ArrayList<>();
        for (int w = 0; w < writers; w++) {
            int writer = w;
            threads.add(clients.submit(() -> {
                try (Connection c = connect(); Statement s = c.createStatement()) {
                    while (running.get()) {
                        long id = nextId.getAndIncrement();
                        long sent = System.nanoTime();
                        s.executeUpdate("INSERT INTO product (id, writer) VALUES (" + id + ", " + writer + ")");
                        acknowledged.add(new Write(id, sent, System.nanoTime() - sent));
                        long read = System.nanoTime();
                        try (var rs = s.executeQuery("SELECT COUNT(*) FROM product WHERE id = " + id)) {
                            rs.next();
                            reads.incrementAndGet();
                        }
                        // A writer may be held at its read rather than its insert: both count as held statements.
                        readWaits.add(new Write(id, read, System.nanoTime() - read));
                    }
                } catch (Throwable e) {
                    failures.add(e);
                }
                return null;
            }));
        }
        threads.add(clients.submit(() -> {
            try (Connection c = connect(); Statement s = c.createStatement()) {
                while (running.get()) {
                    s.executeUpdate("INSERT INTO orders (note) VALUES ('unaffected')");
                    otherTable.incrementAndGet();
                }
            } catch (Throwable e) {
                failures.add(e);
            }
            return null;
        }));
        try {
            switchWhileWriting(writers, running, acknowledged, failures, reads, otherTable);
        } finally {
            running.set(false);
            for (Future<?> thread : threads) {
                thread.get(10, TimeUnit.SECONDS);
            }
        }
    }

    private void switchWhileWriting(int writers, AtomicBoolean running, ConcurrentLinkedQueue<Write> acknowledged,
                                    ConcurrentLinkedQueue<Throwable> failures, AtomicInteger reads,
                                    AtomicInteger otherTable) throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (acknowledged.size() < 40 || otherTable.get() < 10) {
            assertTrue(failures.isEmpty(), failures.toString());
            assertTrue(System.nanoTime() < deadline, "the clients did not get going");
            Thread.sleep(10);
        }
        TrafficHold hold = buffer.hold(PRODUCT, Duration.ofSeconds(10), 1000);
        long heldAt = System.nanoTime();
        assertTrue(hold.awaitDrained(Duration.ofSeconds(5)), "autocommit writes drain at once");
        List<Long> onSource = ids("commerce");
        int otherBefore = otherTable.get();
        Thread.sleep(600);
        assertEquals(onSource, ids("commerce"), "no write reached the source while held");
        assertTrue(otherTable.get() - otherBefore > 10, "orders kept being written while product was held: "
                + (otherTable.get() - otherBefore));
        assertTrue(hold.heldStatements() > 0 && hold.heldStatements() <= writers, "held " + hold.heldStatements());

        // Replication's part, done by hand: the target gets every row the source has.
        StringBuilder copy = new StringBuilder("INSERT INTO customer.product (id, writer) VALUES ");
        sandbox.primary("commerce", "0").query("SELECT id, writer FROM commerce.product").forEach(row ->
                copy.append('(').append(row.get(0)).append(',').append(row.get(1)).append("),"));
        sandbox.primary("customer", "0").execute(copy.substring(0, copy.length() - 1));

        assertTrue(hold.holdUntilRelease());
        route(TO_TARGET);
        assertTrue(hold.release() > 0);
        long releasedAt = System.nanoTime();
        int before = acknowledged.size();
        while (acknowledged.size() < before + 40) {
            assertTrue(failures.isEmpty(), failures.toString());
            Thread.sleep(10);
        }
        running.set(false);
        Thread.sleep(200); // the writers' last statements

        assertTrue(failures.isEmpty(), "no client saw an error: " + failures);
        List<Long> onTarget = ids("customer");
        List<Long> sourceAfter = ids("commerce");
        assertEquals(onSource, sourceAfter, "nothing reached the source after the hold began");
        for (Write write : acknowledged) {
            assertTrue(onTarget.contains(write.id()), "acknowledged write " + write.id() + " is on the target");
            if (write.sentNanos() > heldAt) {
                assertFalse(sourceAfter.contains(write.id()), "write " + write.id() + " sent during the hold went"
                        + " to the target only");
            }
        }
        assertEquals(acknowledged.size(), onTarget.size(), "no write lost or doubled");
        // The statements held were sent around the moment the hold began (just before it, some of them); each
        // writer was held at its insert or at the read that follows it.
        long delayed = java.util.stream.Stream.concat(acknowledged.stream(), readWaits.stream())
                .filter(w -> w.sentNanos() < releasedAt).mapToLong(Write::tookNanos).max().orElse(0);
        assertTrue(delayed >= Duration.ofMillis(500).toNanos(), "held statements waited for the release: "
                + delayed / 1_000_000 + " ms");
        assertTrue(reads.get() > 0);

        assertTrue(metric("switchyard_buffer_statements") > 0);
        assertEquals(0, metric("switchyard_buffer_held_statements"));
        assertTrue(metric("switchyard_buffer_max_hold_seconds") >= 0.5);
    }

    @Test
    void aTransactionUnderWayFinishesAndTheDrainWaitsForItsCommit() throws Exception {
        try (Connection inFlight = connect(); Statement tx = inFlight.createStatement()) {
            inFlight.setAutoCommit(false);
            tx.executeUpdate("INSERT INTO product (id, writer) VALUES (1, 1)");

            TrafficHold hold = buffer.hold(PRODUCT, Duration.ofSeconds(10), 1000);
            try {
                assertFalse(hold.awaitDrained(Duration.ofMillis(300)), "the transaction is still open");
                long started = System.nanoTime();
                tx.executeUpdate("INSERT INTO product (id, writer) VALUES (2, 1)");
                assertTrue(System.nanoTime() - started < Duration.ofMillis(500).toNanos(),
                        "the open transaction's statements are not held");

                Future<Integer> newcomer = clients.submit(() -> {
                    try (Connection c = connect(); Statement s = c.createStatement()) {
                        return s.executeUpdate("INSERT INTO product (id, writer) VALUES (3, 2)");
                    }
                });
                assertThrows(TimeoutException.class, () -> newcomer.get(300, TimeUnit.MILLISECONDS),
                        "a new statement on product waits");
                assertFalse(hold.awaitDrained(Duration.ofMillis(50)));

                inFlight.commit();
                assertTrue(hold.awaitDrained(Duration.ofSeconds(2)), "drained once the COMMIT was answered");
                assertEquals(List.of(1L, 2L), ids("commerce"), "the source has the transaction, not the newcomer");
                assertFalse(newcomer.isDone());

                hold.release(); // no flip: the cutover gave up, and the newcomer runs on the source
                assertEquals(1, newcomer.get(5, TimeUnit.SECONDS));
                assertEquals(List.of(1L, 2L, 3L), ids("commerce"));
            } finally {
                hold.release();
            }
        }
    }

    @Test
    void theWindowReleasesHeldStatementsToTheRoutingInForce() throws Exception {
        TrafficHold hold = buffer.hold(PRODUCT, Duration.ofMillis(700), 1000);
        long started = System.nanoTime();
        try (Connection c = connect(); Statement s = c.createStatement()) {
            assertEquals(1, s.executeUpdate("INSERT INTO product (id, writer) VALUES (7, 1)"));
        }
        long waited = (System.nanoTime() - started) / 1_000_000;
        assertTrue(waited >= 600, "waited " + waited + " ms");
        assertFalse(hold.isActive());
        assertEquals(List.of(7L), ids("commerce"));
        assertFalse(hold.holdUntilRelease(), "too late for the cutover to flip");
    }

    @Test
    void aFullBufferRefusesWithError1317AndTheHeldStatementStillRuns() throws Exception {
        TrafficHold hold = buffer.hold(PRODUCT, Duration.ofSeconds(10), 1);
        try {
            Future<Integer> first = clients.submit(() -> {
                try (Connection c = connect(); Statement s = c.createStatement()) {
                    return s.executeUpdate("INSERT INTO product (id, writer) VALUES (1, 1)");
                }
            });
            long deadline = System.nanoTime() + Duration.ofSeconds(5).toNanos();
            while (hold.heldStatements() == 0) {
                assertTrue(System.nanoTime() < deadline, "the first statement was not held");
                Thread.sleep(10);
            }
            try (Connection c = connect(); Statement s = c.createStatement()) {
                SQLException e = assertThrows(SQLException.class,
                        () -> s.executeUpdate("INSERT INTO product (id, writer) VALUES (2, 1)"));
                assertEquals(1317, e.getErrorCode());
                assertTrue(e.getMessage().contains("traffic switch in progress for table commerce.product"),
                        e.getMessage());
                // The session is fine, and tables not held answer at once.
                assertEquals(1, s.executeUpdate("INSERT INTO orders (note) VALUES ('fine')"));
            }
            hold.release();
            assertEquals(1, first.get(5, TimeUnit.SECONDS));
            assertEquals(List.of(1L), ids("commerce"));
        } finally {
            hold.release();
        }
    }

    @Test
    void preparedStatementsWaitAndAreRoutedByTheFlippedRules() throws Exception {
        try (Connection c = java.sql.DriverManager.getConnection(gateway.mariadbUrl("commerce",
                "user=app&password=app&useServerPrepStmts=true"));
             var insert = c.prepareStatement("INSERT INTO product (id, writer) VALUES (?, ?)")) {
            insert.setLong(1, 10);
            insert.setInt(2, 1);
            assertEquals(1, insert.executeUpdate());
            TrafficHold hold = buffer.hold(PRODUCT, Duration.ofSeconds(10), 1000);
            try {
                Future<Integer> held = clients.submit(() -> {
                    insert.setLong(1, 11);
                    return insert.executeUpdate();
                });
                assertThrows(TimeoutException.class, () -> held.get(300, TimeUnit.MILLISECONDS));
                assertEquals(1, hold.heldStatements());
                assertTrue(hold.holdUntilRelease());
                route(TO_TARGET);
                hold.release();
                assertEquals(1, held.get(5, TimeUnit.SECONDS));
            } finally {
                hold.release();
            }
            insert.setLong(1, 12);
            assertEquals(1, insert.executeUpdate());
        }
        assertEquals(List.of(10L), ids("commerce"));
        assertEquals(List.of(11L, 12L), ids("customer"), "the statement prepared on the source now runs on the target");
    }

    @Test
    void statementsPreparedBeforeTheWorkflowExistedFollowTheSwitchToo() throws Exception {
        route(Map.of()); // no rules yet: the session takes the fast path, prepares are relayed
        try (Connection c = java.sql.DriverManager.getConnection(gateway.mariadbUrl("commerce",
                "user=app&password=app&useServerPrepStmts=true"));
             var insert = c.prepareStatement("INSERT INTO product (id, writer) VALUES (?, 1)");
             var fixed = c.prepareStatement("INSERT INTO product (id, writer) VALUES (100, 1)")) {
            insert.setLong(1, 20);
            assertEquals(1, insert.executeUpdate());
            route(TO_SOURCE); // the workflow is created
            insert.setLong(1, 21);
            assertEquals(1, insert.executeUpdate());
            TrafficHold hold = buffer.hold(PRODUCT, Duration.ofSeconds(10), 1000);
            assertTrue(hold.awaitDrained(Duration.ofSeconds(2)));
            assertTrue(hold.holdUntilRelease());
            route(TO_TARGET);
            hold.release();
            insert.setLong(1, 22);
            assertEquals(1, insert.executeUpdate());
            assertEquals(1, fixed.executeUpdate());
        }
        assertEquals(List.of(20L, 21L), ids("commerce"));
        assertEquals(List.of(22L, 100L), ids("customer"));
    }

    @Test
    void aStatementThePlannerCannotReadWaitsIfItsKeyspaceHasAHeldTable() throws Exception {
        route(Map.of()); // without rules the planner passes what it cannot parse to an unsharded keyspace as it is
        TrafficHold hold = buffer.hold(Set.of("commerce.product"), Duration.ofSeconds(10), 1000);
        try (Connection c = connect(); Statement s = c.createStatement()) {
            Future<Integer> unparsed = clients.submit(() -> {
                try (Connection other = connect(); Statement o = other.createStatement()) {
                    o.executeQuery("SELECT id FROM orders WHERE id = 1 LOCK IN SHARE MODE").close();
                    return 1;
                }
            });
            long started = System.nanoTime();
            assertEquals(1, s.executeUpdate("INSERT INTO orders (note) VALUES ('parsed: not held')"));
            assertTrue(System.nanoTime() - started < Duration.ofMillis(500).toNanos());
            assertThrows(TimeoutException.class, () -> unparsed.get(300, TimeUnit.MILLISECONDS),
                    "no table could be named, so it counts against all of commerce");
            hold.release();
            assertEquals(1, unparsed.get(5, TimeUnit.SECONDS));
        } finally {
            hold.release();
        }
    }

    private double metric(String name) {
        for (MetricSnapshot snapshot : gateway.registry.scrape()) {
            if (snapshot.getMetadata().getName().equals(name)) {
                return snapshot instanceof CounterSnapshot c ? c.getDataPoints().get(0).getValue()
                        : ((GaugeSnapshot) snapshot).getDataPoints().get(0).getValue();
            }
        }
        throw new AssertionError("no metric " + name);
    }
}
