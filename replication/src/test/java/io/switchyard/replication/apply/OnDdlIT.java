package io.switchyard.replication.apply;

import io.switchyard.replication.binlog.BinlogStreamException;
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
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * on_ddl STOP, IGNORE, EXEC and EXEC_IGNORE on one unsharded target ({@code commerce} → {@code customer}). The stream
 * reads column names from the source's current schema, so each test lets the stream catch up before its ALTER.
 */
@Sandboxed("commerce:0; customer:-80")
class OnDdlIT {
    private static final Duration WAIT = SingleTargetStreams.WAIT;

    private final SingleTargetStreams streams;
    private final MariaDbServer source;
    private final MariaDbServer targetServer;
    private final LinkedBlockingQueue<BinlogStreamException> failures;

    OnDdlIT(Sandbox sandbox) throws SQLException {
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
    void stopQuotesTheStatement() throws Exception {
        createTables("ddl_stop");
        StreamKey key = stream("wf_stop", "ddl_stop", OnDdl.STOP);
        source.execute("ALTER TABLE commerce.ddl_stop ADD COLUMN w INT");

        assertNotNull(failures.poll(WAIT.toSeconds(), TimeUnit.SECONDS), "the stream should stop at the DDL");
        assertEquals(sourcePosition(), stored(key, "pos"));
        assertEquals("stopped", stored(key, "state"));
        assertTrue(stored(key, "message").contains("ALTER TABLE commerce.ddl_stop ADD COLUMN w INT"),
                stored(key, "message"));
        assertEquals(List.of("id", "v"), targetColumns("ddl_stop"));
    }

    @Test
    void ignoreSkipsTheStatementAndKeepsGoing() throws Exception {
        createTables("ddl_ignore");
        StreamKey key = stream("wf_ignore", "ddl_ignore", OnDdl.IGNORE);
        source.execute("ALTER TABLE commerce.ddl_ignore COMMENT 'from the source'",
                "INSERT INTO commerce.ddl_ignore VALUES (2, 2)");
        awaitCaughtUp(key);

        assertEquals(List.of(List.of("1", "0"), List.of("2", "2")),
                targetServer.query("SELECT id, v FROM customer.ddl_ignore ORDER BY id"));
        assertEquals(List.of(List.of("")), targetServer.query("SELECT table_comment FROM information_schema.tables"
                + " WHERE table_schema = 'customer' AND table_name = 'ddl_ignore'"));
        assertEquals("running", stored(key, "state"));
    }

    @Test
    void execRunsTheStatementOnTheTargetDatabase() throws Exception {
        createTables("ddl_exec");
        StreamKey key = stream("wf_exec", "ddl_exec", OnDdl.EXEC);
        source.execute("UPDATE commerce.ddl_exec SET v = 1 WHERE id = 1");
        awaitCaughtUp(key); // rows before the ALTER are decoded with the current schema: read them first
        source.execute("ALTER TABLE `commerce`.ddl_exec ADD COLUMN w INT NOT NULL DEFAULT 7");
        awaitCaughtUp(key);
        source.execute("INSERT INTO commerce.ddl_exec VALUES (2, 2, 9)",
                "UPDATE commerce.ddl_exec SET w = 8 WHERE id = 1");
        awaitCaughtUp(key);

        assertEquals(List.of("id", "v", "w"), targetColumns("ddl_exec"));
        assertEquals(List.of(List.of("1", "1", "8"), List.of("2", "2", "9")),
                targetServer.query("SELECT id, v, w FROM customer.ddl_exec ORDER BY id"));
        assertEquals("running", stored(key, "state"));
    }

    @Test
    void execStopsWithErrorWhenTheStatementFails() throws Exception {
        createTables("ddl_exec_fail");
        targetServer.execute("ALTER TABLE customer.ddl_exec_fail ADD COLUMN w INT"); // the target diverged
        StreamKey key = stream("wf_exec_fail", "ddl_exec_fail", OnDdl.EXEC);
        String before = stored(key, "pos");
        source.execute("ALTER TABLE commerce.ddl_exec_fail ADD COLUMN w INT");

        BinlogStreamException failure = failures.poll(WAIT.toSeconds(), TimeUnit.SECONDS);
        assertNotNull(failure, "the stream should stop at the failed DDL");
        assertEquals("error", stored(key, "state"));
        String message = stored(key, "message");
        assertTrue(message.contains("ALTER TABLE `customer`.ddl_exec_fail ADD COLUMN w INT"), message);
        assertTrue(message.contains("Duplicate column name 'w'"), message);
        assertEquals(before, stored(key, "pos"), "a retry runs the DDL again");
    }

    @Test
    void execIgnoreLogsAFailedStatementAndKeepsGoing() throws Exception {
        createTables("ddl_exec_ignore");
        targetServer.execute("ALTER TABLE customer.ddl_exec_ignore ADD COLUMN w INT NOT NULL DEFAULT 0");
        StreamKey key = stream("wf_exec_ignore", "ddl_exec_ignore", OnDdl.EXEC_IGNORE);
        source.execute("ALTER TABLE commerce.ddl_exec_ignore ADD COLUMN w INT NOT NULL DEFAULT 0");
        awaitCaughtUp(key);
        source.execute("INSERT INTO commerce.ddl_exec_ignore VALUES (2, 2, 5)");
        awaitCaughtUp(key);

        assertEquals(List.of(List.of("1", "0", "0"), List.of("2", "2", "5")),
                targetServer.query("SELECT id, v, w FROM customer.ddl_exec_ignore ORDER BY id"));
        assertEquals("running", stored(key, "state"));
        List<List<String>> log = targetServer.query("SELECT level, message FROM _switchyard.log"
                + " WHERE workflow = 'wf_exec_ignore'");
        assertEquals(1, log.size(), log::toString);
        assertEquals("WARN", log.get(0).get(0));
        assertTrue(log.get(0).get(1).contains("Duplicate column name 'w'"), log.get(0).get(1));
    }

    /** Source and target table with row (1, 0). */
    private void createTables(String table) {
        source.execute("CREATE DATABASE IF NOT EXISTS commerce",
                "CREATE TABLE commerce." + table + " (id INT NOT NULL PRIMARY KEY, v INT NOT NULL)",
                "INSERT INTO commerce." + table + " VALUES (1, 0)");
        targetServer.execute("CREATE DATABASE IF NOT EXISTS customer",
                "CREATE TABLE customer." + table + " (id INT NOT NULL PRIMARY KEY, v INT NOT NULL)",
                "INSERT INTO customer." + table + " VALUES (1, 0)");
    }

    private StreamKey stream(String workflow, String table, OnDdl onDdl) throws SQLException {
        return streams.start(workflow, table, CopyProgress.COPIED, onDdl);
    }

    private void awaitCaughtUp(StreamKey key) throws InterruptedException {
        streams.awaitCaughtUp(key);
    }

    private String sourcePosition() {
        return streams.sourcePosition();
    }

    private String stored(StreamKey key, String column) {
        return streams.stored(key, column);
    }

    private List<String> targetColumns(String table) {
        return targetServer.query("SELECT column_name FROM information_schema.columns WHERE table_schema = 'customer'"
                + " AND table_name = '" + table + "' ORDER BY ordinal_position").stream().map(r -> r.get(0)).toList();
    }
}
