package io.switchyard.routing.topo;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.switchyard.config.SwitchyardConfig;
import io.switchyard.routing.plan.Plan;
import io.switchyard.routing.plan.Planner;
import io.switchyard.routing.plan.RoutingSnapshot;
import io.switchyard.routing.plan.TabletType;
import io.switchyard.routing.plan.VSchemaChange;
import io.switchyard.routing.topo.TopoFixtures.ManualClock;
import io.switchyard.sandbox.MariaDbServer;
import io.switchyard.sandbox.Sandbox;
import io.switchyard.sandbox.Sandboxed;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Two gateways on one topology store, as two {@link TopologyStore} instances (two pools, as two processes would have):
 * a change written through one reaches the other's planner through its watcher.
 */
@Sandboxed("commerce:0; topology")
class TopologyWatcherIT {

    private static final Duration TIMEOUT = Duration.ofSeconds(2);

    private final MariaDbServer topology;
    private final SwitchyardConfig config;
    private final ManualClock clock = new ManualClock(Instant.parse("2025-01-01T00:00:00Z"));
    private ScheduledExecutorService scheduler;
    private TopologyStore gatewayA;
    private TopologyStore gatewayB;

    TopologyWatcherIT(Sandbox sandbox) {
        this.topology = sandbox.topology();
        this.config = TopoFixtures.config(topology);
    }

    @BeforeEach
    void twoGateways() {
        TopoFixtures.dropTables(topology);
        scheduler = Executors.newSingleThreadScheduledExecutor(r -> new Thread(r, "topology-watcher-test"));
        gatewayA = TopologyStore.open(config, TIMEOUT);
        gatewayB = TopologyStore.open(config, TIMEOUT);
    }

    @AfterEach
    void close() throws InterruptedException {
        topology.start(); // no-op unless a test left it stopped
        scheduler.shutdownNow();
        assertTrue(scheduler.awaitTermination(10, TimeUnit.SECONDS));
        gatewayA.close();
        gatewayB.close();
    }

