package io.switchyard.replication.workflow;

import io.switchyard.replication.binlog.MariaDbGtidPosition;
import io.switchyard.replication.verify.VerificationStore;
import io.switchyard.replication.verify.VerifyReport;
import io.switchyard.routing.topo.TopologyStore;
import io.switchyard.routing.vindex.KeyRange;
import io.switchyard.routing.vindex.Vindex;
import io.switchyard.sandbox.MariaDbServer;
import io.switchyard.sandbox.Sandbox;
import io.switchyard.sandbox.Sandboxed;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * The workflow lifecycle without a gateway (writes go straight to whichever side serves them): verify, switch
 * replicas, switch primaries, reverse, complete, cancel, refusals in the wrong state, and crashes at each journaled
 * step of a switch, undone or finished on resume. Source and target are compared directly at every switch.
 */
@Sandboxed("commerce:0; customer:-80,80-; topology")
class TrafficSwitchIT {
    private static final Vindex HASH = Vindex.of("hash");
    private static final String VSCHEMA = "      vindexes:\n        hash: { type: hash }\n      tables:\n"
            + table("customer", "customer_id") + table("corder", "customer_id") + table("item", "id")
            + table("gadget", "id");

    private final WorkflowFixture fixture;
    private final MariaDbServer source;
    private final List<AutoCloseable> closing = new ArrayList<>();

    TrafficSwitchIT(Sandbox sandbox) {
        this.fixture = new WorkflowFixture(sandbox, Map.of("customer", VSCHEMA));
        this.source = sandbox.primary("commerce", "0");
    }

    private static String table(String name, String column) {
        return "        " + name + ":\n          column_vindexes: [ { column: " + column + ", name: hash } ]\n";
    }

    @AfterEach
    void cleanUp() throws Exception {
        for (int i = closing.size() - 1; i >= 0; i--) {
            closing.get(i).close();
        }
        fixture.close();
    }

