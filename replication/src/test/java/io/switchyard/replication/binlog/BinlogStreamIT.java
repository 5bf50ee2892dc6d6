package io.switchyard.replication.binlog;

import io.switchyard.sandbox.MariaDbServer;
import io.switchyard.sandbox.Sandbox;
import io.switchyard.sandbox.Sandboxed;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.mariadb.jdbc.MariaDbDataSource;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import java.time.Duration;
import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Streams from a real MariaDB primary; each test uses its own tables so that order does not matter. */
@Sandboxed("commerce:0")
class BinlogStreamIT {
    private static final Duration WAIT = Duration.ofSeconds(15);

    private final MariaDbServer primary;
    private final MariaDbDataSource dataSource;
    /** Unique per stream across the class's test instances (a new instance per test). */
    private static final AtomicInteger SERVER_IDS = new AtomicInteger(100_000);
    private final BlockingQueue<BinlogEvent> events = new LinkedBlockingQueue<>();
    private final BlockingQueue<BinlogStreamException> failures = new LinkedBlockingQueue<>();
    private final List<BinlogStream> streams = new ArrayList<>();

    BinlogStreamIT(Sandbox sandbox) throws SQLException {
        primary = sandbox.primary("commerce", "0");
        dataSource = new MariaDbDataSource(primary.jdbcUrl());
    }

    @BeforeEach
    void createDatabase() {
        primary.execute("CREATE DATABASE IF NOT EXISTS commerce");
    }

    @AfterEach
    void closeStreams() {
        streams.forEach(BinlogStream::close);
    }

    @Test
    void deliversDecodedRowImagesWithThePositionAfterEachCommit() throws Exception {
        primary.execute("CREATE TABLE commerce.typed (id INT PRIMARY KEY, big BIGINT UNSIGNED,"
                        + " name VARCHAR(50) CHARACTER SET utf8mb4, amount DECIMAL(12,4), at DATETIME(6), doc JSON,"
                        + " data BLOB, color ENUM('red','green'), note VARCHAR(10))",
                "CREATE TABLE commerce.unwatched (id INT PRIMARY KEY)");
        String start = gtidBinlogPos();
        start(start, Set.of(new TableName("commerce", "typed")), events::add);

        primary.execute("INSERT INTO commerce.typed VALUES (1, 18446744073709551615, 'héllo 😀', 12345678.1234,"
                + " '2024-02-29 23:59:58.123456', '{\"a\": [1, 2]}', x'000102ff', 'green', NULL)");
        Transaction insert = nextTransaction();
        assertEquals(gtidBinlogPos(), insert.gtid());
        assertEquals(1, insert.changes().size());
        RowChange row = insert.changes().get(0);
        assertEquals(RowChange.Kind.INSERT, row.kind());
        assertEquals("commerce", row.database());
        assertEquals("typed", row.table());
        assertEquals(List.of("id", "big", "name", "amount", "at", "doc", "data", "color", "note"), row.columns());
        assertEquals(List.of(), row.before());
        List<Object> after = row.after();
        assertEquals(1, after.get(0));
        assertEquals(new BigInteger("18446744073709551615"), after.get(1));
        assertEquals("héllo 😀", after.get(2));
        assertEquals(new BigDecimal("12345678.1234"), after.get(3));
        assertEquals(LocalDateTime.of(2024, 2, 29, 23, 59, 58, 123_456_000), after.get(4));
        assertEquals("{\"a\": [1, 2]}", after.get(5));
        assertArrayEquals(new byte[] {0, 1, 2, (byte) 0xff}, (byte[]) after.get(6));
        assertEquals("green", after.get(7));
        assertNull(after.get(8));

        // A transaction on a table not watched produces nothing, but the next position still covers it.
        primary.execute("INSERT INTO commerce.unwatched VALUES (1)",
                "UPDATE commerce.typed SET note = 'n', color = 'red' WHERE id = 1");
        Transaction update = nextTransaction();
        assertEquals(gtidBinlogPos(), update.gtid());
        RowChange changed = update.changes().get(0);
        assertEquals(RowChange.Kind.UPDATE, changed.kind());
        assertEquals(Arrays.asList("green", null), changed.before().subList(7, 9));
        assertEquals(List.of("red", "n"), changed.after().subList(7, 9));

        // One multi-statement transaction → one Transaction, changes in statement order.
        try (Connection c = primary.connect(); Statement s = c.createStatement()) {
            c.setAutoCommit(false);
            s.execute("INSERT INTO commerce.typed (id, name) VALUES (2, 'two'), (3, 'three')");
            s.execute("INSERT INTO commerce.unwatched VALUES (2)");
            s.execute("DELETE FROM commerce.typed WHERE id = 1");
            c.commit();
        }
        Transaction multi = nextTransaction();
        assertEquals(gtidBinlogPos(), multi.gtid());
        assertEquals(List.of(RowChange.Kind.INSERT, RowChange.Kind.INSERT, RowChange.Kind.DELETE),
                multi.changes().stream().map(RowChange::kind).toList());
        assertEquals("three", multi.changes().get(1).after().get(2));
        assertEquals(1, multi.changes().get(2).before().get(0));
        assertEquals(List.of(), multi.changes().get(2).after());

        // DDL on a watched table → Ddl; the rows after it are decoded with the new columns.
        primary.execute("ALTER TABLE commerce.typed ADD COLUMN extra INT", "ALTER TABLE commerce.unwatched ADD x INT");
        Ddl ddl = assertInstanceOf(Ddl.class, events.poll(WAIT.toSeconds(), TimeUnit.SECONDS));
        assertEquals("ALTER TABLE commerce.typed ADD COLUMN extra INT", ddl.sql());
        primary.execute("INSERT INTO commerce.typed (id, extra) VALUES (4, 44)");
        Transaction afterDdl = nextTransaction();
        assertEquals(gtidBinlogPos(), afterDdl.gtid());
        assertEquals(44, afterDdl.changes().get(0).after().get(9));
        assertNull(events.poll(300, TimeUnit.MILLISECONDS), "nothing else was delivered");
        assertTrue(failures.isEmpty(), () -> failures.toString());
    }

