package io.switchyard.replication.apply;

import io.switchyard.replication.copy.RowRouter;
import io.switchyard.replication.sidecar.StreamKey;
import io.switchyard.sandbox.MariaDbServer;
import io.switchyard.sandbox.Sandbox;
import io.switchyard.sandbox.Sandboxed;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * The applier sends a group's changes as multi-row statements, reordered by kind (see {@link TableChanges}). Each
 * test writes one source transaction, so that every change lands in one group, whose result only source order
 * explains; the target must end up with the source's rows.
 */
@Sandboxed("commerce:0; customer:-80")
class BatchedApplyIT {
    private final SingleTargetStreams streams;
    private final MariaDbServer source;
    private final MariaDbServer target;

    BatchedApplyIT(Sandbox sandbox) throws SQLException {
        streams = new SingleTargetStreams(sandbox);
        source = streams.source;
        target = streams.targetServer;
    }

    @AfterEach
    void stop() throws SQLException {
        streams.close();
    }

    @Test
    void theSameKeyInsertedUpdatedAndDeletedRepeatedlyInOneGroup() throws Exception {
        createTables("churn", "id INT NOT NULL PRIMARY KEY, v INT NULL, s VARCHAR(20) NULL", "(2, 0, 'two')");
        StreamKey key = streams.start("wf_churn", "churn", CopyProgress.COPIED, OnDdl.STOP);
        inOneTransaction(
                "INSERT INTO commerce.churn VALUES (1, 1, 'a')",
                "UPDATE commerce.churn SET v = 2 WHERE id = 1",
                "DELETE FROM commerce.churn WHERE id = 1",
                "INSERT INTO commerce.churn VALUES (1, 3, NULL)",
                "UPDATE commerce.churn SET v = NULL, s = 'b' WHERE id = 1",
                "UPDATE commerce.churn SET v = 4 WHERE id = 1",
                "DELETE FROM commerce.churn WHERE id = 2", // a row the target had before the group
                "INSERT INTO commerce.churn VALUES (2, 5, 'again')",
                "UPDATE commerce.churn SET id = 3 WHERE id = 2", // a key change: delete 2, insert 3
                "INSERT INTO commerce.churn VALUES (2, 6, NULL)",
                "DELETE FROM commerce.churn WHERE id = 3",
                "INSERT INTO commerce.churn VALUES (3, 7, 'last')");
        streams.awaitCaughtUp(key);
        assertSameRows("churn", "id");
        assertEquals(List.of(List.of("1", "4", "b"), Arrays.asList("2", "6", null), List.of("3", "7", "last")),
                target.query("SELECT id, v, s FROM customer.churn ORDER BY id"));
    }

    @Test
    void compositeTextKeysKeepSourceOrderUnderACaseInsensitiveCollation() throws Exception {
        // 'x' and 'X' are one key to the server but two to Java: the applier must not reorder around them.
        createTables("composite", "a INT NOT NULL, b VARCHAR(10) COLLATE utf8mb4_general_ci NOT NULL, v INT NULL,"
                + " PRIMARY KEY (a, b)", "(1, 'y', 0)");
        StreamKey key = streams.start("wf_composite", "composite", CopyProgress.COPIED, OnDdl.STOP);
        inOneTransaction(
                "INSERT INTO commerce.composite VALUES (1, 'x', 1)",
                "DELETE FROM commerce.composite WHERE a = 1 AND b = 'X'",
                "INSERT INTO commerce.composite VALUES (1, 'X', 2)",
                "UPDATE commerce.composite SET v = NULL WHERE a = 1 AND b = 'x'",
                "UPDATE commerce.composite SET v = 3 WHERE a = 1 AND b = 'Y'",
                "INSERT INTO commerce.composite VALUES (2, 'x', NULL)",
                "DELETE FROM commerce.composite WHERE a = 2 AND b = 'X'",
                "INSERT INTO commerce.composite VALUES (2, 'X', 4)");
        streams.awaitCaughtUp(key);
        assertSameRows("composite", "a, b");
    }