    @Test
    void verifiesSwitchesReversesAndCompletes() throws Exception {
        CommerceWriter.createTables(source, 1_000, 1_500);
        TopologyStore topology = open();
        MoveTablesWorkflow workflow = MoveTablesWorkflow.create(MoveTablesSpec.of("life", "commerce", "customer",
                List.of("customer", "corder")), fixture.config, topology, fixture.deps);
        closing.add(workflow);
        CommerceWriter writer = new CommerceWriter(source, 1_000_000, 800, 11);
        Thread writing = new Thread(writer, "writer");
        writing.start();
        workflow.start();
        writing.join();
        assertNull(writer.failure(), () -> "writer failed: " + writer.failure());
        fixture.awaitCaughtUp(workflow, "commerce");

        // Verification: identical, then three differences made behind Switchyard's back, then identical again.
        List<VerificationStore.TableVerification> clean = verify(workflow);
        assertTrue(clean.stream().allMatch(t -> t.report().orElseThrow().identical()), clean::toString);
        assertEquals("verified_data", workflow.status().state());
        long changed = idOnShard("-80", "customer", "customer_id");
        MariaDbServer low = fixture.sandbox.primary("customer", "-80");
        List<String> original = low.query("SELECT customer_id, email FROM customer.customer WHERE customer_id = "
                + changed).get(0);
        low.execute("UPDATE customer.customer SET email = 'changed@example.com' WHERE customer_id = " + changed,
                "INSERT INTO customer.customer VALUES (" + extraId("-80") + ", 'extra@example.com')");
        long missing = idOnShard("80-", "customer", "customer_id");
        MariaDbServer high = fixture.sandbox.primary("customer", "80-");
        List<String> deleted = high.query("SELECT customer_id, email FROM customer.customer WHERE customer_id = "
                + missing).get(0);
        high.execute("DELETE FROM customer.customer WHERE customer_id = " + missing);
        VerifyReport report = verify(workflow).stream().filter(t -> t.table().equals("customer")).findFirst()
                .orElseThrow().report().orElseThrow();
        assertEquals(1, report.mismatched(), report::summary);
        assertEquals(1, report.extraTarget(), report::summary);
        assertEquals(1, report.extraSource(), report::summary);
        assertTrue(report.mismatchedSamples().toString().contains(Long.toString(changed)), report::summary);
        assertTrue(report.extraSourceSamples().toString().contains(Long.toString(missing)), report::summary);
        low.execute("UPDATE customer.customer SET email = " + quote(original.get(1)) + " WHERE customer_id = "
                + changed, "DELETE FROM customer.customer WHERE customer_id = " + extraId("-80"));
        high.execute("INSERT INTO customer.customer VALUES (" + missing + ", " + quote(deleted.get(1)) + ")");

        // Wrong states are refused with what to do instead.
        assertMessage(() -> workflow.reverseTraffic(false, TrafficGate.NONE, SwitchOptions.DEFAULTS),
                "REVERSE TRAFFIC runs after SWITCH TRAFFIC");
        assertMessage(() -> workflow.complete(SourceTables.DROP), "COMPLETE WORKFLOW runs after SWITCH TRAFFIC");

        workflow.switchTraffic(true, false, TrafficGate.NONE, SwitchOptions.DEFAULTS);
        assertEquals("switched_replicas", workflow.status().state());
        assertEquals("customer", topology.readRoutingRules().rules().get("customer@replica"));
        assertEquals("commerce", topology.readRoutingRules().rules().get("customer"));

        String dryRun = workflow.switchTraffic(false, true, TrafficGate.NONE, SwitchOptions.DEFAULTS);
        assertTrue(dryRun.startsWith("DRY RUN, nothing changed. Checks pass."), dryRun);
        assertTrue(dryRun.contains("LOCK TABLES"), dryRun);
        assertEquals("commerce", topology.readRoutingRules().rules().get("customer"));

        workflow.switchTraffic(false, false, TrafficGate.NONE, SwitchOptions.DEFAULTS);
        assertEquals("switched_primaries", workflow.status().state());
        assertEquals("customer", topology.readRoutingRules().rules().get("commerce.customer"));
        assertTablesEqual();
        assertEquals(2, workflow.status().streams().size(), "reverse streams customer/-80 and customer/80- -> 0");
        assertMessage(() -> workflow.cancel(false), "REVERSE TRAFFIC first");

        // Writes on the target now replicate back to the source.
        writeOnTarget(2_000_000, 200);
        awaitReverseCaughtUp(workflow);
        assertTablesEqual();

        workflow.reverseTraffic(false, TrafficGate.NONE, SwitchOptions.DEFAULTS);
        assertEquals("running", workflow.status().state());
        assertEquals("commerce", topology.readRoutingRules().rules().get("customer@replica"));
        CommerceWriter after = new CommerceWriter(source, 3_000_000, 300, 12);
        after.run();
        assertNull(after.failure());
        fixture.awaitCaughtUp(workflow, "commerce");
        assertTablesEqual();

        workflow.switchTraffic(false, false, TrafficGate.NONE, SwitchOptions.DEFAULTS);
        assertTablesEqual();
        String done = workflow.complete(SourceTables.DROP);
        assertTrue(done.contains("This cannot be undone"), done);
        assertEquals("completed", workflow.status().state());
        assertTrue(workflow.status().finishedAt().isPresent());
        assertEquals(List.of(), source.query("SHOW TABLES FROM commerce LIKE 'c%'"));
        assertFalse(topology.readRoutingRules().rules().containsKey("customer"));
        assertMessage(workflow::start, "is completed");
        assertMessage(() -> workflow.cancel(false), "is completed already");
    }

