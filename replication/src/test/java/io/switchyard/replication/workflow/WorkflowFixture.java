package io.switchyard.replication.workflow;

import io.switchyard.config.ConfigLoader;
import io.switchyard.config.PlaceholderResolver;
import io.switchyard.config.SwitchyardConfig;
import io.switchyard.replication.apply.ApplyOptions;
import io.switchyard.replication.binlog.MariaDbGtidPosition;
import io.switchyard.replication.copy.CopyOptions;
import io.switchyard.routing.vindex.KeyRange;
import io.switchyard.routing.vindex.Vindex;
import io.switchyard.sandbox.MariaDbServer;
import io.switchyard.sandbox.Sandbox;

import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicLong;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * A sandbox-backed config with every keyspace of the sandbox, workflow dependencies for tests, and the checks every
 * workflow test makes: caught up with the sources, and targets equal to sources row for row (read directly).
 */
final class WorkflowFixture implements AutoCloseable {
    static final Duration CATCH_UP = Duration.ofSeconds(60);

    final Sandbox sandbox;
    final SwitchyardConfig config;
    final WorkflowDependencies deps;
    private final ScheduledExecutorService executor = Executors.newScheduledThreadPool(2);

    /**
     * @param vschemas keyspace name to its {@code vschema:} YAML block (indented by 6), for sharded keyspaces
     */
    WorkflowFixture(Sandbox sandbox, Map<String, String> vschemas) {
        this.sandbox = sandbox;
        MariaDbServer topo = sandbox.topology();
        StringBuilder yaml = new StringBuilder("""
                users:
                  - name: root
                    password: ""
                    role: admin
                topology:
                  dsn: "mysql://root:@%s/%s"
                keyspaces:
                """.formatted(topo.address(), topo.database()));
        List<String> keyspaces = sandbox.servers().stream().filter(s -> s.role() == MariaDbServer.Role.PRIMARY)
                .map(MariaDbServer::keyspace).distinct().toList();
        for (String keyspace : keyspaces) {
            List<MariaDbServer> primaries = primaries(keyspace);
            boolean sharded = primaries.size() > 1 || !primaries.get(0).shard().equals("0");
            yaml.append("  - name: ").append(keyspace).append("\n    sharded: ").append(sharded)
                    .append("\n    shards:\n");
            for (MariaDbServer primary : primaries) {
                yaml.append("      - name: \"").append(primary.shard()).append("\"\n        primary: ")
                        .append(primary.address()).append('\n');
            }
            if (vschemas.containsKey(keyspace)) {
                yaml.append("    vschema:\n").append(vschemas.get(keyspace).stripTrailing()).append('\n');
            }
        }
        this.config = ConfigLoader.parse(yaml.toString(), PlaceholderResolver.none());
        AtomicLong serverIds = new AtomicLong(ThreadLocalRandom.current().nextLong(1_000_000, 3_000_000_000L));
        this.deps = new WorkflowDependencies(executor, Thread::new, Clock.systemUTC(), serverIds::incrementAndGet,
                new CopyOptions(500, 4 << 20), ApplyOptions.DEFAULTS, Duration.ofMillis(200));
    }

    /** The keyspace's primaries in the sandbox spec's (shard) order. */
    List<MariaDbServer> primaries(String keyspace) {
        return sandbox.servers().stream()
                .filter(s -> s.role() == MariaDbServer.Role.PRIMARY && s.keyspace().equals(keyspace))
                .toList();
    }

    /** Until every stream of {@code workflow} is running at its source shard's current position. */
    void awaitCaughtUp(MoveTablesWorkflow workflow, String sourceKeyspace) throws Exception {
        long deadline = System.nanoTime() + CATCH_UP.toNanos();
        while (true) {
            WorkflowStatus status = workflow.status();
            if (status.state().equals("error")) {
                fail("workflow failed: " + status);
            }
            boolean caughtUp = !status.streams().isEmpty();
            for (WorkflowStatus.StreamStatus stream : status.streams()) {
                String shard = stream.sourceShard().substring(stream.sourceShard().indexOf('/') + 1);
                MariaDbGtidPosition goal = MariaDbGtidPosition.parse(sandbox.primary(sourceKeyspace, shard)
                        .query("SELECT @@gtid_binlog_pos").get(0).get(0));
                caughtUp &= stream.state().equals("running") && MariaDbGtidPosition.parse(stream.pos()).equals(goal);
            }
            if (caughtUp) {
                return;
            }
            if (System.nanoTime() > deadline) {
                fail("not caught up within " + CATCH_UP + ": " + status);
            }
            Thread.sleep(50);
        }
    }

    /**
     * The target shards' union of {@code table} equals the source shards' union row for row (ordered by the first
     * column, a numeric key), and, for a sharded target, each row sits on the shard owning hash({@code vindexColumn}).
     */
    void assertTargetEqualsSource(String source, String target, String table, int vindexColumn) {
        List<List<String>> expected = union(source, table);
        List<List<String>> actual = new ArrayList<>();
        Vindex hash = Vindex.of("hash");
        for (MariaDbServer primary : primaries(target)) {
            List<List<String>> rows = primary.query("SELECT * FROM " + target + "." + table);
            if (!primary.shard().equals("0")) {
                KeyRange range = KeyRange.parse(primary.shard());
                for (List<String> row : rows) {
                    assertTrue(range.contains(hash.keyspaceId(Long.parseLong(row.get(vindexColumn)))),
                            () -> table + " row " + row + " is on " + target + "/" + primary.shard()
                                    + ", which does not own it");
                }
            }
            actual.addAll(rows);
        }
        actual.sort(Comparator.comparingLong(row -> Long.parseLong(row.get(0))));
        assertEquals(expected.size(), actual.size(), table + " row count");
        assertEquals(expected, actual, table);
    }

    List<List<String>> union(String keyspace, String table) {
        List<List<String>> rows = new ArrayList<>();
        for (MariaDbServer primary : primaries(keyspace)) {
            rows.addAll(primary.query("SELECT * FROM " + keyspace + "." + table));
        }
        rows.sort(Comparator.comparingLong(row -> Long.parseLong(row.get(0))));
        return rows;
    }

    @Override
    public void close() {
        executor.shutdownNow();
    }
}
