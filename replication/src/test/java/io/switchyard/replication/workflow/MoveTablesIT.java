package io.switchyard.replication.workflow;

import io.switchyard.config.ConfigLoader;
import io.switchyard.config.PlaceholderResolver;
import io.switchyard.config.SwitchyardConfig;
import io.switchyard.replication.apply.ApplyOptions;
import io.switchyard.replication.binlog.MariaDbGtidPosition;
import io.switchyard.replication.copy.CopyOptions;
import io.switchyard.routing.topo.TopologyStore;
import io.switchyard.routing.vindex.KeyRange;
import io.switchyard.routing.vindex.Vindex;
import io.switchyard.sandbox.MariaDbServer;
import io.switchyard.sandbox.Sandbox;
import io.switchyard.sandbox.Sandboxed;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicLong;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * MoveTables {@code commerce} (unsharded) → {@code customer} (-80, 80-) by hash(customer_id) for two tables, with a
 * writer changing the source throughout copy and replication, a simulated gateway crash, and a resume.
 */
@Sandboxed("commerce:0; customer:-80,80-; topology")
class MoveTablesIT {
    private static final List<String> SHARDS = List.of("-80", "80-");
    private static final Duration CATCH_UP = Duration.ofSeconds(40);
    private static final String YAML = """
            users:
              - name: root
                password: ""
                role: admin
            topology:
              dsn: "mysql://root:@%s/%s"
            keyspaces:
              - name: commerce
                sharded: false
                shards:
                  - name: "0"
                    primary: %s
              - name: customer
                sharded: true
                shards:
                  - name: "-80"
                    primary: %s
                  - name: "80-"
                    primary: %s
                vschema:
                  vindexes:
                    hash: { type: hash }
                  tables:
                    customer:
                      column_vindexes: [ { column: customer_id, name: hash } ]
                    corder:
                      column_vindexes: [ { column: customer_id, name: hash } ]
            """;

    private final Sandbox sandbox;
    private final MariaDbServer source;
    private final SwitchyardConfig config;
    private final ScheduledExecutorService executor = Executors.newSingleThreadScheduledExecutor(
            r -> new Thread(r, "workflow-driver"));
    private final AtomicLong serverIds = new AtomicLong(ThreadLocalRandom.current().nextLong(1_000_000, 3_000_000_000L));
    private final WorkflowDependencies deps;
    private final List<AutoCloseable> closing = new ArrayList<>();

    MoveTablesIT(Sandbox sandbox) {
        this.sandbox = sandbox;
        this.source = sandbox.primary("commerce", "0");
        MariaDbServer topo = sandbox.topology();
        this.config = ConfigLoader.parse(YAML.formatted(topo.address(), topo.database(), source.address(),
                sandbox.primary("customer", "-80").address(), sandbox.primary("customer", "80-").address()),
                PlaceholderResolver.none());
        this.deps = new WorkflowDependencies(executor, Thread::new, Clock.systemUTC(), serverIds::incrementAndGet,
                new CopyOptions(500, 4 << 20), ApplyOptions.DEFAULTS, Duration.ofMillis(200));
    }

    @AfterEach
    void cleanUp() throws Exception {
        for (int i = closing.size() - 1; i >= 0; i--) {
            closing.get(i).close();
        }
        executor.shutdownNow();
    }

