package io.switchyard.proxy.backend;

import io.prometheus.metrics.model.snapshots.CounterSnapshot;
import io.prometheus.metrics.model.snapshots.DataPointSnapshot;
import io.prometheus.metrics.model.snapshots.GaugeSnapshot;
import io.prometheus.metrics.model.snapshots.MetricSnapshot;
import io.switchyard.config.Endpoint;
import io.switchyard.config.SwitchyardConfig;
import io.switchyard.proxy.codec.Capabilities;
import io.switchyard.proxy.codec.Collations;
import io.switchyard.proxy.session.TabletType;
import io.switchyard.sandbox.MariaDbServer;
import io.switchyard.sandbox.Sandbox;
import io.switchyard.sandbox.Sandboxed;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Pools and routing against a real MariaDB shard: reuse and reset, limits, replicas, a server going down. */
@Sandboxed("commerce:0+1")
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class BackendsIT {
    private static final ClientOptions PLAIN = ClientOptions.of(0, Collations.UTF8MB4_GENERAL_CI);
    private static final ClientOptions FOUND_ROWS = ClientOptions.of(Capabilities.CLIENT_FOUND_ROWS,
            Collations.UTF8MB4_GENERAL_CI);

    private final BackendFixture fixture = new BackendFixture();
    private Sandbox sandbox;
    private MariaDbServer primary;
    private MariaDbServer replica;

    @BeforeAll
    void start(Sandbox sandbox) {
        this.sandbox = sandbox;
        this.primary = sandbox.primary("commerce", "0");
        this.replica = sandbox.replicas("commerce", "0").get(0);
        primary.execute("CREATE TABLE commerce.counter (id INT PRIMARY KEY, n INT)",
                "INSERT INTO commerce.counter VALUES (1, 7)");
    }

    @AfterAll
    void stop() {
        fixture.close();
    }

    @Test
    void aReleasedConnectionIsResetAndLentAgain() throws Exception {
        try (Backends backends = fixture.backends(BackendFixture.config(sandbox, "pool_max_size: 2"))) {
            Backends.Lease first = acquire(backends, TabletType.PRIMARY, PLAIN);
            long threadId = first.connection().threadId();
            first.connection().query("SET @x = 5").get(5, TimeUnit.SECONDS);
            first.connection().query("SET SESSION sql_mode = 'ANSI_QUOTES'").get(5, TimeUnit.SECONDS);
            first.connection().query("SET NAMES latin1").get(5, TimeUnit.SECONDS);
            backends.release(first);
            awaitIdle(primary);

            Backends.Lease second = acquire(backends, TabletType.PRIMARY, PLAIN);
            assertEquals(threadId, second.connection().threadId(), "the same connection comes back");
            assertNull(value(second, "SELECT @x"), "user variables are gone after COM_RESET_CONNECTION");
            assertFalse(value(second, "SELECT @@sql_mode").contains("ANSI_QUOTES"), "session variables too");
            assertEquals("utf8mb4", value(second, "SELECT @@character_set_client"),
                    "the handshake's character set is restored");
            assertEquals(1.0, gauge("switchyard_backend_pool_connections", primary));
            assertEquals(1.0, gauge("switchyard_backend_pool_in_use", primary));
            backends.release(second);
            awaitIdle(primary);
        }
        await(() -> gauge("switchyard_backend_pool_connections", primary) == 0.0, 5_000, "close of every connection");
    }

    @Test
    void aSecondReleaseOfTheSameLeaseIsIgnored() throws Exception {
        try (Backends backends = fixture.backends(BackendFixture.config(sandbox, "pool_max_size: 4"))) {
            Backends.Lease lease = acquire(backends, TabletType.PRIMARY, PLAIN);
            backends.release(lease);
            backends.release(lease);
            awaitIdle(primary);
            backends.release(lease);
            Backends.Lease a = acquire(backends, TabletType.PRIMARY, PLAIN);
            Backends.Lease b = acquire(backends, TabletType.PRIMARY, PLAIN);
            assertNotEquals(a.connection().threadId(), b.connection().threadId(), "never lent twice");
            backends.release(a);
            backends.release(b);
        }
    }

    @Test
    void aConnectionThatDiesMidQueryFailsTheListenerAndIsNotReused() throws Exception {
        try (Backends backends = fixture.backends(BackendFixture.config(sandbox, "pool_max_size: 4"))) {
            Backends.Lease lease = acquire(backends, TabletType.PRIMARY, PLAIN);
            Collected collected = new Collected();
            lease.connection().execute(io.switchyard.proxy.codec.CommandType.COM_QUERY,
                    io.switchyard.proxy.packet.command.TextCommand.query("SELECT SLEEP(10)")
                            .encode(io.netty.buffer.ByteBufAllocator.DEFAULT, 0), collected);
            Thread.sleep(200);
            primary.execute("KILL CONNECTION " + lease.connection().threadId());
            ExecutionException e = assertThrows(ExecutionException.class,
                    () -> collected.future().get(5, TimeUnit.SECONDS));
            BackendException cause = assertInstanceOf(BackendException.class, e.getCause());
            assertEquals(BackendException.Kind.LOST, cause.kind());
            assertEquals(2013, cause.errorCode());
            assertTrue(cause.getMessage().contains(primary.address()), cause.getMessage());
            assertFalse(lease.connection().isOpen());
            backends.release(lease);
            Backends.Lease next = acquire(backends, TabletType.PRIMARY, PLAIN);
            assertNotEquals(lease.connection().threadId(), next.connection().threadId());
            backends.release(next);
        }
    }

    @Test
    void releasingMidResponseClosesTheConnection() throws Exception {
        try (Backends backends = fixture.backends(BackendFixture.config(sandbox, "pool_max_size: 4"))) {
            Backends.Lease lease = acquire(backends, TabletType.PRIMARY, PLAIN);
            Collected collected = new Collected();
            lease.connection().execute(io.switchyard.proxy.codec.CommandType.COM_QUERY,
                    io.switchyard.proxy.packet.command.TextCommand.query("SELECT SLEEP(2)")
                            .encode(io.netty.buffer.ByteBufAllocator.DEFAULT, 0), collected);
            backends.release(lease);
            ExecutionException e = assertThrows(ExecutionException.class,
                    () -> collected.future().get(5, TimeUnit.SECONDS));
            assertEquals(BackendException.Kind.LOST, assertInstanceOf(BackendException.class, e.getCause()).kind());
            await(() -> gauge("switchyard_backend_pool_connections", primary) == 0.0, 5_000, "close");
        }
    }

    @Test
    void clientOptionsGetTheirOwnConnections() throws Exception {
        try (Backends backends = fixture.backends(BackendFixture.config(sandbox, "pool_max_size: 4"))) {
            Backends.Lease plain = acquire(backends, TabletType.PRIMARY, PLAIN);
            Backends.Lease found = acquire(backends, TabletType.PRIMARY, FOUND_ROWS);
            assertNotEquals(plain.connection().threadId(), found.connection().threadId());
            String unchanged = "UPDATE counter SET n = n WHERE id = 1";
            assertEquals(0, plain.connection().query(unchanged).get(5, TimeUnit.SECONDS).affectedRows());
            assertEquals(1, found.connection().query(unchanged).get(5, TimeUnit.SECONDS).affectedRows(),
                    "CLIENT_FOUND_ROWS counts matched rows, as the client asked");
            backends.release(plain);
            backends.release(found);
        }
    }

    @Test
    void aFullPoolMakesSessionsWaitThenFailsWith1040() throws Exception {
        String config = "pool_max_size: 2\nconnect_timeout: 500ms";
        try (Backends backends = fixture.backends(BackendFixture.config(sandbox, config))) {
            Backends.Lease a = acquire(backends, TabletType.PRIMARY, PLAIN);
            Backends.Lease b = acquire(backends, TabletType.PRIMARY, FOUND_ROWS);
            long started = System.nanoTime();
            BackendException e = failure(backends.acquire("commerce", "0", TabletType.PRIMARY, PLAIN,
                    fixture.group.next()));
            long waited = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started);
            assertTrue(waited >= 400 && waited < 3000, "waited " + waited + " ms");
            assertEquals(BackendException.Kind.POOL_EXHAUSTED, e.kind());
            assertEquals(1040, e.errorCode());
            assertEquals("keyspace commerce shard 0 primary " + primary.address() + ": too many connections: all 2"
                    + " connections to " + primary.address() + " are in use (backend.pool_max_size) and none was"
                    + " released within 0.5 s (backend.connect_timeout)", e.getMessage());
            assertTrue(counter("switchyard_backend_pool_waits", primary) >= 1);

            // KILL QUERY uses a connection outside the budget, so it works when the pool is full.
            backends.killQuery(a).get(5, TimeUnit.SECONDS);

            CompletableFuture<Backends.Lease> waiting = backends.acquire("commerce", "0", TabletType.PRIMARY, PLAIN,
                    fixture.group.next());
            Thread.sleep(100);
            assertFalse(waiting.isDone());
            backends.release(a);
            Backends.Lease c = waiting.get(5, TimeUnit.SECONDS);
            assertEquals(a.connection().threadId(), c.connection().threadId(), "the waiter got the released one");
            backends.release(b);
            backends.release(c);
        }
    }

    @Test
    void optionVariantsShareTheServersBudget() throws Exception {
        try (Backends backends = fixture.backends(BackendFixture.config(sandbox, "pool_max_size: 1"))) {
            Backends.Lease plain = acquire(backends, TabletType.PRIMARY, PLAIN);
            backends.release(plain);
            awaitIdle(primary);
            // The budget is spent by PLAIN's idle connection: it is closed to make room for FOUND_ROWS.
            Backends.Lease found = acquire(backends, TabletType.PRIMARY, FOUND_ROWS);
            assertNotEquals(plain.connection().threadId(), found.connection().threadId());
            assertEquals(1.0, gauge("switchyard_backend_pool_connections", primary));
            backends.release(found);
        }
    }

    @Test
    void replicaReadsGoRoundRobinAndSkipADeadReplica() throws Exception {
        String dead = BackendFixture.deadEndpoint();
        // The live replica twice, under two names, plus a dead one.
        String alias = "localhost:" + replica.port();
        SwitchyardConfig config = BackendFixture.config("pool_max_size: 4", "", primary.address(),
                List.of(replica.address(), dead, alias));
        try (Backends backends = fixture.backends(config)) {
            List<String> served = new ArrayList<>();
            for (int i = 0; i < 6; i++) {
                Backends.Lease lease = acquire(backends, TabletType.REPLICA, PLAIN);
                assertEquals(TabletType.REPLICA, lease.type());
                assertEquals(String.valueOf(replica.serverId()), value(lease, "SELECT @@server_id"));
                served.add(lease.endpoint().toString());
                backends.release(lease);
            }
            assertFalse(served.contains(dead), served.toString());
            assertEquals(Set.of(replica.address(), alias), new HashSet<>(served), "both live names are used");
            assertFalse(backends.isUp(Endpoint.parse(dead)));
            assertTrue(backends.isUp(Endpoint.parse(replica.address())));
        }
    }

    @Test
    void withoutHealthyReplicasReadsFailUnlessFallbackIsConfigured() throws Exception {
        String dead = BackendFixture.deadEndpoint();
        SwitchyardConfig strict = BackendFixture.config("pool_max_size: 4", "", primary.address(), List.of(dead));
        try (Backends backends = fixture.backends(strict)) {
            long started = System.nanoTime();
            BackendException e = failure(backends.acquire("commerce", "0", TabletType.REPLICA, PLAIN,
                    fixture.group.next()));
            assertTrue(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started) < 1000);
            assertEquals(BackendException.Kind.UNAVAILABLE, e.kind());
            assertEquals(1105, e.errorCode());
            assertTrue(e.getMessage().startsWith("keyspace commerce shard 0 has no healthy replica: keyspace commerce"
                    + " shard 0 replica " + dead + " is unavailable: connection refused (retrying with backoff;"
                    + " next attempt in "), e.getMessage());
        }
        SwitchyardConfig lenient = BackendFixture.config("pool_max_size: 4\nreplica_fallback_to_primary: true", "",
                primary.address(), List.of(dead));
        try (Backends backends = fixture.backends(lenient)) {
            Backends.Lease lease = acquire(backends, TabletType.REPLICA, PLAIN);
            assertEquals(TabletType.PRIMARY, lease.type());
            assertEquals(primary.address(), lease.endpoint().toString());
            backends.release(lease);
        }
    }

    @Test
    void anUnknownHostIsUnavailableWithItsName() throws Exception {
        SwitchyardConfig config = BackendFixture.config("pool_max_size: 4", "", "no-such-host.invalid:3306",
                List.of());
        try (Backends backends = fixture.backends(config)) {
            BackendException e = failure(backends.acquire("commerce", "0", TabletType.PRIMARY, PLAIN,
                    fixture.group.next()));
            assertTrue(e.getMessage().startsWith("keyspace commerce shard 0 primary no-such-host.invalid:3306 is"
                    + " unavailable: unknown host no-such-host.invalid (retrying with backoff"), e.getMessage());
        }
    }

    @Test
    void aDownPrimaryFailsFastAndIsUsedAgainOnceItIsBack() throws Exception {
        String config = "pool_max_size: 4\nhealth_check_interval: 200ms";
        try (Backends backends = fixture.backends(BackendFixture.config(sandbox, config))) {
            backends.release(acquire(backends, TabletType.PRIMARY, PLAIN));
            awaitIdle(primary);
            primary.stop();
            try {
                // The server closed the idle connection on shutdown; give the event loop a moment to see it.
                Thread.sleep(200);
                long started = System.nanoTime();
                BackendException e = failure(backends.acquire("commerce", "0", TabletType.PRIMARY, PLAIN,
                        fixture.group.next()));
                assertTrue(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started) < 1000);
                assertEquals(BackendException.Kind.UNAVAILABLE, e.kind());
                assertTrue(e.getMessage().startsWith("keyspace commerce shard 0 primary " + primary.address()
                        + " is unavailable: connection refused (retrying with backoff; next attempt in "),
                        e.getMessage());
                assertFalse(backends.isUp(Endpoint.parse(primary.address())));

                started = System.nanoTime();
                failure(backends.acquire("commerce", "0", TabletType.PRIMARY, PLAIN, fixture.group.next()));
                assertTrue(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started) < 100, "fails fast");
            } finally {
                primary.start();
            }
            await(() -> backends.isUp(Endpoint.parse(primary.address())), 10_000, "the health check's probe");
            Backends.Lease lease = acquire(backends, TabletType.PRIMARY, PLAIN);
            assertEquals("1", value(lease, "SELECT 1"));
            backends.release(lease);
        }
    }

    @Test
    void theHealthCheckPingsIdleConnectionsAndKeepsThem() throws Exception {
        String config = "pool_max_size: 4\nhealth_check_interval: 100ms";
        try (Backends backends = fixture.backends(BackendFixture.config(sandbox, config))) {
            Backends.Lease lease = acquire(backends, TabletType.PRIMARY, PLAIN);
            long threadId = lease.connection().threadId();
            backends.release(lease);
            awaitIdle(primary);
            Thread.sleep(1_000);
            // The server restarts a thread's TIME with every command it answers: pings keep it short.
            double idle = idleMillis(threadId);
            assertTrue(idle < 600, "idle for " + idle + " ms on the server despite pings every 100 ms");
            Backends.Lease again = acquire(backends, TabletType.PRIMARY, PLAIN);
            assertEquals(threadId, again.connection().threadId(), "a pinged connection goes back to the pool");
            backends.release(again);
        }
    }

    @Test
    void idleConnectionsAreClosedAfterTheIdleTimeout() throws Exception {
        String config = "pool_max_size: 4\npool_idle_timeout: 300ms\nhealth_check_interval: 100ms";
        try (Backends backends = fixture.backends(BackendFixture.config(sandbox, config))) {
            backends.release(acquire(backends, TabletType.PRIMARY, PLAIN));
            await(() -> gauge("switchyard_backend_pool_connections", primary) == 0.0, 5_000, "idle eviction");
        }
    }

    /** How long the server has seen thread {@code threadId} idle since its last command. */
    private double idleMillis(long threadId) {
        return Double.parseDouble(primary.query("SELECT TIME_MS FROM information_schema.PROCESSLIST WHERE ID = "
                + threadId).get(0).get(0));
    }

    private Backends.Lease acquire(Backends backends, TabletType type, ClientOptions options) throws Exception {
        return backends.acquire("commerce", "0", type, options, fixture.group.next()).get(5, TimeUnit.SECONDS);
    }

    private static String value(Backends.Lease lease, String sql) throws Exception {
        return lease.connection().query(sql).get(5, TimeUnit.SECONDS).singleValue();
    }

    private static BackendException failure(CompletableFuture<Backends.Lease> acquire) {
        ExecutionException e = assertThrows(ExecutionException.class, () -> acquire.get(5, TimeUnit.SECONDS));
        return assertInstanceOf(BackendException.class, e.getCause());
    }

    /** Waits until the primary's pools lend nothing (a release resets asynchronously). */
    private void awaitIdle(MariaDbServer server) throws InterruptedException {
        await(() -> gauge("switchyard_backend_pool_in_use", server) == 0.0, 5_000, "release of " + server);
    }

    private static void await(BooleanSupplier condition, long millis, String what) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(millis);
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("timed out after " + millis + " ms waiting for " + what);
            }
            Thread.sleep(20);
        }
    }

    /** Sum of a gauge's series for one endpoint (pools of several option sets share a series). */
    private double gauge(String name, MariaDbServer server) {
        double sum = 0;
        for (MetricSnapshot snapshot : fixture.registry.scrape()) {
            if (snapshot instanceof GaugeSnapshot gauge && gauge.getMetadata().getName().equals(name)) {
                sum += sumFor(gauge.getDataPoints(), server);
            }
        }
        return sum;
    }

    private double counter(String name, MariaDbServer server) {
        double sum = 0;
        for (MetricSnapshot snapshot : fixture.registry.scrape()) {
            if (snapshot instanceof CounterSnapshot counter && counter.getMetadata().getName().equals(name)) {
                for (CounterSnapshot.CounterDataPointSnapshot point : counter.getDataPoints()) {
                    if (server.address().equals(point.getLabels().get("endpoint"))) {
                        sum += point.getValue();
                    }
                }
            }
        }
        return sum;
    }

    private static double sumFor(List<GaugeSnapshot.GaugeDataPointSnapshot> points, MariaDbServer server) {
        double sum = 0;
        for (GaugeSnapshot.GaugeDataPointSnapshot point : points) {
            if (server.address().equals(((DataPointSnapshot) point).getLabels().get("endpoint"))) {
                sum += point.getValue();
            }
        }
        return sum;
    }
}
