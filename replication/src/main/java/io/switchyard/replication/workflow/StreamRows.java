package io.switchyard.replication.workflow;

import io.switchyard.replication.apply.StreamPosition;
import io.switchyard.replication.copy.TargetShard;
import io.switchyard.replication.sidecar.SidecarSchema;
import io.switchyard.replication.sidecar.StreamKey;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.List;

/** Reads streams' rows of {@code _switchyard.stream} for status, and derives the workflow's state from them. */
final class StreamRows {
    private StreamRows() {
    }

    /**
     * The stream's status, empty if the target has no row for it yet (or no sidecar schema).
     *
     * @param sourceAhead how far the source's clock is ahead of {@code now}'s (see {@link SourceClock})
     */
    static List<WorkflowStatus.StreamStatus> read(TargetShard target, StreamKey key, Instant now,
                                                  java.time.Duration sourceAhead)
            throws SQLException {
        try (Connection connection = target.connector().open();
             PreparedStatement select = connection.prepareStatement("SELECT pos, state, message,"
                     + " transaction_timestamp, time_heartbeat, rows_copied FROM " + SidecarSchema.DATABASE
                     + ".stream WHERE workflow = ? AND source_shard = ? AND target_shard = ?")) {
            select.setString(1, key.workflow());
            select.setString(2, key.sourceShard());
            select.setString(3, key.targetShard());
            try (ResultSet rs = select.executeQuery()) {
                if (!rs.next()) {
                    return List.of();
                }
                // An idle stream's heartbeat (gateway clock) proves it has everything up to then, as Vitess's
                // transaction lag does; commit times are on the source's clock and are shifted onto the gateway's.
                long committed = rs.getLong(4);
                long last = Math.max(committed == 0 ? 0 : committed - sourceAhead.toSeconds(), rs.getLong(5));
                long lag = last == 0 ? -1 : Math.max(0, now.getEpochSecond() - last);
                return List.of(new WorkflowStatus.StreamStatus(key.sourceShard(), key.targetShard(), rs.getString(1),
                        lag, rs.getString(2), rs.getString(3), rs.getLong(6)));
            }
        } catch (SQLException e) {
            if (e.getErrorCode() == 1146 || e.getErrorCode() == 1049) {
                return List.of(); // ER_NO_SUCH_TABLE / ER_BAD_DB_ERROR: never started on this target
            }
            throw e;
        }
    }

    /** error beats stopped beats copying beats running; pending when no stream exists yet. */
    static String workflowState(List<WorkflowStatus.StreamStatus> streams) {
        if (streams.isEmpty()) {
            return StreamPosition.PENDING;
        }
        for (String state : List.of(StreamPosition.ERROR, StreamPosition.STOPPED, StreamPosition.COPYING)) {
            if (streams.stream().anyMatch(s -> s.state().equals(state))) {
                return state;
            }
        }
        return StreamPosition.RUNNING;
    }
}
