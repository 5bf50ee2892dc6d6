package io.switchyard.replication.workflow;

import io.switchyard.sandbox.MariaDbServer;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.Random;

/**
 * A bounded, seeded mix of INSERT/UPDATE/DELETE on {@code commerce.customer} and {@code commerce.corder}, on its own
 * thread; updates of {@code customer_id} move rows between target shards. Ids that no longer exist change nothing.
 */
final class CommerceWriter implements Runnable {
    private final MariaDbServer source;
    private final int operations;
    private final Random random;
    private long nextId;
    private volatile Throwable failure;

    CommerceWriter(MariaDbServer source, long firstNewId, int operations, long seed) {
        this.source = source;
        this.nextId = firstNewId;
        this.operations = operations;
        this.random = new Random(seed);
    }

    static void createTables(MariaDbServer source, int customers, int orders) throws SQLException {
        source.execute("CREATE TABLE commerce.customer (customer_id BIGINT NOT NULL PRIMARY KEY,"
                        + " email VARCHAR(100) CHARACTER SET utf8mb4, KEY idx_email (email)) ENGINE=InnoDB",
                "CREATE TABLE commerce.corder (order_id BIGINT NOT NULL PRIMARY KEY, customer_id BIGINT NOT NULL,"
                        + " sku VARCHAR(32) NOT NULL, price DECIMAL(10,2) NOT NULL, KEY idx_customer (customer_id))"
                        + " ENGINE=InnoDB");
        try (Connection connection = source.connect("commerce")) {
            connection.setAutoCommit(false);
            try (PreparedStatement c = connection.prepareStatement("INSERT INTO customer VALUES (?, ?)");
                 PreparedStatement o = connection.prepareStatement("INSERT INTO corder VALUES (?, ?, ?, ?)")) {
                for (long id = 1; id <= customers; id++) {
                    c.setLong(1, id);
                    c.setString(2, id % 17 == 0 ? null : "user" + id + "@example.com");
                    c.addBatch();
                }
                c.executeBatch();
                for (long id = 1; id <= orders; id++) {
                    o.setLong(1, id);
                    o.setLong(2, 1 + id % customers);
                    o.setString(3, "SKU-" + id % 97);
                    o.setString(4, (id % 1000) + ".50");
                    o.addBatch();
                }
                o.executeBatch();
            }
            connection.commit();
        }
    }

    Throwable failure() {
        return failure;
    }

    @Override
    public void run() {
        try (Connection connection = source.connect("commerce")) {
            for (int i = 0; i < operations; i++) {
                long id = 1 + random.nextInt(3_000);
                switch (random.nextInt(8)) {
                    case 0 -> execute(connection, "INSERT INTO customer VALUES (?, 'new@example.com')", nextId++);
                    case 1 -> execute(connection, "UPDATE customer SET email = CONCAT('u', ?, email) WHERE"
                            + " customer_id = ?", i, id);
                    case 2 -> execute(connection, "DELETE FROM customer WHERE customer_id = ?", id);
                    case 3, 4 -> execute(connection, "INSERT INTO corder VALUES (?, ?, 'SKU-N', 1.25)", nextId++,
                            1 + random.nextInt(3_000));
                    case 5 -> execute(connection, "UPDATE corder SET price = price + 1 WHERE order_id = ?", id);
                    case 6 -> execute(connection, "UPDATE corder SET customer_id = ? WHERE order_id = ?",
                            1 + random.nextInt(3_000), id); // moves the order to another shard, usually
                    default -> execute(connection, "DELETE FROM corder WHERE order_id = ?", id);
                }
            }
        } catch (SQLException | RuntimeException e) {
            failure = e;
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
