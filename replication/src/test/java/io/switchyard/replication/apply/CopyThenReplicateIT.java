package io.switchyard.replication.apply;

import io.switchyard.replication.binlog.BinlogSource;
import io.switchyard.replication.binlog.BinlogStream;
import io.switchyard.replication.binlog.BinlogStreamException;
import io.switchyard.replication.binlog.MariaDbGtidPosition;
import io.switchyard.replication.binlog.TableName;
import io.switchyard.replication.copy.CopyJob;
import io.switchyard.replication.copy.CopyOptions;
import io.switchyard.replication.copy.CopyResult;
import io.switchyard.replication.copy.RowRouter;
import io.switchyard.replication.copy.TableCopier;
import io.switchyard.replication.copy.TargetSchema;
import io.switchyard.replication.copy.TargetShard;
import io.switchyard.replication.sidecar.StreamKey;
import io.switchyard.routing.vindex.KeyRange;
import io.switchyard.routing.vindex.Vindex;
import io.switchyard.sandbox.MariaDbServer;
import io.switchyard.sandbox.Sandbox;
import io.switchyard.sandbox.Sandboxed;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.mariadb.jdbc.MariaDbDataSource;

import java.sql.Connection;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadLocalRandom;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * Unsharded {@code commerce} → sharded {@code customer} (-80, 80-) by hash(customer_id): copy from a snapshot, then
 * replicate from the snapshot's position while a writer changes the source, including moves between shards, and
 * compare the targets with the source row for row.
 */
@Sandboxed("commerce:0; customer:-80,80-")
class CopyThenReplicateIT {
    private static final int ROWS = 2_000;
    private static final List<String> SHARDS = List.of("-80", "80-");
    private static final Duration CATCH_UP = Duration.ofSeconds(60);

    private final Sandbox sandbox;
    private final MariaDbServer source;
    private final MariaDbDataSource sourceSchema;
    private final Vindex hash = Vindex.of("hash");
    private final RowRouter router = RowRouter.byKeyspaceId("customer_id", hash,
            SHARDS.stream().map(KeyRange::parse).toList());
    private final Clock clock = Clock.systemUTC();
    /** Binlog server ids must be unique among the source's replicas; random per test instance, no shared counter. */
    private long nextServerId = ThreadLocalRandom.current().nextLong(1_000_000, 4_000_000_000L);
    private final LinkedBlockingQueue<BinlogStreamException> failures = new LinkedBlockingQueue<>();
    private final List<Replica> running = new ArrayList<>();

    /** One target shard's stream and applier. */
    private record Replica(BinlogStream stream, RowApplier applier) {
        void crash() throws SQLException {
            stream.close();  // joins the stream thread, so the applier is no longer in use
            applier.close(); // no flush: the open group is rolled back, as a killed process would leave it
        }
    }

    CopyThenReplicateIT(Sandbox sandbox) throws SQLException {
        this.sandbox = sandbox;
        this.source = sandbox.primary("commerce", "0");
        this.sourceSchema = new MariaDbDataSource(source.jdbcUrl());
    }

    @AfterEach
    void stopReplicas() throws SQLException {
        for (Replica replica : running) {
            replica.crash();
        }
    }

    @Test
    void copiesThenReplicatesEveryWriteToTheShardOwningIt() throws Exception {
        String table = "orders_live";
        String workflow = "wf_live";
        SourceWriter writer = copyWhileWriting(table, workflow, 3_000, 1);

        long started = System.nanoTime();
        start(table, workflow, ApplyOptions.DEFAULTS);
        Thread writing = new Thread(writer, "source-writer");
        writing.start();
        writing.join();
        assertNull(writer.failure(), () -> "writer failed: " + writer.failure());
        waitForCatchUp(workflow);
        double seconds = (System.nanoTime() - started) / 1e9;

        assertTargetsEqualSource(table);
        long rows = 0;
        long commits = 0;
        for (Replica replica : running) {
            rows += replica.applier().stats().rows();
            commits += replica.applier().stats().commits();
        }
        assertTrue(rows > 0, "nothing was applied");
        System.out.printf("applied %d row changes in %d commits over %.1f s (writer-bound): %.0f rows/s%n",
                rows, commits, seconds, rows / seconds);
    }

    @Test
    void resumesFromTheStoredPositionAfterACrashWithNothingLostOrDuplicated() throws Exception {
        String table = "orders_crash";
        String workflow = "wf_crash";
        SourceWriter writer = copyWhileWriting(table, workflow, 4_000, 2);
        // Huge groups: while the writer is busy (no heartbeats) nothing commits, so the crash drops applied work.
        start(table, workflow, new ApplyOptions(100_000, Duration.ofMinutes(1)));
        Thread writing = new Thread(writer, "source-writer");
        writing.start();
        while (writer.done() < 2_000 && writing.isAlive()) {
            Thread.sleep(5);
        }
        List<String> readPositions = running.stream().map(r -> r.stream().position()).toList();
        for (Replica replica : running) {
            replica.crash();
        }
        running.clear();
        List<String> stored = storedPositions(workflow);
        assertTrue(!stored.equals(readPositions),
                "the crash should leave applied-but-uncommitted work behind; stored " + stored + ", read "
                        + readPositions);

        start(table, workflow, ApplyOptions.DEFAULTS); // from each target's stored pos, writer still running
        writing.join();
        assertNull(writer.failure(), () -> "writer failed: " + writer.failure());
        waitForCatchUp(workflow);
        assertTargetsEqualSource(table);
    }