    @Test
    void cancelAfterAReplicaSwitchPutsEverythingBack() throws Exception {
        source.execute("CREATE TABLE commerce.item (id BIGINT PRIMARY KEY, v VARCHAR(10))",
                "INSERT INTO commerce.item SELECT seq, 'v' FROM commerce.seq_1_to_500");
        TopologyStore topology = open();
        MoveTablesWorkflow workflow = MoveTablesWorkflow.create(MoveTablesSpec.of("nope", "commerce", "customer",
                List.of("item")), fixture.config, topology, fixture.deps);
        closing.add(workflow);
        workflow.start();
        fixture.awaitCaughtUp(workflow, "commerce");
        workflow.switchTraffic(true, false, TrafficGate.NONE, SwitchOptions.DEFAULTS);
        String cancelled = workflow.cancel(false);
        assertTrue(cancelled.contains("cancelled"), cancelled);
        assertEquals("cancelled", workflow.status().state());
        assertTrue(topology.readRoutingRules().rules().keySet().stream().noneMatch(k -> k.contains("item")),
                topology.readRoutingRules().rules()::toString);
        for (MariaDbServer shard : fixture.primaries("customer")) {
            assertEquals(List.of(), shard.query("SHOW TABLES FROM customer LIKE 'item'"));
        }
        assertEquals(List.of(List.of("500")), source.query("SELECT COUNT(*) FROM commerce.item"));
    }

    @Test
    void crashesDuringASwitchAreUndoneBeforeTheFlipAndFinishedAfterIt() throws Exception {
        source.execute("CREATE TABLE commerce.gadget (id BIGINT PRIMARY KEY, v VARCHAR(10))",
                "INSERT INTO commerce.gadget SELECT seq, 'v' FROM commerce.seq_1_to_300");
        TopologyStore topology = open();
        MoveTablesWorkflow workflow = MoveTablesWorkflow.create(MoveTablesSpec.of("crash", "commerce", "customer",
                List.of("gadget")), fixture.config, topology, fixture.deps);
        workflow.start();
        fixture.awaitCaughtUp(workflow, "commerce");

        for (CrashingGate.At at : List.of(CrashingGate.At.DRAIN, CrashingGate.At.BEFORE_FLIP)) {
            CrashingGate gate = new CrashingGate(at);
            assertThrows(CrashingGate.Crash.class, () -> workflow.switchTraffic(false, false, gate,
                    SwitchOptions.DEFAULTS));
            workflow.close(); // the gateway dies here
            MoveTablesWorkflow resumed = MoveTablesWorkflow.resume("crash", fixture.config, topology, fixture.deps);
            assertEquals("switched_replicas", resumed.status().state(), () -> "after a crash at " + at);
            assertEquals("commerce", topology.readRoutingRules().rules().get("gadget"));
            source.execute("INSERT INTO commerce.gadget VALUES (" + (1000 + at.ordinal()) + ", 'after')");
            fixture.awaitCaughtUp(resumed, "commerce");
            fixture.assertTargetEqualsSource("commerce", "customer", "gadget", 0);
            resumed.close();
        }

        MoveTablesWorkflow again = MoveTablesWorkflow.resume("crash", fixture.config, topology, fixture.deps);
        CrashingGate afterFlip = new CrashingGate(CrashingGate.At.AFTER_FLIP);
        assertThrows(CrashingGate.Crash.class, () -> again.switchTraffic(false, false, afterFlip,
                SwitchOptions.DEFAULTS));
        again.close();
        MoveTablesWorkflow finished = MoveTablesWorkflow.resume("crash", fixture.config, topology, fixture.deps);
        closing.add(finished);
        assertEquals("switched_primaries", finished.status().state());
        assertEquals("customer", topology.readRoutingRules().rules().get("gadget"));
        fixture.sandbox.primary("customer", shardOf(5000)).execute("INSERT INTO customer.gadget VALUES (5000, 't')");
        awaitReverseCaughtUp(finished);
        assertEquals(List.of(List.of("t")), source.query("SELECT v FROM commerce.gadget WHERE id = 5000"));
    }

    /** A gateway that dies at one point of a switch: an Error, which the switch does not catch. */
    private static final class CrashingGate implements TrafficGate {
        enum At { DRAIN, BEFORE_FLIP, AFTER_FLIP }

        static final class Crash extends Error {
            Crash(At at) {
                super("simulated gateway crash at " + at);
            }
        }

        private final At at;

        CrashingGate(At at) {
            this.at = at;
        }