    @Test
    void copiesReplicatesAndResumesAfterACrash() throws Exception {
        CommerceWriter.createTables(source, 2_000, 3_000);
        TopologyStore topology = TopologyStore.open(config, Duration.ofSeconds(2));
        closing.add(topology);

        IllegalArgumentException refused = assertThrows(IllegalArgumentException.class, () -> MoveTablesWorkflow
                .create(MoveTablesSpec.of("bad", "commerce", "customer", List.of("nope")), config, topology, deps));
        assertTrue(refused.getMessage().contains("'nope' does not exist"), refused.getMessage());

        MoveTablesWorkflow workflow = MoveTablesWorkflow.create(
                MoveTablesSpec.of("wf", "commerce", "customer", List.of()), config, topology, deps);
        closing.add(workflow);
        assertEquals(List.of("corder", "customer"), workflow.spec().tables(), "ALL resolves to the source's tables");

        CommerceWriter writer = new CommerceWriter(source, 1_000_000, 1_500, 1);
        Thread writing = new Thread(writer, "source-writer");
        writing.start(); // runs through the copies, fast-forwards and replication
        workflow.start();
        writing.join();
        assertNull(writer.failure(), () -> "writer failed: " + writer.failure());
        awaitCaughtUp(workflow);
        assertTargetsEqualSource("customer", "customer_id");
        assertTargetsEqualSource("corder", "order_id");

        Map<String, String> expectedRules = new HashMap<>();
        for (String table : List.of("customer", "corder")) {
            for (String from : List.of(table, "commerce." + table, "customer." + table)) {
                expectedRules.put(from, "commerce");
                expectedRules.put(from + "@replica", "commerce");
            }
        }
        assertEquals(expectedRules, topology.readRoutingRules().rules());
        WorkflowStatus status = workflow.status();
        assertEquals("running", status.state(), status::toString);
        assertTrue(status.tables().stream().allMatch(t -> t.state().equals("copied") && t.rowsCopied() > 0),
                status::toString);

        workflow.close(); // a crash: nothing flushed, nothing recorded
        closing.remove(workflow);
        CommerceWriter after = new CommerceWriter(source, 2_000_000, 800, 2);
        Thread writingAfter = new Thread(after, "source-writer-2");
        writingAfter.start();
        MoveTablesWorkflow resumed = MoveTablesWorkflow.resume("wf", config, topology, deps);
        closing.add(resumed);
        writingAfter.join();
        assertNull(after.failure(), () -> "writer failed: " + after.failure());
        awaitCaughtUp(resumed);
        assertTargetsEqualSource("customer", "customer_id");
        assertTargetsEqualSource("corder", "order_id");

        resumed.stop();
        assertEquals("stopped", resumed.status().state());
        CommerceWriter whileStopped = new CommerceWriter(source, 3_000_000, 200, 3);
        whileStopped.run();
        assertNull(whileStopped.failure(), () -> "writer failed: " + whileStopped.failure());
        resumed.start();
        awaitCaughtUp(resumed);
        assertTargetsEqualSource("customer", "customer_id");
        assertTargetsEqualSource("corder", "order_id");
    }

    /** Until every stream is running at the source's current position. */
    private void awaitCaughtUp(MoveTablesWorkflow workflow) throws Exception {
        MariaDbGtidPosition goal = MariaDbGtidPosition.parse(source.query("SELECT @@gtid_binlog_pos").get(0).get(0));
        long deadline = System.nanoTime() + CATCH_UP.toNanos();
        while (true) {
            WorkflowStatus status = workflow.status();
            if (status.state().equals("error")) {
                fail("workflow failed: " + status);
            }
            if (status.streams().size() == SHARDS.size() && status.streams().stream().allMatch(
                    s -> s.state().equals("running") && MariaDbGtidPosition.parse(s.pos()).equals(goal))) {
                return;
            }
            if (System.nanoTime() > deadline) {
                fail("not caught up with " + goal + " within " + CATCH_UP + ": " + status);
            }
            Thread.sleep(50);
        }
    }

    /** The shards' union equals the source row for row, each row on the shard owning its customer_id. */
    private void assertTargetsEqualSource(String table, String key) {
        Vindex hash = Vindex.of("hash");
        List<List<String>> union = new ArrayList<>();
        for (String shard : SHARDS) {
            List<List<String>> rows = sandbox.primary("customer", shard).query("SELECT * FROM customer." + table);
            KeyRange range = KeyRange.parse(shard);
            int customerColumn = table.equals("customer") ? 0 : 1;
            for (List<String> row : rows) {
                assertTrue(range.contains(hash.keyspaceId(Long.parseLong(row.get(customerColumn)))),
                        () -> table + " row " + row + " is on shard " + shard + " which does not own it");
            }
            union.addAll(rows);
        }
        union.sort(Comparator.comparingLong(row -> Long.parseLong(row.get(0))));
        List<List<String>> expected = source.query("SELECT * FROM commerce." + table + " ORDER BY " + key);
        assertEquals(expected.size(), union.size(), table + " row count");
        assertEquals(expected, union, table);
    }
}