    @Test
    void restartingFromTheLastDeliveredGtidDeliversEachLaterTransactionOnce() throws Exception {
        primary.execute("CREATE TABLE commerce.resume (id INT PRIMARY KEY)");
        Set<TableName> tables = Set.of(new TableName("commerce", "resume"));
        BinlogStream first = start(gtidBinlogPos(), tables, events::add);
        for (int i = 1; i <= 5; i++) {
            primary.execute("INSERT INTO commerce.resume VALUES (" + i + ")");
        }
        String last = null;
        for (int i = 1; i <= 5; i++) {
            Transaction tx = nextTransaction();
            assertEquals(i, tx.changes().get(0).after().get(0));
            last = tx.gtid();
        }
        first.close();
        for (int i = 6; i <= 10; i++) {
            primary.execute("INSERT INTO commerce.resume VALUES (" + i + ")");
        }
        start(last, tables, events::add);
        for (int i = 6; i <= 10; i++) {
            assertEquals(i, nextTransaction().changes().get(0).after().get(0));
        }
        assertNull(events.poll(500, TimeUnit.MILLISECONDS), "a transaction was delivered twice");
    }

    @Test
    void aConsumerExceptionStopsTheStreamAndIsReported() throws Exception {
        primary.execute("CREATE TABLE commerce.boom (id INT PRIMARY KEY)");
        String start = gtidBinlogPos();
        BinlogStream stream = start(start, Set.of(new TableName("commerce", "boom")), e -> {
            throw new IllegalStateException("applier broke");
        });
        primary.execute("INSERT INTO commerce.boom VALUES (1)", "INSERT INTO commerce.boom VALUES (2)");
        BinlogStreamException failure = failures.poll(WAIT.toSeconds(), TimeUnit.SECONDS);
        assertNotNull(failure);
        assertTrue(failure.getMessage().contains("applier broke"), failure.getMessage());
        stream.close();
        assertEquals(start, stream.position(), "position must not move past the failed transaction");
    }

    @Test
    void aPurgedPositionFailsWithBinlogPurgedException() throws Exception {
        primary.execute("CREATE TABLE commerce.purged (id INT PRIMARY KEY)");
        String old = gtidBinlogPos();
        primary.execute("INSERT INTO commerce.purged VALUES (1)", "FLUSH BINARY LOGS");
        Thread.sleep(1100); // PURGE ... BEFORE compares file times at second precision
        primary.execute("INSERT INTO commerce.purged VALUES (2)", "PURGE BINARY LOGS BEFORE NOW()");

        start(old, Set.of(new TableName("commerce", "purged")), events::add);
        BinlogStreamException failure = failures.poll(WAIT.toSeconds(), TimeUnit.SECONDS);
        BinlogPurgedException purged = assertInstanceOf(BinlogPurgedException.class, failure);
        assertEquals(old, purged.position());
        assertTrue(purged.getMessage().contains("is gone from the source"), purged.getMessage());
        assertTrue(events.isEmpty());
    }

