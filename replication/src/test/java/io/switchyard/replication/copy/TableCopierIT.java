package io.switchyard.replication.copy;

import io.switchyard.replication.sidecar.SidecarSchema;
import io.switchyard.routing.vindex.KeyRange;
import io.switchyard.routing.vindex.Vindex;
import io.switchyard.sandbox.MariaDbServer;
import io.switchyard.sandbox.Sandbox;
import io.switchyard.sandbox.Sandboxed;
import org.junit.jupiter.api.Test;

import java.sql.Connection;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;

import static io.switchyard.replication.copy.CopyFixtures.SOURCE_DB;
import static io.switchyard.replication.copy.CopyFixtures.TARGET_DB;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Copies against real MariaDB: commerce/0 is the source, the customer shards are the targets. */
@Sandboxed("commerce:0; customer:-80,80-")
class TableCopierIT {
    private static final int ROWS = 5_000;
    private static final String GTID_POSITION = "\\d+-\\d+-\\d+(,\\d+-\\d+-\\d+)*";

    private final TableCopier copier = new TableCopier(CopyOptions.DEFAULTS, Clock.systemUTC());

    @Test
    void copiesEveryTypeToAnUnshardedTargetFromTheSnapshotOnly(Sandbox sandbox) throws Exception {
        MariaDbServer source = CopyFixtures.source(sandbox);
        CopyFixtures.createMixedTable(source, "mixed", ROWS);
        List<TargetShard> target = List.of(CopyFixtures.target(sandbox, "-80"));
        TargetSchema.createLike(source::connect, SOURCE_DB, target, "mixed", false);
        String positionBefore = source.query("SELECT @@gtid_binlog_pos").get(0).get(0);
        AtomicBoolean wroteAfterSnapshot = new AtomicBoolean();
        // Writes committed on the source once the snapshot is open (after the first batch) must not be copied.
        BatchListener writeDuringCopy = commit -> {
            if (wroteAfterSnapshot.compareAndSet(false, true)) {
                source.execute("INSERT INTO commerce.mixed (id, name) VALUES (100001, 'late'), (0, 'early id')",
                        "UPDATE commerce.mixed SET name = 'changed' WHERE id = 4999",
                        "DELETE FROM commerce.mixed WHERE id = 5000");
            }
        };

        CopyResult result = copier.copy(new CopyJob("wf_mixed", "commerce/0", source::connect, SOURCE_DB, "mixed",
                target, RowRouter.single(), writeDuringCopy));

        assertTrue(wroteAfterSnapshot.get());
        assertEquals(ROWS, result.rowsCopied());
        assertTrue(result.snapshotGtid().matches(GTID_POSITION), result.snapshotGtid());
        assertEquals(positionBefore, result.snapshotGtid(), "nothing was written between the read and the snapshot");
        assertEquals(new LastPk(List.of("id"), List.of(5000L)), result.lastPk().orElseThrow());
        MariaDbServer targetServer = sandbox.primary(TARGET_DB, "-80");
        assertEquals(List.of(List.of("5000", "late: 0, changed: 0")), targetServer.query("SELECT COUNT(*),"
                + " CONCAT('late: ', SUM(id IN (0, 100001)), ', changed: ', SUM(name = 'changed')) FROM customer.mixed"));
        // Undo the late writes on the source so that both sides hold the snapshot's rows, then compare.
        source.execute("DELETE FROM commerce.mixed WHERE id IN (0, 100001)");
        CopyFixtures.insertMixedRows(source, "mixed", 5000, 5000);
        source.execute("UPDATE commerce.mixed m SET name = (SELECT name FROM (SELECT CONCAT('name 4999 ünïcødé 🚀 ''\"\\\\ ',"
                + " REPEAT('x', 4999 % 40)) AS name) n) WHERE id = 4999");
        List<String> columns = CopyFixtures.columns(source, SOURCE_DB, "mixed");
        assertArrayEquals(CopyFixtures.checksum(source, SOURCE_DB, "mixed", columns),
                CopyFixtures.checksum(targetServer, TARGET_DB, "mixed", columns));
        assertEquals(CopyFixtures.rows(source, SOURCE_DB, "mixed", "id"),
                CopyFixtures.rows(targetServer, TARGET_DB, "mixed", "id"));
        System.out.printf("copied %d mixed-type rows in %d ms: %.0f rows/s%n", result.rowsCopied(),
                result.elapsed().toMillis(), result.rowsPerSecond());
    }

