package io.switchyard.replication.workflow;

import io.switchyard.routing.vindex.KeyRange;
import io.switchyard.routing.vindex.Vindex;
import io.switchyard.sandbox.MariaDbServer;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * A seeded mix of INSERT/UPDATE/DELETE on {@code ks.t (id BIGINT PRIMARY KEY, owner BIGINT, note VARCHAR)} in a
 * keyspace sharded by hash(id), each statement sent to the primary owning its id, as a gateway would. Updates of
 * {@code owner} move rows between target shards when the target shards by owner.
 */
final class ShardedWriter implements Runnable {
    private static final Vindex HASH = Vindex.of("hash");

    private final List<MariaDbServer> primaries;
    private final List<KeyRange> ranges = new ArrayList<>();
    private final String table;
    private final int operations;
    private final Random random;
    private final long existing;
    private long nextId;
    private volatile Throwable failure;

    ShardedWriter(List<MariaDbServer> primaries, String table, long existing, long firstNewId, int operations,
                  long seed) {
        this.primaries = primaries;
        primaries.forEach(p -> ranges.add(KeyRange.parse(p.shard())));
        this.table = table;
        this.existing = existing;
        this.nextId = firstNewId;
        this.operations = operations;
        this.random = new Random(seed);
    }

    /** Creates the table on every primary and {@code rows} rows, each on its shard. */
    static void create(List<MariaDbServer> primaries, String keyspace, String table, int rows) throws SQLException {
        ShardedWriter writer = new ShardedWriter(primaries, table, 0, 0, 0, 0);
        for (MariaDbServer primary : primaries) {
            primary.execute("CREATE TABLE " + keyspace + "." + table + " (id BIGINT NOT NULL PRIMARY KEY,"
                    + " owner BIGINT NOT NULL, note VARCHAR(64) CHARACTER SET utf8mb4, KEY idx_owner (owner))"
                    + " ENGINE=InnoDB");
        }
        List<Connection> connections = writer.connect();
        try {
            for (long id = 1; id <= rows; id++) {
                writer.execute(connections, id, "INSERT INTO " + table + " VALUES (?, ?, ?)", id, id % 500,
                        id % 13 == 0 ? null : "note " + id);
            }
        } finally {
            for (Connection connection : connections) {
                connection.close();
            }
        }
    }

    Throwable failure() {
        return failure;
    }

    @Override
    public void run() {
        try {
            List<Connection> connections = connect();
            try {
                for (int i = 0; i < operations; i++) {
                    long id = 1 + (long) random.nextInt((int) Math.max(1, existing));
                    switch (random.nextInt(6)) {
                        case 0, 1 -> {
                            long fresh = nextId++;
                            execute(connections, fresh, "INSERT INTO " + table + " VALUES (?, ?, 'new')", fresh,
                                    random.nextInt(500));
                        }
                        case 2 -> execute(connections, id, "UPDATE " + table + " SET note = CONCAT('u', ?) WHERE"
                                + " id = ?", i, id);
                        case 3, 4 -> execute(connections, id, "UPDATE " + table + " SET owner = ? WHERE id = ?",
                                random.nextInt(500), id);
                        default -> execute(connections, id, "DELETE FROM " + table + " WHERE id = ?", id);
                    }
                }
            } finally {
                for (Connection connection : connections) {
                    connection.close();
                }
            }
        } catch (SQLException | RuntimeException e) {
            failure = e;
        }
    }

    private List<Connection> connect() throws SQLException {
        List<Connection> connections = new ArrayList<>();
        for (MariaDbServer primary : primaries) {
            connections.add(primary.connect(primary.keyspace()));
        }
        return connections;
    }

    private void execute(List<Connection> connections, long id, String sql, Object... values) throws SQLException {
        byte[] keyspaceId = HASH.keyspaceId(id);
        int shard = 0;
        while (!ranges.get(shard).contains(keyspaceId)) {
            shard++;
        }
        try (PreparedStatement statement = connections.get(shard).prepareStatement(sql)) {
            for (int i = 0; i < values.length; i++) {
                statement.setObject(i + 1, values[i]);
            }
            statement.executeUpdate();
        }
    }
}
