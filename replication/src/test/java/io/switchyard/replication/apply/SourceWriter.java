package io.switchyard.replication.apply;

import io.switchyard.sandbox.MariaDbServer;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.Random;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Writes a bounded, seeded mix of changes to a source {@code orders} table from its own thread: inserts, updates of
 * ordinary columns, updates of {@code customer_id} (which move rows between shards), updates of the primary key, and
 * deletes, some grouped into multi-statement transactions. Ids it picks may no longer exist; such statements change
 * nothing, as on a real source.
 */
final class SourceWriter implements Runnable {
    private final MariaDbServer source;
    private final String table;
    private final int operations;
    private final Random random;
    private final AtomicInteger done = new AtomicInteger();
    private final int initialRows;
    private final long firstNewId;
    private long nextId;
    private volatile Throwable failure;

    /**
     * @param initialRows the table's ids {@code 1..initialRows} from {@link #createTable}
     * @param firstNewId  the first id this writer inserts; distinct per writer so that writers never collide
     */
    SourceWriter(MariaDbServer source, String table, int initialRows, long firstNewId, int operations, long seed) {
        this.source = source;
        this.table = table;
        this.initialRows = initialRows;
        this.firstNewId = firstNewId;
        this.nextId = firstNewId;
        this.operations = operations;
        this.random = new Random(seed);
    }

    /** Creates {@code commerce.<table>} with ids {@code 1..rows}. */
    static void createTable(MariaDbServer source, String table, int rows) throws SQLException {
        source.execute("CREATE TABLE commerce." + table + " ("
                + " id BIGINT NOT NULL PRIMARY KEY,"
                + " customer_id BIGINT NOT NULL,"
                + " amount DECIMAL(12,2) NOT NULL,"
                + " note VARCHAR(100) CHARACTER SET utf8mb4,"
                + " updated DATETIME(6),"
                + " data VARBINARY(64),"
                + " KEY idx_customer (customer_id)"
                + ") ENGINE=InnoDB");
        try (Connection connection = source.connect("commerce")) {
            connection.setAutoCommit(false);
            try (PreparedStatement insert = connection.prepareStatement("INSERT INTO " + table
                    + " VALUES (?, ?, ?, ?, ?, ?)")) {
                Random random = new Random(rows);
                for (long id = 1; id <= rows; id++) {
                    insert.setLong(1, id);
                    insert.setLong(2, 1 + random.nextInt(500));
                    insert.setString(3, id + ".25");
                    insert.setString(4, id % 11 == 0 ? null : "order " + id + " ünïcødé 🚀 '\"");
                    insert.setString(5, "2024-05-06 07:08:09." + String.format("%06d", id * 7 % 1_000_000));
                    insert.setBytes(6, id % 13 == 0 ? null : new byte[] {(byte) id, 0, (byte) 0xff});
                    insert.addBatch();
                }
                insert.executeBatch();
            }
            connection.commit();
        }
    }

    /** Operations completed so far. */
    int done() {
        return done.get();
    }

    /** The failure that stopped the writer, if any. */
    Throwable failure() {
        return failure;
    }

    @Override
    public void run() {
        try (Connection connection = source.connect("commerce")) {
            while (done.get() < operations) {
                if (random.nextInt(10) == 0) {
                    connection.setAutoCommit(false); // a multi-statement transaction: several row events, one GTID
                    for (int i = 0; i < 2 + random.nextInt(4); i++) {
                        write(connection);
                    }
                    connection.commit();
                    connection.setAutoCommit(true);
                } else {
                    write(connection);
                }
                done.incrementAndGet();
            }
        } catch (SQLException | RuntimeException e) {
            failure = e;
        }
    }

    private void write(Connection connection) throws SQLException {
        // Mostly rows that exist: the initial ones, or ones this writer inserted (possibly since moved or deleted).
        long id = nextId == firstNewId || random.nextInt(3) > 0 ? 1 + random.nextInt(initialRows)
                : firstNewId + random.nextInt((int) (nextId - firstNewId));
        int kind = random.nextInt(100);
        if (kind < 35) {
            execute(connection, "INSERT INTO " + table + " VALUES (?, ?, 9.99, 'new 🚀', NOW(6), x'00ff')",
                    nextId++, 1 + random.nextInt(500));
        } else if (kind < 60) {
            execute(connection, "UPDATE " + table + " SET amount = amount + 1, note = CONCAT('upd ', ?),"
                    + " updated = NOW(6), data = NULL WHERE id = ?", random.nextInt(1000), id);
        } else if (kind < 80) {
            // Moves the row to whichever shard owns the new customer's keyspace id.
            execute(connection, "UPDATE " + table + " SET customer_id = ? WHERE id = ?", 1 + random.nextInt(500), id);
        } else if (kind < 85) {
            execute(connection, "UPDATE " + table + " SET id = ? WHERE id = ?", nextId++, id);
        } else {
            execute(connection, "DELETE FROM " + table + " WHERE id = ?", id);
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
}