    @Test
    void routesEachRowToTheShardOwningItsKeyspaceId(Sandbox sandbox) throws Exception {
        MariaDbServer source = CopyFixtures.source(sandbox);
        CopyFixtures.createMixedTable(source, "routed", ROWS);
        List<TargetShard> targets = CopyFixtures.shardedTargets(sandbox);
        TargetSchema.createLike(source::connect, SOURCE_DB, targets, "routed", true);

        CopyResult result = copier.copy(new CopyJob("wf_routed", "commerce/0", source::connect, SOURCE_DB, "routed",
                targets, CopyFixtures.hashById()));

        assertEquals(ROWS, result.rowsCopied());
        Vindex hash = Vindex.of("hash");
        long[] total = new long[2];
        List<String> columns = CopyFixtures.columns(source, SOURCE_DB, "routed");
        for (String shard : CopyFixtures.SHARDS) {
            MariaDbServer server = sandbox.primary(TARGET_DB, shard);
            List<List<String>> ids = server.query("SELECT id FROM customer.routed");
            assertFalse(ids.isEmpty(), shard);
            for (List<String> id : ids) {
                assertTrue(KeyRange.parse(shard).contains(hash.keyspaceId(Long.parseLong(id.get(0)))),
                        "row " + id.get(0) + " is on shard " + shard + " which does not own its keyspace id");
            }
            long[] checksum = CopyFixtures.checksum(server, TARGET_DB, "routed", columns);
            total[0] += checksum[0];
            total[1] += checksum[1];
        }
        assertArrayEquals(CopyFixtures.checksum(source, SOURCE_DB, "routed", columns), total);
        assertEquals(CopyFixtures.sorted(CopyFixtures.rows(source, SOURCE_DB, "routed", "id")),
                CopyFixtures.union(sandbox, "routed"));
    }

    @Test
    void widePagesEndAtTheByteBoundAndLaterPagesReadThatManyRows(Sandbox sandbox) throws Exception {
        MariaDbServer source = CopyFixtures.source(sandbox);
        source.execute("CREATE TABLE commerce.wide (id INT NOT NULL PRIMARY KEY, body TEXT NOT NULL)",
                "INSERT INTO commerce.wide SELECT seq, REPEAT('w', 1000) FROM commerce.seq_1_to_500");
        List<TargetShard> targets = CopyFixtures.shardedTargets(sandbox);
        TargetSchema.createLike(source::connect, SOURCE_DB, targets, "wide", false);
        // 4,028 bytes a row by the estimate (4 a character): the bound cuts each 100-row page after 10 rows.
        TableCopier bounded = new TableCopier(new CopyOptions(100, 64 << 10, 10 * 4_028, 2), Clock.systemUTC());
        List<Long> pageEnds = new ArrayList<>();
        CopyResult result = bounded.copy(new CopyJob("wf_wide", "commerce/0", source::connect, SOURCE_DB, "wide",
                targets, CopyFixtures.hashById(), commit -> {
                    if (commit.targetShard().equals("80-")) {
                        pageEnds.add((Long) commit.lastPk().values().get(0));
                    }
                }));

        assertEquals(500, result.rowsCopied());
        assertEquals(50, pageEnds.size(), "pages of 10 rows: " + pageEnds);
        assertEquals(10L, pageEnds.get(0));
        assertEquals(CopyFixtures.sorted(CopyFixtures.rows(source, SOURCE_DB, "wide", "id")),
                CopyFixtures.union(sandbox, "wide"));
    }

    @Test
    void createsTheSidecarSchemaIdempotently(Sandbox sandbox) throws Exception {
        MariaDbServer target = sandbox.primary(TARGET_DB, "80-");
        try (Connection connection = target.connect()) {
            SidecarSchema.create(connection);
            SidecarSchema.create(connection);
        }
        assertEquals(List.of(List.of("copy_state"), List.of("lag_history"), List.of("log"), List.of("stream")),
                target.query("SELECT TABLE_NAME FROM information_schema.TABLES WHERE TABLE_SCHEMA = '_switchyard'"
                        + " ORDER BY 1"));
        assertEquals(List.of(List.of("workflow"), List.of("source_shard"), List.of("target_shard")), target.query(
                "SELECT COLUMN_NAME FROM information_schema.STATISTICS WHERE TABLE_SCHEMA = '_switchyard'"
                        + " AND TABLE_NAME = 'stream' AND INDEX_NAME = 'PRIMARY' ORDER BY SEQ_IN_INDEX"));
    }
}