    @Test
    void catchesUpABacklogOfWrites() throws Exception {
        String table = "orders_backlog";
        String workflow = "wf_backlog";
        SourceWriter writer = copyWhileWriting(table, workflow, 6_000, 3);
        writer.run(); // on this thread, before any stream starts: a backlog the appliers then drain flat out

        long started = System.nanoTime();
        start(table, workflow, ApplyOptions.DEFAULTS);
        waitForCatchUp(workflow);
        double seconds = (System.nanoTime() - started) / 1e9;

        assertNull(writer.failure(), () -> "writer failed: " + writer.failure());
        assertTargetsEqualSource(table);
        long rows = running.stream().mapToLong(r -> r.applier().stats().rows()).sum();
        long transactions = running.get(0).applier().stats().transactions();
        System.out.printf("caught up %d source transactions (%d row changes over both shards) in %.2f s:"
                + " %.0f rows/s, %.0f transactions/s%n", transactions, rows, seconds, rows / seconds,
                transactions / seconds);
    }

    /**
     * Creates and fills the source table, starts the writer's first operations while the copy runs, copies to both
     * shards and creates each target's stream row at the copy's snapshot position. Returns a writer for the rest.
     */
    private SourceWriter copyWhileWriting(String table, String workflow, int operations, long seed) throws Exception {
        SourceWriter.createTable(source, table, ROWS);
        List<TargetShard> targets = targets();
        TargetSchema.createLike(source::connect, "commerce", targets, table, false);
        // Writes that land after the snapshot must come through the binlog, not the copy.
        SourceWriter during = new SourceWriter(source, table, ROWS, 1_000_000, 200, seed + 100);
        Thread duringCopy = new Thread(during, "source-writer-during-copy");
        duringCopy.start();
        CopyResult copy = new TableCopier(new CopyOptions(250, 4 << 20), clock).copy(
                new CopyJob(workflow, "commerce/0", source::connect, "commerce", table, targets, router));
        duringCopy.join();
        assertNull(during.failure(), () -> "writer failed: " + during.failure());
        for (TargetShard target : targets) {
            try (Connection connection = target.connector().open()) {
                StreamPosition.create(connection, key(workflow, target), copy.snapshotGtid(), StreamPosition.RUNNING,
                        clock.instant());
            }
        }
        return new SourceWriter(source, table, ROWS, 2_000_000, operations, seed);
    }

    /** Starts one stream and applier per target shard from that target's stored position. */
    private void start(String table, String workflow, ApplyOptions options) throws SQLException {
        List<TargetShard> targets = targets();
        for (int i = 0; i < targets.size(); i++) {
            TargetShard target = targets.get(i);
            RowApplier applier = RowApplier.open(key(workflow, target), target, i, router,
                    Map.of(table, CopyProgress.COPIED), options, clock);
            BinlogSource binlog = new BinlogSource(source.host(), source.port(), "root", "", nextServerId++,
                    Duration.ofMillis(300));
            BinlogStream stream = BinlogStream.start(binlog, applier.committedPosition(),
                    Set.of(new TableName("commerce", table)), sourceSchema::getConnection,
                    r -> new Thread(r, "binlog-" + workflow + "-" + target.name()), applier, failures::add, clock);
            running.add(new Replica(stream, applier));
        }
    }

    /** Waits until every target's stored position is the source's current position. */
    private void waitForCatchUp(String workflow) throws Exception {
        MariaDbGtidPosition goal = MariaDbGtidPosition.parse(
                source.query("SELECT @@gtid_binlog_pos").get(0).get(0));
        long deadline = System.nanoTime() + CATCH_UP.toNanos();
        while (true) {
            BinlogStreamException failure = failures.poll();
            if (failure != null) {
                throw new AssertionError("replication stopped: " + failure.getMessage(), failure);
            }
            List<String> stored = storedPositions(workflow);
            if (stored.stream().allMatch(pos -> MariaDbGtidPosition.parse(pos).equals(goal))) {
                return;
            }
            if (System.nanoTime() > deadline) {
                fail("targets did not reach source position " + goal + " within " + CATCH_UP + ": " + stored);
            }
            Thread.sleep(50);
        }
    }

    private List<String> storedPositions(String workflow) {
        return SHARDS.stream().map(shard -> sandbox.primary("customer", shard).query(
                "SELECT pos FROM _switchyard.stream WHERE workflow = '" + workflow + "'").get(0).get(0)).toList();
    }

    /** Union of the shards equals the source row for row; each row on its owning shard; no id twice. */
    private void assertTargetsEqualSource(String table) {
        List<List<String>> union = new ArrayList<>();
        Set<String> ids = new HashSet<>();
        for (String shard : SHARDS) {
            List<List<String>> rows = sandbox.primary("customer", shard).query(
                    "SELECT * FROM customer." + table + " ORDER BY id");
            KeyRange range = KeyRange.parse(shard);
            for (List<String> row : rows) {
                assertTrue(ids.add(row.get(0)), "id " + row.get(0) + " is on more than one shard");
                assertTrue(range.contains(hash.keyspaceId(Long.parseLong(row.get(1)))),
                        "row " + row + " is on shard " + shard + " which does not own customer " + row.get(1));
            }
            union.addAll(rows);
        }
        List<List<String>> expected = source.query("SELECT * FROM commerce." + table + " ORDER BY id");
        Comparator<List<String>> byId = Comparator.comparingLong(row -> Long.parseLong(row.get(0)));
        union.sort(byId);
        assertEquals(expected.size(), union.size(), "row count");
        assertEquals(expected, union);
    }

    private List<TargetShard> targets() {
        return SHARDS.stream().map(shard -> new TargetShard(shard, sandbox.primary("customer", shard)::connect,
                "customer")).toList();
    }

    private static StreamKey key(String workflow, TargetShard target) {
        return new StreamKey(workflow, "commerce/0", target.name());
    }
}
