package io.switchyard.replication.workflow;

import io.switchyard.config.Shard;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.stream.Collectors;

/**
 * A traffic switch's fence on the side serving writes: {@code LOCK TABLES ... READ} of the moved tables on every
 * primary of that side, each held by a connection of its own. Taking it waits for every open transaction that wrote
 * to the tables — from any gateway or client — and keeps new writes out until {@link #close}, so a position read
 * under it covers every write those tables will get there. Not thread-safe: the switch uses it from one thread.
 */
final class SourceFence implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(SourceFence.class);

    private final String workflow;
    private final List<String> tables;
    private final List<Connection> locks = new ArrayList<>();
    private Leg leg;

    SourceFence(String workflow, List<String> tables) {
        this.workflow = workflow;
        this.tables = List.copyOf(tables);
    }

    /** Locks the tables on every primary of {@code leg.from()}, waiting at most {@code timeout} on each. */
    void lock(Leg leg, Duration timeout) throws SQLException {
        this.leg = leg;
        String list = tables.stream().map(t -> "`" + t.replace("`", "``") + "` READ")
                .collect(Collectors.joining(", "));
        for (Shard shard : leg.from().shards()) {
            Connection connection = leg.sourceData(shard).open();
            locks.add(connection);
            try (Statement statement = connection.createStatement()) {
                statement.execute("SET SESSION lock_wait_timeout = " + Math.max(1, timeout.toSeconds()));
                statement.execute("LOCK TABLES " + list);
            } catch (SQLException e) {
                throw new SQLException("locking " + tables + " on " + leg.from().name() + "/" + shard.name()
                        + " failed (a long transaction on them?): " + e.getMessage(), e);
            }
        }
    }

    /**
     * Kills the statements on the locked primaries that wait for one of the tables: their gateways routed them there
     * before seeing the switch, and run after it they would be lost to the other side.
     */
    void interruptWaiters() {
        for (Connection connection : locks) {
            try (Statement statement = connection.createStatement();
                 ResultSet rs = statement.executeQuery("SELECT id, info FROM information_schema.processlist"
                         + " WHERE state LIKE 'Waiting for table metadata lock%' AND id <> CONNECTION_ID()")) {
                List<Long> waiting = new ArrayList<>();
                while (rs.next()) {
                    String info = String.valueOf(rs.getString(2)).toLowerCase(Locale.ROOT);
                    if (tables.stream().anyMatch(t -> info.contains(t.toLowerCase(Locale.ROOT)))) {
                        waiting.add(rs.getLong(1));
                    }
                }
                for (long id : waiting) {
                    statement.execute("KILL QUERY " + id);
                    LOG.warn("workflow {}: interrupted statement {} on {}, routed there before its gateway saw the"
                            + " switch", workflow, id, leg.from().name());
                }
            } catch (SQLException e) {
                LOG.warn("workflow {}: looking for statements waiting on the moved tables failed: {}", workflow,
                        e.getMessage());
            }
        }
    }

    /** Unlocks (closing the connections ends LOCK TABLES). Idempotent. */
    @Override
    public void close() {
        for (Connection connection : locks) {
            try {
                connection.close();
            } catch (SQLException e) {
                LOG.warn("closing a table-lock connection failed: {}", e.getMessage());
            }
        }
        locks.clear();
    }
}