    @Test
    void aRowThatMovesAwayAndBackIsDeletedAndInsertedHere() throws Exception {
        // This target owns rows with v < 100; an update across that line moves the row to or from another shard.
        createTables("moving", "id INT NOT NULL PRIMARY KEY, v INT NOT NULL", "(1, 1), (2, 200)");
        target.execute("DELETE FROM customer.moving WHERE v >= 100");
        RowRouter router = (table, row) -> ((Long) row.get(1)) < 100 ? 0 : RowRouter.SKIP;
        StreamKey key = streams.start("wf_moving", "moving", CopyProgress.COPIED, OnDdl.STOP, router);
        inOneTransaction(
                "UPDATE commerce.moving SET v = 101 WHERE id = 1", // leaves: a delete here
                "UPDATE commerce.moving SET v = 2 WHERE id = 1", // comes back: an insert here
                "UPDATE commerce.moving SET v = 3 WHERE id = 1", // an update here
                "UPDATE commerce.moving SET v = 4 WHERE id = 2", // arrives
                "UPDATE commerce.moving SET v = 300 WHERE id = 2", // leaves again
                "INSERT INTO commerce.moving VALUES (3, 500)", // elsewhere
                "UPDATE commerce.moving SET v = 5 WHERE id = 3"); // arrives
        streams.awaitCaughtUp(key);
        assertEquals(source.query("SELECT id, v FROM commerce.moving WHERE v < 100 ORDER BY id"),
                target.query("SELECT id, v FROM customer.moving ORDER BY id"));
        assertEquals(List.of(List.of("1", "3"), List.of("3", "5")),
                target.query("SELECT id, v FROM customer.moving ORDER BY id"));
    }

    @Test
    void aUniqueSecondaryKeyValueFreedAndRetakenInOneGroup() throws Exception {
        createTables("uniq", "id INT NOT NULL PRIMARY KEY, u INT NULL, UNIQUE KEY (u)", "(1, 10), (3, 20)");
        StreamKey key = streams.start("wf_uniq", "uniq", CopyProgress.COPIED, OnDdl.STOP);
        inOneTransaction(
                "DELETE FROM commerce.uniq WHERE id = 1",
                "INSERT INTO commerce.uniq VALUES (2, 10)", // takes the value id 1 freed
                "UPDATE commerce.uniq SET u = 30 WHERE id = 3",
                "INSERT INTO commerce.uniq VALUES (4, 20)", // takes the value id 3 freed
                "UPDATE commerce.uniq SET u = NULL WHERE id = 2",
                "UPDATE commerce.uniq SET u = 10 WHERE id = 4",
                "INSERT INTO commerce.uniq VALUES (5, 20)");
        streams.awaitCaughtUp(key);
        assertSameRows("uniq", "id");
    }

    @Test
    void aTransactionLargerThanTheQueueIsSentInPartsInOrder() throws Exception {
        createTables("large", "id INT NOT NULL PRIMARY KEY, v INT NOT NULL", "(1, 0)");
        StreamKey key = streams.start("wf_large", "large", CopyProgress.COPIED, OnDdl.STOP);
        List<String> statements = new ArrayList<>();
        statements.add("INSERT INTO commerce.large SELECT seq, seq FROM commerce.seq_2_to_5000");
        statements.add("DELETE FROM commerce.large WHERE id % 3 = 0");
        statements.add("UPDATE commerce.large SET v = -v WHERE id % 5 = 0");
        statements.add("INSERT INTO commerce.large SELECT seq, 7 FROM commerce.seq_1_to_5000 WHERE seq % 3 = 0");
        inOneTransaction(statements.toArray(String[]::new));
        streams.awaitCaughtUp(key);
        assertSameRows("large", "id");
        assertEquals(List.of(List.of("5000")), target.query("SELECT COUNT(*) FROM customer.large"));
    }

    private void inOneTransaction(String... statements) {
        List<String> all = new ArrayList<>();
        all.add("START TRANSACTION");
        all.addAll(List.of(statements));
        all.add("COMMIT");
        source.execute(all.toArray(String[]::new));
    }

    /** The same table on source and target with {@code rows} in both. */
    private void createTables(String table, String columns, String rows) {
        source.execute("CREATE DATABASE IF NOT EXISTS commerce",
                "CREATE TABLE commerce." + table + " (" + columns + ")",
                "INSERT INTO commerce." + table + " VALUES " + rows);
        target.execute("CREATE DATABASE IF NOT EXISTS customer",
                "CREATE TABLE customer." + table + " (" + columns + ")",
                "INSERT INTO customer." + table + " VALUES " + rows);
    }

    private void assertSameRows(String table, String order) {
        assertEquals(source.query("SELECT * FROM commerce." + table + " ORDER BY " + order),
                target.query("SELECT * FROM customer." + table + " ORDER BY " + order));
    }
}
