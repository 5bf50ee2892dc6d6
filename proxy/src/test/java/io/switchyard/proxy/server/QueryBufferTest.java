package io.switchyard.proxy.server;

import io.prometheus.metrics.model.registry.PrometheusRegistry;
import io.switchyard.proxy.codec.ProtocolException;
import io.switchyard.proxy.metrics.GatewayMetrics;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.atomic.AtomicLong;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class QueryBufferTest {
    private final ScheduledExecutorService scheduler = Executors.newSingleThreadScheduledExecutor();
    private final AtomicLong now = new AtomicLong();
    private final QueryBuffer buffer = new QueryBuffer(scheduler, now::get,
            new GatewayMetrics(new PrometheusRegistry()));

    /** A session that runs its tasks inline and has touched what the test says. */
    private static final class FakeSession implements QueryBuffer.Participant {
        Touches open = Touches.NOTHING;

        @Override
        public void execute(Runnable task) {
            task.run();
        }

        @Override
        public boolean touched(TrafficHold hold) {
            return hold.matches(open.tables(), open.keyspaces());
        }
    }

    @AfterEach
    void stop() {
        scheduler.shutdownNow();
    }

    @Test
    void heldStatementsRunInArrivalOrderOnRelease() {
        TrafficHold hold = buffer.hold(Set.of("commerce.product"), Duration.ofMinutes(1), 10);
        List<String> ran = new ArrayList<>();
        FakeSession a = new FakeSession();
        FakeSession b = new FakeSession();
        assertNotNull(buffer.admit(a, Touches.tables(List.of("commerce.product")), () -> ran.add("a")));
        assertNotNull(buffer.admit(b, Touches.tables(List.of("commerce.product", "commerce.orders")),
                () -> ran.add("b")));
        assertNull(buffer.admit(b, Touches.tables(List.of("commerce.orders")), () -> ran.add("never")),
                "other tables are not held");
        assertNull(buffer.admit(b, Touches.tables(List.of("customer.product")), () -> ran.add("never")),
                "the same name in another keyspace is another table");
        assertEquals(2, hold.heldStatements());
        now.addAndGet(Duration.ofMillis(300).toNanos());
        assertEquals(2, hold.release());
        assertEquals(List.of("a", "b"), ran);
        assertFalse(buffer.holding());
        assertEquals(0, hold.release(), "idempotent");
        assertNull(buffer.admit(a, Touches.tables(List.of("commerce.product")), () -> ran.add("c")));
    }

    @Test
    void unattributedStatementsWaitWhenTheirKeyspaceHasAHeldTable() {
        buffer.hold(Set.of("commerce.product"), Duration.ofMinutes(1), 10);
        FakeSession s = new FakeSession();
        assertNotNull(buffer.admit(s, Touches.unattributed("commerce"), () -> { }));
        assertNull(buffer.admit(s, Touches.unattributed("customer"), () -> { }));
    }

    @Test
    void transactionsUnderWayRunToTheirEndAndAwaitDrainedWaitsForThem() throws Exception {
        FakeSession writing = new FakeSession();
        writing.open = Touches.tables(List.of("commerce.product"));
        FakeSession idle = new FakeSession();
        buffer.join(writing);
        buffer.join(idle);
        TrafficHold hold = buffer.hold(Set.of("commerce.product"), Duration.ofMinutes(1), 10);
        assertNull(buffer.admit(writing, Touches.tables(List.of("commerce.product")), () -> { }),
                "its transaction had touched the table: not held");
        assertNotNull(buffer.admit(idle, Touches.tables(List.of("commerce.product")), () -> { }));
        assertFalse(hold.awaitDrained(Duration.ofMillis(50)));
        writing.open = Touches.NOTHING;
        buffer.workEnded(writing); // COMMIT answered
        assertTrue(hold.awaitDrained(Duration.ofSeconds(1)));
        assertTrue(hold.drained().isDone());
    }

    @Test
    void aHoldWithNoTransactionUnderWayIsDrainedAtOnce() throws Exception {
        buffer.join(new FakeSession());
        assertTrue(buffer.hold(Set.of("commerce.product")).awaitDrained(Duration.ofSeconds(1)));
    }

    @Test
    void aFullHoldRefusesMoreWithError1317NamingTheTable() {
        TrafficHold hold = buffer.hold(Set.of("commerce.product"), Duration.ofMinutes(1), 1);
        assertNotNull(buffer.admit(new FakeSession(), Touches.tables(List.of("commerce.product")), () -> { }));
        ProtocolException e = assertThrows(ProtocolException.class, () -> buffer.admit(new FakeSession(),
                Touches.tables(List.of("commerce.product")), () -> { }));
        assertEquals(1317, e.errorCode());
        assertEquals("70100", e.sqlState());
        assertTrue(e.getMessage().contains("traffic switch in progress for table commerce.product"), e.getMessage());
        assertTrue(e.getMessage().contains("retry"), e.getMessage());
        assertEquals(1, hold.heldStatements(), "the statements already held keep waiting");
    }

    @Test
    void theWindowEndsAHoldUnlessTheCutoverTookItOver() throws Exception {
        TrafficHold expiring = buffer.hold(Set.of("commerce.product"), Duration.ofMillis(50), 10);
        List<String> ran = new ArrayList<>();
        buffer.admit(new FakeSession(), Touches.tables(List.of("commerce.product")), () -> ran.add("x"));
        long deadline = System.nanoTime() + Duration.ofSeconds(5).toNanos();
        while (expiring.isActive()) {
            assertTrue(System.nanoTime() < deadline, "the window did not end the hold");
            Thread.sleep(5);
        }
        assertEquals(List.of("x"), ran);
        assertFalse(expiring.holdUntilRelease(), "too late: the cutover must undo");

        TrafficHold kept = buffer.hold(Set.of("commerce.product"), Duration.ofMillis(50), 10);
        assertTrue(kept.holdUntilRelease());
        Thread.sleep(200);
        assertTrue(kept.isActive());
        assertEquals(TrafficHold.State.HELD_UNTIL_RELEASE, kept.state());
        kept.release();
        assertEquals(TrafficHold.State.RELEASED, kept.state());
    }

    @Test
    void aSessionThatGoesAwayGivesUpItsPlace() {
        TrafficHold hold = buffer.hold(Set.of("commerce.product"), Duration.ofMinutes(1), 1);
        TrafficHold.HeldStatement held = buffer.admit(new FakeSession(), Touches.tables(List.of("commerce.product")),
                () -> { });
        assertTrue(held.cancel());
        assertEquals(0, hold.heldStatements());
        assertNotNull(buffer.admit(new FakeSession(), Touches.tables(List.of("commerce.product")), () -> { }));
    }

    @Test
    void badArgumentsAreNamed() {
        assertThrows(IllegalArgumentException.class, () -> buffer.hold(Set.of()));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> buffer.hold(Set.of("product")))
                .getMessage().contains("'product' is not keyspace.table"));
        assertThrows(IllegalArgumentException.class, () -> buffer.hold(Set.of("a.b"), Duration.ZERO, 1));
        assertThrows(IllegalArgumentException.class, () -> buffer.hold(Set.of("a.b"), Duration.ofSeconds(1), 0));
    }
}
