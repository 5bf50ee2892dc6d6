package io.switchyard.replication.workflow;

import io.switchyard.routing.topo.TopologyStore;
import io.switchyard.sandbox.MariaDbServer;
import io.switchyard.sandbox.Sandbox;
import io.switchyard.sandbox.Sandboxed;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * A stopped workflow whose source purged the binlogs after its streams' positions cannot continue: START must put it
 * in state error with a message that says so and asks for a new workflow, and it must stay there (no retry loop).
 */
@Sandboxed("commerce:0; customer:-80,80-; topology")
class PurgedBinlogIT {
    private static final Duration WAIT = Duration.ofSeconds(30);
    private static final String VSCHEMA = """
            vindexes:
              hash: { type: hash }
            tables:
              customer:
                column_vindexes: [ { column: customer_id, name: hash } ]
              corder:
                column_vindexes: [ { column: customer_id, name: hash } ]
              big:
                column_vindexes: [ { column: customer_id, name: hash } ]
            """.indent(6);

    private final WorkflowFixture fixture;
    private final MariaDbServer source;
    private final List<AutoCloseable> closing = new ArrayList<>();

    PurgedBinlogIT(Sandbox sandbox) {
        this.fixture = new WorkflowFixture(sandbox, Map.of("customer", VSCHEMA));
        this.source = sandbox.primary("commerce", "0");
    }

    @AfterEach
    void cleanUp() throws Exception {
        for (int i = closing.size() - 1; i >= 0; i--) {
            closing.get(i).close();
        }
        fixture.close();
    }

    @Test
    void startingFromPurgedBinlogsEndsInErrorAskingForANewWorkflow() throws Exception {
        CommerceWriter.createTables(source, 300, 500);
        TopologyStore topology = TopologyStore.open(fixture.config, Duration.ofSeconds(2));
        closing.add(topology);
        MoveTablesWorkflow workflow = MoveTablesWorkflow.create(
                MoveTablesSpec.of("wf", "commerce", "customer", List.of("customer", "corder")), fixture.config,
                topology, fixture.deps);
        closing.add(workflow);
        workflow.start();
        fixture.awaitCaughtUp(workflow, "commerce");

        workflow.stop(); // closes the binlog connections; the streams keep their committed positions
        assertEquals("stopped", workflow.status().state());
        awaitNoBinlogDumpThreads();

        // Rows the stopped streams have not seen, in binlogs that are then purged.
        for (int i = 0; i < 3; i++) {
            source.execute("INSERT INTO commerce.customer VALUES (" + (10_000 + i) + ", 'gone@example.com')",
                    "FLUSH BINARY LOGS");
        }
        source.execute("INSERT INTO commerce.corder VALUES (20000, 1, 'SKU-P', 9.99)");
        List<List<String>> logs = source.query("SHOW BINARY LOGS");
        String newest = logs.get(logs.size() - 1).get(0);
        purgeTo(newest);
        assertEquals(List.of(newest), source.query("SHOW BINARY LOGS").stream().map(row -> row.get(0)).toList(),
                "only the newest binlog is left");

        workflow.start();
        WorkflowStatus failed = awaitState(workflow, "error");
        assertEquals(2, failed.streams().size(), failed::toString);
        for (WorkflowStatus.StreamStatus stream : failed.streams()) {
            assertEquals("error", stream.state(), failed::toString);
            assertTrue(stream.message().contains("were purged"), stream.message());
            assertTrue(stream.message().contains("create it again"), stream.message());
        }

        // No retry loop: the streams stay in error, at their old positions, with nothing new on the targets.
        Thread.sleep(3_000);
        WorkflowStatus later = workflow.status();
        assertEquals("error", later.state(), later::toString);
        for (int i = 0; i < failed.streams().size(); i++) {
            assertEquals(failed.streams().get(i).pos(), later.streams().get(i).pos(), later::toString);
            assertEquals("error", later.streams().get(i).state(), later::toString);
        }
        assertEquals(List.of(), binlogDumpThreads(), "no stream is connected to the source");
        for (MariaDbServer target : fixture.primaries("customer")) {
            assertEquals(List.of(List.of("0")), target.query(
                    "SELECT COUNT(*) FROM customer.customer WHERE customer_id >= 10000"), target.shard());
        }
    }

