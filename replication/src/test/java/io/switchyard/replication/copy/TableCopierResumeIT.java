package io.switchyard.replication.copy;

import io.switchyard.sandbox.MariaDbServer;
import io.switchyard.sandbox.Sandbox;
import io.switchyard.sandbox.Sandboxed;
import org.junit.jupiter.api.Test;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.time.Clock;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

import static io.switchyard.replication.copy.CopyFixtures.SOURCE_DB;
import static io.switchyard.replication.copy.CopyFixtures.TARGET_DB;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Crash-and-resume, composite keys and deferred secondary keys, against real MariaDB. */
@Sandboxed("commerce:0; customer:-80,80-")
class TableCopierResumeIT {
    private static final String LASTPK = "SELECT lastpk FROM _switchyard.copy_state WHERE workflow = '%s'";

    /** Thrown by listeners to stop a copy the way a crash would, between two commits. */
    private static final class SimulatedCrash extends RuntimeException {
        SimulatedCrash(String message) {
            super(message);
        }
    }

    @Test
    void resumesAfterCrashesWithoutDuplicatingOrLosingRows(Sandbox sandbox) throws Exception {
        MariaDbServer source = CopyFixtures.source(sandbox);
        CopyFixtures.createMixedTable(source, "resumed", 5_000);
        List<TargetShard> targets = CopyFixtures.shardedTargets(sandbox);
        TargetSchema.createLike(source::connect, SOURCE_DB, targets, "resumed", true);
        TableCopier copier = new TableCopier(new CopyOptions(300, 64 << 10), Clock.systemUTC());
        AtomicLong committedRows = new AtomicLong();

        // Crash 1: batch 4 committed on -80 but not on 80-, so the targets' lastpks differ by a batch.
        assertThrows(SimulatedCrash.class, () -> copier.copy(job(source, "resumed", targets, commit -> {
            committedRows.addAndGet(commit.rows());
            if (commit.batch() == 4 && commit.targetShard().equals("-80")) {
                throw new SimulatedCrash("between targets");
            }
        })));
        String ahead = lastPk(sandbox, "-80", "wf_resumed");
        assertNotEquals(ahead, lastPk(sandbox, "80-", "wf_resumed"));
        assertTrue(ahead.contains("\"1200\""), ahead);
        // Crash 2: at a batch boundary, after both targets committed batch 3 of the resumed run.
        assertThrows(SimulatedCrash.class, () -> copier.copy(job(source, "resumed", targets, commit -> {
            committedRows.addAndGet(commit.rows());
            if (commit.batch() == 3 && commit.targetShard().equals("80-")) {
                throw new SimulatedCrash("between batches");
            }
        })));
        CopyResult last = copier.copy(job(source, "resumed", targets, commit -> committedRows.addAndGet(commit.rows())));

        assertEquals(5_000, committedRows.get(), "rows inserted over all three runs");
        assertTrue(last.rowsCopied() < 5_000, "the last run resumed instead of starting over: " + last);
        assertEquals(CopyFixtures.sorted(CopyFixtures.rows(source, SOURCE_DB, "resumed", "id")),
                CopyFixtures.union(sandbox, "resumed"));
        for (String shard : CopyFixtures.SHARDS) {
            assertEquals(new LastPk(List.of("id"), List.of(5000L)), LastPk.fromJson(lastPk(sandbox, shard,
                    "wf_resumed")));
        }
        // A finished copy run again copies nothing more.
        assertEquals(0, copier.copy(job(source, "resumed", targets, BatchListener.NONE)).rowsCopied());
    }

