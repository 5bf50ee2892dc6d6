package io.switchyard.replication.workflow;

import io.switchyard.routing.plan.TableSchema;
import io.switchyard.routing.topo.TopologyStore;
import io.switchyard.sandbox.MariaDbServer;
import io.switchyard.sandbox.Sandbox;
import io.switchyard.sandbox.Sandboxed;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * The movement kinds besides unsharded → sharded ({@link MoveTablesIT}): sharded 2 → 4 and 4 → 2 shards (with a
 * different vindex column on the target, so updates move rows between target shards, and a crash mid-copy), unsharded
 * → unsharded with foreign keys, and AUTO_INCREMENT through a sequence in a global keyspace. A writer changes every
 * source throughout; targets are compared with sources directly.
 */
@Sandboxed("commerce:0; commerce2:0; customer:-80,80-; customer4:-40,40-80,80-c0,c0-; topology")
class MovementKindsIT {
    private static final String HASH = "      vindexes:\n        hash: { type: hash }\n      tables:\n";

    private final WorkflowFixture fixture;
    private final List<AutoCloseable> closing = new ArrayList<>();

    MovementKindsIT(Sandbox sandbox) {
        this.fixture = new WorkflowFixture(sandbox, Map.of(
                "customer", HASH + table("item", "id") + table("widget", "owner") + table("ticket", "customer_id"),
                "customer4", HASH + table("item", "owner") + table("widget", "id")));
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
    void reshardsTwoToFourAndFourToTwoUnderWritesAndACrash() throws Exception {
        List<MariaDbServer> two = fixture.primaries("customer");
        List<MariaDbServer> four = fixture.primaries("customer4");
        ShardedWriter.create(two, "customer", "item", 3_000);
        ShardedWriter.create(four, "customer4", "widget", 3_000);
        TopologyStore topology = open();

        MoveTablesWorkflow up = MoveTablesWorkflow.create(MoveTablesSpec.of("up", "customer", "customer4",
                List.of("item")), fixture.config, topology, fixture.deps);
        MoveTablesWorkflow down = MoveTablesWorkflow.create(MoveTablesSpec.of("down", "customer4", "customer",
                List.of("widget")).withOptions(WorkflowOptions.DEFAULTS.withStopAfterCopy(true)), fixture.config,
                topology, fixture.deps);
        closing.add(down);
        ShardedWriter upWriter = new ShardedWriter(two, "item", 3_000, 1_000_000, 2_500, 1);
        ShardedWriter downWriter = new ShardedWriter(four, "widget", 3_000, 1_000_000, 2_500, 2);
        Thread writingUp = new Thread(upWriter, "writer-up");
        Thread writingDown = new Thread(downWriter, "writer-down");
        writingUp.start();
        writingDown.start();
        up.start();
        down.start();
        Thread.sleep(300);
        up.close(); // a crash, probably mid-copy: one source shard may have finished its part, the other not
        MoveTablesWorkflow resumed = MoveTablesWorkflow.resume("up", fixture.config, topology, fixture.deps);
        closing.add(resumed);
        writingUp.join();
        writingDown.join();
        assertNull(upWriter.failure(), () -> "writer failed: " + upWriter.failure());
        assertNull(downWriter.failure(), () -> "writer failed: " + downWriter.failure());

        fixture.awaitCaughtUp(resumed, "customer");
        fixture.assertTargetEqualsSource("customer", "customer4", "item", 1);
        assertEquals(8, resumed.status().streams().size(), "2 source shards x 4 target shards");

        awaitState(down, "stopped");
        WorkflowStatus stopped = down.status();
        assertTrue(stopped.streams().stream().allMatch(s -> s.message().contains("stop_after_copy")),
                stopped::toString);
        assertTrue(stopped.tables().stream().allMatch(t -> t.state().equals("copied")), stopped::toString);
        down.start();
        fixture.awaitCaughtUp(down, "customer4");
        fixture.assertTargetEqualsSource("customer4", "customer", "widget", 1);
        assertEquals(8, down.status().streams().size(), "4 source shards x 2 target shards");

        // Switch the 2 -> 4 reshard: reverse replication then runs from 4 shards back to 2.
        resumed.switchTraffic(false, false, TrafficGate.NONE, SwitchOptions.DEFAULTS);
        assertEquals("switched_primaries", resumed.status().state());
        fixture.assertTargetEqualsSource("customer", "customer4", "item", 1);
        ShardedWriter onTarget = new ShardedWriter(four, "item", 3_000, 5_000_000, 600, 3);
        onTarget.run(); // customer4 shards item by owner, the writer by id: rows land where hash(id) says
        assertNull(onTarget.failure(), () -> "writer failed: " + onTarget.failure());
        fixture.awaitCaughtUp(resumed, "customer4");
        assertEquals(fixture.union("customer4", "item"), fixture.union("customer", "item"),
                "reverse replication brought every change back to the 2 shards");
        resumed.reverseTraffic(false, TrafficGate.NONE, SwitchOptions.DEFAULTS);
        assertEquals("running", resumed.status().state());
    }

    @Test
    void movesForeignKeyTablesTogetherUnshardedToUnsharded() throws Exception {
        MariaDbServer source = fixture.sandbox.primary("commerce", "0");
        source.execute("CREATE TABLE commerce.author (id BIGINT NOT NULL PRIMARY KEY, name VARCHAR(40) NOT NULL)"
                        + " ENGINE=InnoDB",
                "CREATE TABLE commerce.book (id BIGINT NOT NULL PRIMARY KEY, author_id BIGINT NOT NULL,"
                        + " title VARCHAR(80) NOT NULL, KEY idx_title (title), CONSTRAINT fk_author FOREIGN KEY"
                        + " (author_id) REFERENCES author (id) ON DELETE CASCADE ON UPDATE CASCADE) ENGINE=InnoDB",
                "CREATE TABLE commerce.note (id BIGINT NOT NULL PRIMARY KEY, body TEXT, KEY idx_body (body(10)))"
                        + " ENGINE=InnoDB",
                "INSERT INTO commerce.author SELECT seq, CONCAT('a', seq) FROM commerce.seq_1_to_400",
                "INSERT INTO commerce.book SELECT seq, 1 + seq % 400, CONCAT('t', seq) FROM commerce.seq_1_to_2000",
                "INSERT INTO commerce.note SELECT seq, REPEAT('n', seq % 50) FROM commerce.seq_1_to_1000");
        TopologyStore topology = open();

        IllegalArgumentException refused = assertThrows(IllegalArgumentException.class, () -> MoveTablesWorkflow
                .create(MoveTablesSpec.of("half", "commerce", "commerce2", List.of("book", "note")), fixture.config,
                        topology, fixture.deps));
        assertTrue(refused.getMessage().contains("foreign key fk_author of table 'book' references 'author'"),
                refused.getMessage());

        MoveTablesWorkflow workflow = MoveTablesWorkflow.create(MoveTablesSpec.of("fk", "commerce", "commerce2",
                List.of()).withOptions(WorkflowOptions.DEFAULTS.withCopyParallelism(2)), fixture.config, topology,
                fixture.deps);
        closing.add(workflow);
        Thread writing = new Thread(() -> writeAuthorsAndBooks(source), "writer-fk");
        writing.start();
        workflow.start();
        writing.join();
        fixture.awaitCaughtUp(workflow, "commerce");
        for (String table : List.of("author", "book", "note")) {
            fixture.assertTargetEqualsSource("commerce", "commerce2", table, 0);
        }
        MariaDbServer target = fixture.sandbox.primary("commerce2", "0");
        String book = target.query("SHOW CREATE TABLE commerce2.book").get(0).get(1);
        assertTrue(book.contains("fk_author") && book.contains("idx_title"), book);
        String note = target.query("SHOW CREATE TABLE commerce2.note").get(0).get(1);
        assertTrue(note.contains("idx_body"), "deferred keys are added after the copy: " + note);
    }

    @Test
    void autoIncrementMovesToASequenceInTheGlobalKeyspace() throws Exception {
        MariaDbServer source = fixture.sandbox.primary("commerce", "0");
        source.execute("CREATE TABLE commerce.ticket (id BIGINT NOT NULL AUTO_INCREMENT PRIMARY KEY,"
                        + " customer_id BIGINT NOT NULL, body VARCHAR(20)) ENGINE=InnoDB",
                "INSERT INTO commerce.ticket (customer_id, body) SELECT seq % 50, 'b' FROM commerce.seq_1_to_700");
        TopologyStore topology = open();
        MoveTablesWorkflow workflow = MoveTablesWorkflow.create(MoveTablesSpec.of("seq", "commerce", "customer",
                List.of("ticket")).withOptions(WorkflowOptions.DEFAULTS.withGlobalKeyspace("commerce2")),
                fixture.config, topology, fixture.deps);
        closing.add(workflow);
        workflow.start();
        source.execute("INSERT INTO commerce.ticket (customer_id, body) SELECT seq % 50, 'c' FROM"
                + " commerce.seq_1_to_100");
        fixture.awaitCaughtUp(workflow, "commerce");
        fixture.assertTargetEqualsSource("commerce", "customer", "ticket", 1);

        MariaDbServer global = fixture.sandbox.primary("commerce2", "0");
        assertEquals(List.of(List.of("0", "1", "1000")), global.query("SELECT * FROM commerce2.ticket_seq"));
        var snapshot = topology.loadSnapshot();
        assertTrue(snapshot.keyspace("commerce2").orElseThrow().table("ticket_seq").orElseThrow().sequence());
        assertEquals("commerce2.ticket_seq", snapshot.keyspace("customer").orElseThrow().table("ticket")
                .flatMap(TableSchema::autoIncrement).orElseThrow().sequence());
        GlobalSequences.initialize(workflow.spec(), fixture.config, workflow.forward().sourceData(),
                workflow.servers());
        long max = Long.parseLong(source.query("SELECT MAX(id) FROM commerce.ticket").get(0).get(0));
        assertEquals(List.of(List.of(Long.toString(max + 1))), global.query("SELECT next_id FROM commerce2.ticket_seq"),
                "the sequence starts above every id the source handed out");
    }

    private static void writeAuthorsAndBooks(MariaDbServer source) {
        Random random = new Random(7);
        try (Connection connection = source.connect("commerce")) {
            long nextAuthor = 10_000;
            long nextBook = 100_000;
            for (int i = 0; i < 1_500; i++) {
                switch (random.nextInt(6)) {
                    case 0 -> execute(connection, "INSERT INTO author VALUES (?, 'new')", nextAuthor++);
                    case 1 -> execute(connection, "INSERT IGNORE INTO book VALUES (?, ?, 'nb')", nextBook++,
                            1 + random.nextInt(400));
                    case 2 -> execute(connection, "DELETE FROM author WHERE id = ?", 1 + random.nextInt(400));
                    case 3 -> execute(connection, "UPDATE book SET title = CONCAT(title, 'x') WHERE id = ?",
                            1 + random.nextInt(2_000));
                    case 4 -> execute(connection, "UPDATE note SET body = CONCAT('u', body) WHERE id = ?",
                            1 + random.nextInt(1_000));
                    default -> execute(connection, "DELETE FROM note WHERE id = ?", 1 + random.nextInt(1_000));
                }
            }
        } catch (SQLException e) {
            fail("writer failed: " + e);
        }
    }

    private static void execute(Connection connection, String sql, Object... values) throws SQLException {
        try (PreparedStatement statement = connection.prepareStatement(sql)) {
            for (int i = 0; i < values.length; i++) {
                statement.setObject(i + 1, values[i]);
            }
            statement.executeUpdate();
        }
    }

    private void awaitState(MoveTablesWorkflow workflow, String state) throws Exception {
        long deadline = System.nanoTime() + WorkflowFixture.CATCH_UP.toNanos();
        while (!workflow.status().state().equals(state)) {
            if (System.nanoTime() > deadline) {
                fail("workflow never reached " + state + ": " + workflow.status());
            }
            Thread.sleep(50);
        }
    }

    private TopologyStore open() {
        TopologyStore topology = TopologyStore.open(fixture.config, Duration.ofSeconds(2));
        closing.add(topology);
        return topology;
    }
}