    /**
     * A gateway crashes mid-copy, the source purges the binlogs from the streams' start position, and the workflow is
     * resumed: the new copy's fast-forward cannot read from that position, and the error must say why.
     */
    @Test
    void aCopyWhoseFastForwardFindsThePositionPurgedSaysSo() throws Exception {
        source.execute("CREATE TABLE commerce.big (id BIGINT NOT NULL PRIMARY KEY, customer_id BIGINT NOT NULL)",
                "INSERT INTO commerce.big SELECT seq, seq % 1000 FROM commerce.seq_1_to_100000");
        TopologyStore topology = TopologyStore.open(fixture.config, Duration.ofSeconds(2));
        closing.add(topology);
        MoveTablesWorkflow crashed = MoveTablesWorkflow.create(
                MoveTablesSpec.of("big", "commerce", "customer", List.of("big")), fixture.config, topology,
                fixture.deps);
        crashed.start();
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (crashed.status().tables().get(0).rowsCopied() == 0) {
            assertTrue(System.nanoTime() < deadline, () -> "copy never started");
            Thread.sleep(20);
        }
        crashed.close(); // a crash mid-copy: the streams never ran, their positions are the workflow's start
        assertEquals("not_started", crashed.status().tables().get(0).state(), "the crash interrupted the copy");
        awaitNoBinlogDumpThreads();

        for (int i = 0; i < 3; i++) {
            source.execute("INSERT INTO commerce.big VALUES (" + (200_000 + i) + ", 7)", "FLUSH BINARY LOGS");
        }
        List<List<String>> logs = source.query("SHOW BINARY LOGS");
        purgeTo(logs.get(logs.size() - 1).get(0));

        MoveTablesWorkflow resumed = MoveTablesWorkflow.resume("big", fixture.config, topology, fixture.deps);
        closing.add(resumed);
        awaitState(resumed, "error");
        Thread.sleep(3_000); // the copy driver notices the failed fast-forward too; the message must survive it
        WorkflowStatus failed = resumed.status();
        assertEquals("error", failed.state(), failed::toString);
        for (WorkflowStatus.StreamStatus stream : failed.streams()) {
            assertEquals("error", stream.state(), failed::toString);
            assertTrue(stream.message().contains("were purged"), stream.message());
        }
    }

    /**
     * A dump thread still attached to an old binlog keeps PURGE from removing it, so wait until the server has noticed
     * that the stopped streams hung up.
     */
    private void awaitNoBinlogDumpThreads() throws InterruptedException {
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (!binlogDumpThreads().isEmpty()) {
            if (System.nanoTime() > deadline) {
                fail("binlog dump threads still attached after stop: " + binlogDumpThreads());
            }
            Thread.sleep(100);
        }
    }

    /**
     * PURGE BINARY LOGS TO {@code newest}, repeated until it takes effect. With no dump thread attached, MariaDB
     * 10.11.19 still keeps, silently (SHOW WARNINGS is empty), every binlog from the one its latest Binlog_checkpoint
     * event names: those files may be needed for InnoDB crash recovery. The checkpoint moves once InnoDB has made the
     * files' transactions durable, which with the sandbox's innodb_flush_log_at_trx_commit=2 happens in the
     * background about once a second. Seen here: right after the FLUSHes the newest file's checkpoint still named
     * file 1 and PURGE did nothing; a second later a new checkpoint named the newest file and PURGE removed the rest.
     */
    private void purgeTo(String newest) throws Exception {
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (true) {
            List<List<String>> warnings;
            try (Connection connection = source.connect(); Statement statement = connection.createStatement()) {
                statement.execute("PURGE BINARY LOGS TO '" + newest + "'");
                warnings = new ArrayList<>();
                try (ResultSet rs = statement.executeQuery("SHOW WARNINGS")) {
                    while (rs.next()) {
                        warnings.add(List.of(rs.getString(2), rs.getString(3)));
                    }
                }
            }
            if (source.query("SHOW BINARY LOGS").size() == 1) {
                return;
            }
            if (System.nanoTime() > deadline) {
                fail("PURGE BINARY LOGS TO " + newest + " left " + source.query("SHOW BINARY LOGS") + "; warnings "
                        + warnings + "; dump threads " + binlogDumpThreads());
            }
            Thread.sleep(200);
        }
    }

    private List<List<String>> binlogDumpThreads() {
        return source.query("SELECT id, user, host, command, state FROM information_schema.processlist"
                + " WHERE command LIKE 'Binlog Dump%'");
    }

    /** Until the workflow and every one of its streams are in {@code state} (streams fail one at a time). */
    private static WorkflowStatus awaitState(MoveTablesWorkflow workflow, String state) throws Exception {
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (true) {
            WorkflowStatus status = workflow.status();
            if (status.state().equals(state) && status.streams().stream().allMatch(s -> s.state().equals(state))) {
                return status;
            }
            if (System.nanoTime() > deadline) {
                fail("workflow not in state " + state + " within " + WAIT + ": " + status);
            }
            Thread.sleep(100);
        }
    }
}