    @Test
    void aRuleWrittenThroughOneGatewayIsRoutedByTheOtherWithinOneSecond() throws InterruptedException {
        Planner plannerB = new Planner(gatewayB.loadSnapshot());
        BlockingQueue<RoutingSnapshot> seen = new LinkedBlockingQueue<>();
        try (TopologyWatcher watcher = TopologyWatcher.start(gatewayB, plannerB.snapshot(), next -> {
            plannerB.update(next);
            seen.add(next);
        }, scheduler, clock)) {
            assertSingleShardOn("commerce", plannerB, "select * from product where id = 1");

            long start = System.nanoTime();
            gatewayA.writeRoutingRules(Map.of("product", "customer"), 0);
            RoutingSnapshot next = seen.poll(5, TimeUnit.SECONDS);
            long elapsedMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);

            assertNotNull(next, "gateway B never saw the change");
            assertTrue(elapsedMillis < 1000, "gateway B saw the change after " + elapsedMillis + " ms");
            assertEquals(Map.of("product", "customer"), next.routingRules().rules());
            assertEquals(gatewayA.version(), next.version());
            assertSame(next, watcher.current());
            // product now resolves to the sharded keyspace, which has no vindex for it: refused, naming the fix.
            Plan plan = plannerB.plan("select * from product where id = 1", Optional.of("commerce"),
                    TabletType.PRIMARY);
            assertTrue(plan instanceof Plan.Refused, plan.toString());
        }
    }

    @Test
    void aVSchemaChangeReachesTheOtherGateway() throws InterruptedException {
        BlockingQueue<RoutingSnapshot> seen = new LinkedBlockingQueue<>();
        try (TopologyWatcher watcher = TopologyWatcher.start(gatewayB, gatewayB.loadSnapshot(), seen::add,
                scheduler, clock)) {
            gatewayA.applyVSchemaChange(new VSchemaChange.AddTable("commerce", "audit"));
            RoutingSnapshot next = seen.poll(5, TimeUnit.SECONDS);
            assertNotNull(next);
            assertTrue(next.keyspace("commerce").orElseThrow().table("audit").isPresent());
            assertTrue(watcher.status().reachable());
        }
    }

    @Test
    void refreshDeliversAnOwnWriteBeforeReturning() {
        BlockingQueue<RoutingSnapshot> seen = new LinkedBlockingQueue<>();
        try (TopologyWatcher watcher = TopologyWatcher.start(gatewayA, gatewayA.loadSnapshot(), seen::add,
                scheduler, clock, Duration.ofHours(1))) {
            gatewayA.writeRoutingRules(Map.of("product", "customer"), 0);
            watcher.refresh();
            assertEquals(1, seen.size());
            watcher.refresh();
            assertEquals(1, seen.size(), "an unchanged version is not delivered again");
        }
    }

    @Test
    void keepsTheLastSnapshotWhileTheStoreIsDownAndRecovers() throws InterruptedException {
        BlockingQueue<RoutingSnapshot> seen = new LinkedBlockingQueue<>();
        RoutingSnapshot initial = gatewayB.loadSnapshot();
        try (TopologyWatcher watcher = TopologyWatcher.start(gatewayB, initial, seen::add, scheduler, clock)) {
            Instant outageStart = clock.instant();
            topology.stop();
            TopoFixtures.until(Duration.ofSeconds(10), () -> !watcher.status().reachable(),
                    () -> "the watcher never noticed the outage: " + watcher.status());
            clock.advance(Duration.ofSeconds(30));
            Thread.sleep(300); // a few more failed polls: still the same snapshot, still the same outage

            TopologyWatcher.Status down = watcher.status();
            assertEquals(Optional.of(outageStart), down.unreachableSince(), "the outage starts once");
            assertTrue(down.problem().orElseThrow().contains("topology store mysql://root:@127.0.0.1:"),
                    down.problem().orElseThrow());
            assertSame(initial, watcher.current());
            assertTrue(seen.isEmpty());

            topology.start();
            writeWithRetry(Map.of("product", "customer"));
            RoutingSnapshot next = seen.poll(10, TimeUnit.SECONDS);
            assertNotNull(next, "the watcher did not recover: " + watcher.status());
            assertEquals(Map.of("product", "customer"), next.routingRules().rules());
            assertTrue(watcher.status().reachable(), watcher.status().toString());
            assertEquals(Optional.empty(), watcher.status().problem());
        }
    }

    @Test
    void aFailingListenerDoesNotStopThePolling() throws InterruptedException {
        BlockingQueue<RoutingSnapshot> seen = new LinkedBlockingQueue<>();
        AtomicBoolean failNext = new AtomicBoolean(true);
        try (TopologyWatcher watcher = TopologyWatcher.start(gatewayB, gatewayB.loadSnapshot(), next -> {
            if (failNext.getAndSet(false)) {
                throw new IllegalStateException("listener bug");
            }
            seen.add(next);
        }, scheduler, clock)) {
            gatewayA.writeRoutingRules(Map.of("product", "customer"), 0);
            TopoFixtures.until(Duration.ofSeconds(5), () -> !failNext.get(), () -> "the listener was never called");
            gatewayA.writeRoutingRules(Map.of("product", "commerce"), 1);
            RoutingSnapshot next = seen.poll(5, TimeUnit.SECONDS);
            assertNotNull(next, "polling stopped after the listener threw");
            assertEquals(Map.of("product", "commerce"), next.routingRules().rules());
            assertEquals(next.version(), watcher.status().version());
        }
    }

    @Test
    void nothingIsDeliveredAfterClose() throws InterruptedException {
        BlockingQueue<RoutingSnapshot> seen = new LinkedBlockingQueue<>();
        TopologyWatcher watcher = TopologyWatcher.start(gatewayB, gatewayB.loadSnapshot(), seen::add, scheduler,
                clock, Duration.ofMillis(10));
        watcher.close();
        gatewayA.writeRoutingRules(Map.of("product", "customer"), 0);
        watcher.refresh();
        assertNull(seen.poll(300, TimeUnit.MILLISECONDS));
    }

    /** Right after a restart the first statement on a pooled connection may still hit a dead socket. */
    private void writeWithRetry(Map<String, String> rules) {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (true) {
            try {
                gatewayA.writeRoutingRules(rules, gatewayA.readRoutingRules().version());
                return;
            } catch (TopologyException e) {
                if (System.nanoTime() > deadline) {
                    throw e;
                }
            }
        }
    }

    private static void assertSingleShardOn(String keyspace, Planner planner, String sql) {
        Plan plan = planner.plan(sql, Optional.of(keyspace), TabletType.PRIMARY);
        assertTrue(plan instanceof Plan.Unsharded u && u.keyspace().equals(keyspace), plan.toString());
    }
}