        @Override
        public Hold hold(Set<String> tables, Duration window, int maxHeld) {
            return new Hold() {
                @Override
                public boolean awaitDrained(Duration timeout) {
                    if (at == At.DRAIN) {
                        throw new Crash(at);
                    }
                    return true;
                }

                @Override
                public boolean holdUntilRelease() {
                    if (at == At.BEFORE_FLIP) {
                        throw new Crash(at);
                    }
                    return true;
                }

                @Override
                public void release() {
                }
            };
        }

        @Override
        public void refreshRouting() {
            if (at == At.AFTER_FLIP) {
                throw new Crash(at);
            }
        }
    }

    private List<VerificationStore.TableVerification> verify(MoveTablesWorkflow workflow) throws Exception {
        workflow.verify();
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (workflow.status().state().equals("verifying_data")) {
            assertTrue(System.nanoTime() < deadline, "verification did not finish");
            Thread.sleep(100);
        }
        List<VerificationStore.TableVerification> results = workflow.verification();
        assertTrue(results.stream().allMatch(t -> t.state() == VerificationStore.State.DONE), results::toString);
        return results;
    }

    private void assertTablesEqual() {
        fixture.assertTargetEqualsSource("commerce", "customer", "customer", 0);
        fixture.assertTargetEqualsSource("commerce", "customer", "corder", 1);
    }

    /** Inserts, updates and deletes customers on the target shards directly, each on the shard owning it. */
    private void writeOnTarget(long firstId, int count) {
        for (long id = firstId; id < firstId + count; id++) {
            fixture.sandbox.primary("customer", shardOf(id)).execute("INSERT INTO customer.customer VALUES (" + id
                    + ", 'reverse@example.com')");
        }
        long victim = idOnShard("-80", "customer", "customer_id");
        fixture.sandbox.primary("customer", "-80").execute("DELETE FROM customer.customer WHERE customer_id = "
                + victim, "UPDATE customer.customer SET email = 'r2' WHERE customer_id = " + firstId % 1000);
    }

    private void awaitReverseCaughtUp(MoveTablesWorkflow workflow) throws Exception {
        long deadline = System.nanoTime() + WorkflowFixture.CATCH_UP.toNanos();
        while (true) {
            WorkflowStatus status = workflow.status();
            boolean caughtUp = !status.streams().isEmpty();
            for (WorkflowStatus.StreamStatus stream : status.streams()) {
                String shard = stream.sourceShard().substring(stream.sourceShard().indexOf('/') + 1);
                MariaDbGtidPosition goal = MariaDbGtidPosition.parse(fixture.sandbox.primary("customer", shard)
                        .query("SELECT @@gtid_binlog_pos").get(0).get(0));
                caughtUp &= stream.state().equals("running") && MariaDbGtidPosition.parse(stream.pos()).equals(goal);
            }
            if (caughtUp) {
                return;
            }
            if (System.nanoTime() > deadline) {
                fail("reverse streams not caught up: " + status);
            }
            Thread.sleep(50);
        }
    }

    private long idOnShard(String shard, String table, String column) {
        return Long.parseLong(fixture.sandbox.primary("customer", shard).query("SELECT MIN(" + column + ") FROM"
                + " customer." + table).get(0).get(0));
    }

    private static long extraId(String shard) {
        for (long id = 9_000_000; ; id++) {
            if (shardOf(id).equals(shard)) {
                return id;
            }
        }
    }

    private static String shardOf(long id) {
        return KeyRange.parse("-80").contains(HASH.keyspaceId(id)) ? "-80" : "80-";
    }

    private static String quote(String value) {
        return value == null ? "NULL" : "'" + value.replace("'", "''") + "'";
    }

    @FunctionalInterface
    private interface Action {
        void run() throws Exception;
    }

    private static void assertMessage(Action action, String expected) {
        Exception e = assertThrows(Exception.class, action::run);
        assertTrue(e.getMessage().contains(expected), e.getMessage());
    }

    private TopologyStore open() {
        TopologyStore topology = TopologyStore.open(fixture.config, Duration.ofSeconds(2));
        closing.add(topology);
        return topology;
    }
}
