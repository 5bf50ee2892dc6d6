package io.switchyard.replication.verify;

import io.switchyard.routing.vindex.KeyRange;
import io.switchyard.routing.vindex.Vindex;
import io.switchyard.sandbox.MariaDbServer;
import io.switchyard.sandbox.Sandbox;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;

/**
 * A sharded source keyspace {@code src} (2 shards) and a sharded target keyspace {@code dst} (4 shards) whose shard
 * boundaries differ, as after a MoveTables into a keyspace sharded differently: rows are placed by the hash vindex of
 * a routing column, and diffs get one snapshot per shard.
 */
final class DiffFixtures {
    static final String SPEC = "src:-80,80-; dst:-40,40-80,80-c0,c0-; topology";
    static final String SOURCE = "src";
    static final String TARGET = "dst";
    static final List<String> SOURCE_SHARDS = List.of("-80", "80-");
    static final List<String> TARGET_SHARDS = List.of("-40", "40-80", "80-c0", "c0-");
    private static final Vindex HASH = Vindex.of("hash");

    private DiffFixtures() {
    }

    /** Runs {@code ddl} on every shard of both keyspaces, with {@code {db}} replaced by the keyspace's database. */
    static void createEverywhere(Sandbox sandbox, String ddl) {
        for (String shard : SOURCE_SHARDS) {
            sandbox.primary(SOURCE, shard).execute(ddl.replace("{db}", SOURCE));
        }
        for (String shard : TARGET_SHARDS) {
            sandbox.primary(TARGET, shard).execute(ddl.replace("{db}", TARGET));
        }
    }

    /** Inserts the same rows into both keyspaces, each row on the shard owning the hash of {@code routing}'s value. */
    static void insertBoth(Sandbox sandbox, String table, int routing, List<Object[]> rows) throws SQLException {
        insert(sandbox, SOURCE, SOURCE_SHARDS, table, routing, rows);
        insert(sandbox, TARGET, TARGET_SHARDS, table, routing, rows);
    }

    static void insert(Sandbox sandbox, String keyspace, List<String> shards, String table, int routing,
                       List<Object[]> rows) throws SQLException {
        for (String shard : shards) {
            KeyRange range = KeyRange.parse(shard);
            List<Object[]> mine = rows.stream()
                    .filter(row -> range.contains(HASH.keyspaceId(((Number) row[routing]).longValue()))).toList();
            insertInto(sandbox.primary(keyspace, shard), keyspace, table, mine);
        }
    }

    static void insertInto(MariaDbServer server, String database, String table, List<Object[]> rows)
            throws SQLException {
        if (rows.isEmpty()) {
            return;
        }
        String marks = String.join(", ", java.util.Collections.nCopies(rows.get(0).length, "?"));
        try (Connection connection = server.connect(database);
             PreparedStatement insert = connection.prepareStatement(
                     "INSERT INTO `" + table + "` VALUES (" + marks + ")")) {
            connection.setAutoCommit(false);
            for (Object[] row : rows) {
                for (int i = 0; i < row.length; i++) {
                    insert.setObject(i + 1, row[i]);
                }
                insert.addBatch();
            }
            insert.executeBatch();
            connection.commit();
        }
    }

    /** The target shard that owns {@code routingValue}. */
    static MariaDbServer targetOwning(Sandbox sandbox, long routingValue) {
        byte[] id = HASH.keyspaceId(routingValue);
        for (String shard : TARGET_SHARDS) {
            if (KeyRange.parse(shard).contains(id)) {
                return sandbox.primary(TARGET, shard);
            }
        }
        throw new IllegalStateException("no target shard owns " + routingValue);
    }

    /** A target shard that does not own {@code routingValue}. */
    static MariaDbServer targetNotOwning(Sandbox sandbox, long routingValue) {
        MariaDbServer owner = targetOwning(sandbox, routingValue);
        return TARGET_SHARDS.stream().map(s -> sandbox.primary(TARGET, s)).filter(s -> s != owner).findFirst()
                .orElseThrow();
    }

    /** One consistent snapshot per shard of both keyspaces; closing ends them and closes the connections. */
    static final class Snapshots implements AutoCloseable {
        private final List<Connection> connections = new ArrayList<>();
        private final List<ConsistentSnapshot> snapshots = new ArrayList<>();
        final List<DiffSide> sources = new ArrayList<>();
        final List<DiffSide> targets = new ArrayList<>();

        Snapshots(Sandbox sandbox) throws SQLException {
            try {
                for (String shard : SOURCE_SHARDS) {
                    sources.add(open(sandbox.primary(SOURCE, shard), shard, SOURCE));
                }
                for (String shard : TARGET_SHARDS) {
                    targets.add(open(sandbox.primary(TARGET, shard), shard, TARGET));
                }
            } catch (SQLException | RuntimeException e) {
                close();
                throw e;
            }
        }

        ConsistentSnapshot snapshot(int index) {
            return snapshots.get(index);
        }

        private DiffSide open(MariaDbServer server, String shard, String database) throws SQLException {
            Connection connection = server.connect();
            connections.add(connection);
            snapshots.add(ConsistentSnapshot.open(connection));
            return new DiffSide(shard, connection, database);
        }

        @Override
        public void close() throws SQLException {
            for (ConsistentSnapshot snapshot : snapshots) {
                snapshot.close();
            }
            for (Connection connection : connections) {
                connection.close();
            }
        }
    }

    static VerifyReport diff(Sandbox sandbox, String table, DiffOptions options) throws SQLException {
        return diff(sandbox, table, options, null);
    }

    /** Diffs {@code table} from fresh snapshots; {@code placement} may be null. */
    static VerifyReport diff(Sandbox sandbox, String table, DiffOptions options, Placement placement)
            throws SQLException {
        try (Snapshots snapshots = new Snapshots(sandbox)) {
            return new TableDiff(options, java.time.Clock.systemUTC()).diff(snapshots.sources, snapshots.targets,
                    table, placement);
        }
    }
}