    @Test
    void anIdleSourceSendsHeartbeatsThatKeepTheStreamAliveAndCarryThePosition() throws Exception {
        primary.execute("CREATE TABLE commerce.idle (id INT PRIMARY KEY)");
        String start = gtidBinlogPos();
        BlockingQueue<BinlogEvent> all = new LinkedBlockingQueue<>();
        BinlogSource source = new BinlogSource(primary.host(), primary.port(), "root", "",
                SERVER_IDS.incrementAndGet(), Duration.ofMillis(500));
        streams.add(BinlogStream.start(source, start, Set.of(new TableName("commerce", "idle")),
                dataSource::getConnection, r -> new Thread(r, "binlog-test-idle"), all::add, failures::add,
                Clock.systemUTC()));
        Thread.sleep(2 * source.readTimeout().toMillis()); // longer than the read timeout: only heartbeats keep it up
        primary.execute("INSERT INTO commerce.idle VALUES (1)");
        BinlogEvent event;
        int heartbeats = 0;
        while ((event = all.poll(WAIT.toSeconds(), TimeUnit.SECONDS)) instanceof Heartbeat heartbeat) {
            assertEquals(start, heartbeat.gtid());
            heartbeats++;
        }
        assertTrue(heartbeats >= 2, "heartbeats: " + heartbeats);
        assertEquals(gtidBinlogPos(), assertInstanceOf(Transaction.class, event).gtid());
        assertTrue(failures.isEmpty(), () -> failures.toString());
    }

    @Test
    void aStreamClosedBeforeItsThreadRunsNeverConnects() throws Exception {
        // The stream's thread starts late (a loaded machine): close() finds no connection to end. It must not
        // connect afterwards and stream on, unseen, holding a dump thread on the source.
        BinlogSource source = new BinlogSource(primary.host(), primary.port(), "root", "",
                SERVER_IDS.incrementAndGet(), Duration.ofSeconds(1));
        ThreadFactory late = r -> new Thread(() -> {
            try {
                Thread.sleep(300);
            } catch (InterruptedException e) {
                return;
            }
            r.run();
        }, "binlog-test-late");
        BinlogStream stream = BinlogStream.start(source, gtidBinlogPos(), Set.of(new TableName("commerce", "late")),
                dataSource::getConnection, late, events::add, failures::add, Clock.systemUTC());
        long begin = System.nanoTime();
        stream.close();
        assertTrue(System.nanoTime() - begin < Duration.ofSeconds(5).toNanos(), "close waited for a stream that"
                + " was never going to stop");
        assertFalse(stream.isRunning());
        // Earlier tests' streams hang up asynchronously: wait for the server to notice those.
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (!primary.query("SELECT id FROM information_schema.processlist WHERE command = 'Binlog Dump'")
                .isEmpty()) {
            assertTrue(System.nanoTime() < deadline, "a dump thread is left on the source");
            Thread.sleep(100);
        }
        assertTrue(events.isEmpty() && failures.isEmpty(), () -> events + " " + failures);
    }

    @Test
    void catchUpThroughput() throws Exception {
        primary.execute("CREATE TABLE commerce.bulk (id INT PRIMARY KEY, v VARCHAR(40), n BIGINT)");
        String start = gtidBinlogPos();
        int transactions = 2_000;
        int rowsPerTransaction = 10;
        try (Connection c = primary.connect(); Statement s = c.createStatement()) {
            int id = 0;
            for (int t = 0; t < transactions; t++) {
                StringBuilder sql = new StringBuilder("INSERT INTO commerce.bulk VALUES ");
                for (int r = 0; r < rowsPerTransaction; r++) {
                    sql.append(r == 0 ? "" : ",").append("(").append(++id).append(",'value ").append(id).append("',")
                            .append(id * 7L).append(")");
                }
                s.execute(sql.toString());
            }
        }
        long begin = System.nanoTime();
        start(start, Set.of(new TableName("commerce", "bulk")), events::add);
        int rows = 0;
        for (int t = 0; t < transactions; t++) {
            rows += nextTransaction().changes().size();
        }
        double seconds = (System.nanoTime() - begin) / 1e9;
        assertEquals(transactions * rowsPerTransaction, rows);
        System.out.printf("binlog catch-up: %d transactions, %d rows in %.2fs: %.0f tx/s, %.0f rows/s%n",
                transactions, rows, seconds, transactions / seconds, rows / seconds);
    }

    private BinlogStream start(String from, Set<TableName> tables, Consumer<BinlogEvent> consumer) {
        BinlogSource source = new BinlogSource(primary.host(), primary.port(), "root", "",
                SERVER_IDS.incrementAndGet(), Duration.ofSeconds(1));
        ThreadFactory threads = r -> new Thread(r, "binlog-test-" + tables.iterator().next());
        BinlogStream stream = BinlogStream.start(source, from, tables, dataSource::getConnection, threads,
                e -> {
                    if (!(e instanceof Heartbeat)) {
                        consumer.accept(e);
                    }
                }, failures::add, Clock.systemUTC());
        streams.add(stream);
        return stream;
    }

    private Transaction nextTransaction() throws InterruptedException {
        BinlogEvent event = events.poll(WAIT.toSeconds(), TimeUnit.SECONDS);
        assertNotNull(event, () -> "no transaction within " + WAIT + "; failures: " + failures);
        return assertInstanceOf(Transaction.class, event);
    }

    private String gtidBinlogPos() {
        return primary.query("SELECT @@gtid_binlog_pos").get(0).get(0);
    }
}