    @Test
    void copiesAndResumesACompositeKeyInTheColumnsCollationOrder(Sandbox sandbox) throws Exception {
        MariaDbServer source = CopyFixtures.source(sandbox);
        // Mixed case under a case-insensitive collation: the server's key order is not Java's String order.
        source.execute("CREATE TABLE commerce.composite (region VARCHAR(8) CHARACTER SET utf8mb4"
                + " COLLATE utf8mb4_general_ci NOT NULL, id BIGINT NOT NULL, note VARCHAR(20),"
                + " PRIMARY KEY (region, id)) ENGINE=InnoDB");
        List<String> regions = List.of("ap", "Be", "ca", "Dz", "eu", "Éy", "us");
        try (Connection connection = source.connect(SOURCE_DB);
             PreparedStatement insert = connection.prepareStatement("INSERT INTO composite VALUES (?, ?, ?)")) {
            for (String region : regions) {
                for (long id = -150; id < 150; id++) {
                    insert.setString(1, region);
                    insert.setLong(2, id * 1_000_003L);
                    insert.setString(3, id % 5 == 0 ? null : region + id);
                    insert.addBatch();
                }
            }
            insert.executeBatch();
        }
        List<TargetShard> targets = CopyFixtures.shardedTargets(sandbox);
        TargetSchema.createLike(source::connect, SOURCE_DB, targets, "composite", true);
        TableCopier copier = new TableCopier(new CopyOptions(97, 64 << 10), Clock.systemUTC());

        assertThrows(SimulatedCrash.class, () -> copier.copy(job(source, "composite", targets, commit -> {
            if (commit.batch() == 8 && commit.targetShard().equals("-80")) {
                throw new SimulatedCrash("between targets");
            }
        })));
        copier.copy(job(source, "composite", targets, BatchListener.NONE));

        assertEquals(CopyFixtures.sorted(CopyFixtures.rows(source, SOURCE_DB, "composite", "region, id")),
                CopyFixtures.union(sandbox, "composite"));
        assertEquals(regions.size() * 300, CopyFixtures.union(sandbox, "composite").size());
    }

    @Test
    void defersSecondaryKeysAndAddsThemAfterTheCopy(Sandbox sandbox) throws Exception {
        MariaDbServer source = CopyFixtures.source(sandbox);
        source.execute("CREATE TABLE commerce.indexed (id INT PRIMARY KEY, email VARCHAR(64) NOT NULL,"
                        + " city VARCHAR(32), UNIQUE KEY uk_email (email), KEY idx_city_email (city, email))",
                "INSERT INTO commerce.indexed SELECT seq, CONCAT('u', seq, '@example.com'), CONCAT('city', seq % 10)"
                        + " FROM commerce.seq_1_to_2000");
        List<TargetShard> target = List.of(CopyFixtures.target(sandbox, "80-"));
        MariaDbServer targetServer = sandbox.primary(TARGET_DB, "80-");
        String indexes = "SELECT DISTINCT INDEX_NAME FROM information_schema.STATISTICS WHERE TABLE_SCHEMA = 'customer'"
                + " AND TABLE_NAME = 'indexed' ORDER BY 1";

        TargetSchema.TableDefinition definition =
                TargetSchema.createLike(source::connect, SOURCE_DB, target, "indexed", true);
        assertEquals(List.of(List.of("PRIMARY")), targetServer.query(indexes));
        new TableCopier(CopyOptions.DEFAULTS, Clock.systemUTC())
                .copy(new CopyJob("wf_indexed", "commerce/0", source::connect, SOURCE_DB, "indexed", target,
                        RowRouter.single()));
        TargetSchema.addDeferredKeys(definition, target);

        assertEquals(List.of(List.of("idx_city_email"), List.of("PRIMARY"), List.of("uk_email")),
                targetServer.query(indexes));
        assertEquals(source.query("SHOW CREATE TABLE commerce.indexed").get(0).get(1),
                targetServer.query("SHOW CREATE TABLE customer.indexed").get(0).get(1));
        assertEquals(CopyFixtures.rows(source, SOURCE_DB, "indexed", "id"),
                CopyFixtures.rows(targetServer, TARGET_DB, "indexed", "id"));
    }

    @Test
    void refusesATableWithoutAPrimaryKeyNamingIt(Sandbox sandbox) {
        MariaDbServer source = CopyFixtures.source(sandbox);
        source.execute("CREATE TABLE commerce.heap (a INT, b INT)");
        CopyException e = assertThrows(CopyException.class, () -> new TableCopier(CopyOptions.DEFAULTS,
                Clock.systemUTC()).copy(new CopyJob("wf_heap", "commerce/0", source::connect, SOURCE_DB, "heap",
                List.of(CopyFixtures.target(sandbox, "-80")), RowRouter.single())));
        assertTrue(e.getMessage().contains("commerce.heap has no primary key"), e.getMessage());
    }

    private static CopyJob job(MariaDbServer source, String table, List<TargetShard> targets,
                               BatchListener listener) {
        return new CopyJob("wf_" + table, "commerce/0", source::connect, SOURCE_DB, table, targets,
                CopyFixtures.hashById(), listener);
    }

    private static String lastPk(Sandbox sandbox, String shard, String workflow) {
        return sandbox.primary(TARGET_DB, shard).query(String.format(LASTPK, workflow)).get(0).get(0);
    }
}
