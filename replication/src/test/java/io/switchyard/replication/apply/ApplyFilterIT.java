package io.switchyard.replication.apply;

import io.switchyard.replication.binlog.BinlogStream;
import io.switchyard.replication.binlog.BinlogStreamException;
import io.switchyard.replication.copy.LastPk;
import io.switchyard.replication.sidecar.StreamKey;
import io.switchyard.sandbox.MariaDbServer;
import io.switchyard.sandbox.Sandbox;
import io.switchyard.sandbox.Sandboxed;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.sql.SQLException;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The catch-up filter, skipped tables, the duplicate-key stop and on_ddl STOP, on one unsharded target. */
@Sandboxed("commerce:0; customer:-80")
class ApplyFilterIT {
    private static final Duration WAIT = SingleTargetStreams.WAIT;

    private final SingleTargetStreams streams;
    private final MariaDbServer source;
    private final MariaDbServer targetServer;
    private final LinkedBlockingQueue<BinlogStreamException> failures;

    ApplyFilterIT(Sandbox sandbox) throws SQLException {
        streams = new SingleTargetStreams(sandbox);
        source = streams.source;
        targetServer = streams.targetServer;
        failures = streams.failures;
    }

    @AfterEach
    void stop() throws SQLException {
        streams.close();
    }

    @Test
    void whileCopyingAppliesOnlyRowsUpToTheCopiedLastPk() throws Exception {
        createTables("filtered", "1,2,3,4,5,6,7,9,10,11,12,15,16");
        targetServer.execute("INSERT INTO customer.filtered VALUES (1,0),(2,0),(3,0),(4,0),(5,0),(6,0),(7,0),(9,0),"
                + "(10,0),(15,0)"); // 15: past the lastpk, present only to prove that the guard holds
        StreamKey key = stream("wf_filtered", "filtered", new CopyProgress.Copying(
                new LastPk(List.of("id"), List.of(10L))));

        source.execute("UPDATE commerce.filtered SET v = 1 WHERE id IN (3, 15)",
                "INSERT INTO commerce.filtered VALUES (8, 1), (30, 1)",
                "DELETE FROM commerce.filtered WHERE id IN (4, 16)",
                "UPDATE commerce.filtered SET id = 20 WHERE id = 5"); // leaves the copied range: a delete here
        awaitCaughtUp(key);

        assertEquals(List.of(List.of("1", "0"), List.of("2", "0"), List.of("3", "1"), List.of("6", "0"),
                        List.of("7", "0"), List.of("8", "1"), List.of("9", "0"), List.of("10", "0"),
                        List.of("15", "0")),
                targetServer.query("SELECT id, v FROM customer.filtered ORDER BY id"));
    }

    @Test
    void appliesNothingOfATableWhoseCopyHasNotStarted() throws Exception {
        createTables("later", "1,2");
        StreamKey key = stream("wf_later", "later", CopyProgress.NOT_STARTED);
        source.execute("INSERT INTO commerce.later VALUES (3, 1)", "DELETE FROM commerce.later WHERE id = 1");
        awaitCaughtUp(key);
        assertEquals(List.of(), targetServer.query("SELECT * FROM customer.later"));
    }

    @Test
    void stopsOnADuplicateKeyWithoutCommittingTheGroup() throws Exception {
        createTables("dup", "1");
        targetServer.execute("INSERT INTO customer.dup VALUES (1, 0), (2, 0)"); // 2: written to the target directly
        StreamKey key = stream("wf_dup", "dup", CopyProgress.COPIED);
        String before = storedPosition(key);

        source.execute("UPDATE commerce.dup SET v = 7 WHERE id = 1", "INSERT INTO commerce.dup VALUES (2, 1)");

        BinlogStreamException failure = failures.poll(WAIT.toSeconds(), TimeUnit.SECONDS);
        assertNotNull(failure, "the stream should stop");
        ApplyException cause = assertInstanceOf(ApplyException.class, failure.getCause());
        assertTrue(cause.getMessage().contains("already has the row of dup with id=2"), cause.getMessage());
        assertTrue(cause.getMessage().contains("diverged"), cause.getMessage());
        // The UPDATE shared the group with the failed INSERT: neither, nor the position, was committed.
        assertEquals(before, storedPosition(key));
        assertEquals(List.of(List.of("1", "0"), List.of("2", "0")),
                targetServer.query("SELECT id, v FROM customer.dup ORDER BY id"));
    }

    @Test
    void stopsAtDdlRecordingThePositionAfterIt() throws Exception {
        createTables("ddl", "1");
        targetServer.execute("INSERT INTO customer.ddl VALUES (1, 0)");
        StreamKey key = stream("wf_ddl", "ddl", CopyProgress.COPIED);

        source.execute("UPDATE commerce.ddl SET v = 5 WHERE id = 1");
        // The stream reads column names from the source's current schema, so rows written before an ALTER must be
        // read before it runs (a BinlogStream limitation, see the report); here only the DDL follows.
        awaitCaughtUp(key);
        source.execute("ALTER TABLE commerce.ddl ADD COLUMN w INT");

        BinlogStreamException failure = failures.poll(WAIT.toSeconds(), TimeUnit.SECONDS);
        assertNotNull(failure, "the stream should stop at the DDL");
        assertEquals(source.query("SELECT @@gtid_binlog_pos").get(0).get(0), storedPosition(key));
        assertEquals(List.of(List.of("stopped")), targetServer.query("SELECT state FROM _switchyard.stream"
                + " WHERE workflow = 'wf_ddl'"));
        assertTrue(targetServer.query("SELECT message FROM _switchyard.stream WHERE workflow = 'wf_ddl'").get(0).get(0)
                .contains("ADD COLUMN w INT"));
        assertEquals(List.of(List.of("1", "5")), targetServer.query("SELECT id, v FROM customer.ddl"));
    }

    /** Source table with the given ids (v = 0), an empty target table of the same shape. */
    private void createTables(String table, String ids) {
        source.execute("CREATE DATABASE IF NOT EXISTS commerce",
                "CREATE TABLE commerce." + table + " (id INT NOT NULL PRIMARY KEY, v INT NOT NULL)",
                "INSERT INTO commerce." + table + " SELECT seq, 0 FROM commerce.seq_1_to_100"
                        + " WHERE seq IN (" + ids + ")");
        targetServer.execute("CREATE DATABASE IF NOT EXISTS customer",
                "CREATE TABLE customer." + table + " (id INT NOT NULL PRIMARY KEY, v INT NOT NULL)");
    }

    private StreamKey stream(String workflow, String table, CopyProgress progress) throws SQLException {
        return streams.start(workflow, table, progress, OnDdl.STOP);
    }

    private void awaitCaughtUp(StreamKey key) throws InterruptedException {
        streams.awaitCaughtUp(key);
    }

    private String storedPosition(StreamKey key) {
        return streams.stored(key, "pos");
    }
}
