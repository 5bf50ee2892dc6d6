package io.switchyard.replication.workflow;

import io.switchyard.replication.copy.TargetShard;
import io.switchyard.replication.sidecar.SidecarSchema;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * A workflow's replication lag over time, for the import dashboard's lag graph (seed 003, "Replication lag graph
 * with current lag in seconds"): one sample every few seconds from the gateway that runs the workflow, in
 * {@code _switchyard.lag_history} beside the workflow's log, so the graph survives gateway restarts and a takeover.
 * Samples older than {@link #RETENTION} are pruned as new ones arrive. Reads return at most {@link #MAX_POINTS}
 * points, each the largest lag of its time bucket: a spike never disappears by being averaged away.
 */
public final class LagHistory {
    private static final Logger LOG = LoggerFactory.getLogger(LagHistory.class);
    static final Duration RETENTION = Duration.ofDays(7);
    static final int MAX_POINTS = 360;
    private static final Duration PRUNE_EVERY = Duration.ofHours(1);

    /** One point of the graph: the largest lag sampled in the bucket starting at {@code time}. */
    public record Point(Instant time, long lagSeconds) {
    }

    private final String workflow;
    private final TargetShard shard;
    private final Clock clock;
    private Instant lastPrune = Instant.EPOCH; // guarded by this
    private volatile boolean schemaReady; // the sidecar schema was created once by this instance

    LagHistory(String workflow, TargetShard shard, Clock clock) {
        this.workflow = workflow;
        this.shard = shard;
        this.clock = clock;
    }

    /** Records the current lag; a negative lag (nothing applied or heard yet) is not a point. Never throws. */
    void record(long lagSeconds) {
        if (lagSeconds < 0) {
            return;
        }
        Instant now = clock.instant();
        try (Connection connection = shard.connector().open()) {
            if (!schemaReady) {
                SidecarSchema.create(connection); // six DDL statements: once, not every few seconds
                schemaReady = true;
            }
            try (PreparedStatement insert = connection.prepareStatement("REPLACE INTO " + SidecarSchema.DATABASE
                    + ".lag_history (workflow, ts, lag_seconds) VALUES (?, FROM_UNIXTIME(?), ?)")) {
                insert.setString(1, workflow);
                insert.setLong(2, now.getEpochSecond());
                insert.setLong(3, lagSeconds);
                insert.executeUpdate();
            }
            if (prunable(now)) {
                try (PreparedStatement prune = connection.prepareStatement("DELETE FROM " + SidecarSchema.DATABASE
                        + ".lag_history WHERE workflow = ? AND ts < FROM_UNIXTIME(?)")) {
                    prune.setString(1, workflow);
                    prune.setLong(2, now.minus(RETENTION).getEpochSecond());
                    prune.executeUpdate();
                }
            }
        } catch (SQLException e) {
            LOG.warn("workflow {}: cannot record its lag on {}: {}", workflow, shard.name(), e.getMessage());
        }
    }

    private synchronized boolean prunable(Instant now) {
        if (now.isBefore(lastPrune.plus(PRUNE_EVERY))) {
            return false;
        }
        lastPrune = now;
        return true;
    }

    /** The history, oldest first, in at most {@link #MAX_POINTS} buckets; empty before the first sample. */
    List<Point> read() throws SQLException {
        String table = SidecarSchema.DATABASE + ".lag_history";
        try (Connection connection = shard.connector().open()) {
            long first;
            long last;
            try (PreparedStatement span = connection.prepareStatement("SELECT UNIX_TIMESTAMP(MIN(ts)),"
                    + " UNIX_TIMESTAMP(MAX(ts)) FROM " + table + " WHERE workflow = ?")) {
                span.setString(1, workflow);
                try (ResultSet rs = span.executeQuery()) {
                    rs.next();
                    first = rs.getLong(1);
                    last = rs.getLong(2);
                    if (rs.wasNull()) {
                        return List.of();
                    }
                }
            }
            long bucket = bucketSeconds(last - first);
            List<Point> points = new ArrayList<>();
            try (PreparedStatement select = connection.prepareStatement("SELECT FLOOR(UNIX_TIMESTAMP(ts) / ?) * ?,"
                    + " MAX(lag_seconds) FROM " + table + " WHERE workflow = ? GROUP BY 1 ORDER BY 1")) {
                select.setLong(1, bucket);
                select.setLong(2, bucket);
                select.setString(3, workflow);
                try (ResultSet rs = select.executeQuery()) {
                    while (rs.next()) {
                        points.add(new Point(Instant.ofEpochSecond(rs.getLong(1)), rs.getLong(2)));
                    }
                }
            }
            return points;
        } catch (SQLException e) {
            if (e.getErrorCode() == 1146 || e.getErrorCode() == 1049) {
                return List.of(); // nothing recorded on this target yet
            }
            throw e;
        }
    }

    /** The bucket width that fits {@code spanSeconds} into about {@link #MAX_POINTS} points: at least a second. */
    static long bucketSeconds(long spanSeconds) {
        return spanSeconds / MAX_POINTS + 1;
    }
}
