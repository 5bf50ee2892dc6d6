package io.switchyard.replication.apply;

import io.switchyard.replication.sidecar.SidecarSchema;
import io.switchyard.replication.sidecar.StreamKey;

import java.math.BigDecimal;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * Reads and writes one stream's row of {@code _switchyard.stream}: its source position, state and message.
 *
 * <p>Every method runs on the caller's connection and never commits: the position must commit in the same target
 * transaction as the rows it covers, which is the whole exactly-once argument (design.md, "Correctness rules").
 * Times are written as UTC epoch values from the caller's clock rather than {@code NOW()}, so tests control them and
 * the session time zone cannot shift them.
 */
public final class StreamPosition {
    private static final String TABLE = SidecarSchema.DATABASE + ".stream";
    private static final String KEY = " WHERE workflow = ? AND source_shard = ? AND target_shard = ?";
    private static final String SELECT = "SELECT pos, state, message FROM " + TABLE + KEY;
    private static final String INSERT = "INSERT INTO " + TABLE
            + " (workflow, source_shard, target_shard, pos, state, message, time_updated)"
            + " VALUES (?, ?, ?, ?, ?, '', FROM_UNIXTIME(?))";
    private static final String SAVE_POS = "UPDATE " + TABLE
            + " SET pos = ?, time_updated = FROM_UNIXTIME(?), transaction_timestamp = ?, message = ''" + KEY;
    private static final String SAVE_HEARTBEAT = "UPDATE " + TABLE
            + " SET pos = ?, time_updated = FROM_UNIXTIME(?), time_heartbeat = ?" + KEY;
    private static final String SAVE_DDL = "UPDATE " + TABLE
            + " SET pos = ?, time_updated = FROM_UNIXTIME(?)" + KEY;
    private static final String LOG = "INSERT INTO " + SidecarSchema.DATABASE + ".log (workflow, ts, level, message)"
            + " VALUES (?, FROM_UNIXTIME(?), ?, ?)";
    private static final String SET_STATE = "UPDATE " + TABLE
            + " SET state = ?, message = ?, time_updated = FROM_UNIXTIME(?)" + KEY;
    /** Vitess caps {@code message} at 950 characters; a long DDL or stack trace should not bloat the row. */
    static final int MAX_MESSAGE = 950;

    /** The states a stream row can be in; Vitess's, lower case (reference notes, section 1). */
    public static final String PENDING = "pending";
    public static final String COPYING = "copying";
    public static final String RUNNING = "running";
    public static final String STOPPED = "stopped";
    public static final String ERROR = "error";

    private static final String STOP = "UPDATE " + TABLE + " SET pos = ?, state = '" + STOPPED + "', message = ?,"
            + " time_updated = FROM_UNIXTIME(?)" + KEY;

    /** One stream's recorded state. {@code pos} is the source position after the last applied transaction. */
    public record Row(String pos, String state, String message) {
        public Row {
            Objects.requireNonNull(pos, "pos");
            Objects.requireNonNull(state, "state");
            Objects.requireNonNull(message, "message");
        }
    }

    private StreamPosition() {
    }

    /** The stream's row, empty if the stream was never created on this target. */
    public static Optional<Row> read(Connection target, StreamKey stream) throws SQLException {
        try (PreparedStatement select = target.prepareStatement(SELECT)) {
            bindKey(select, 1, stream);
            try (ResultSet rs = select.executeQuery()) {
                return rs.next() ? Optional.of(new Row(rs.getString(1), rs.getString(2), rs.getString(3)))
                        : Optional.empty();
            }
        }
    }

    /**
     * Creates the stream's row at {@code pos} (typically the copy's snapshot position).
     *
     * @throws SQLException a duplicate-key error if the row exists: a second create would move an existing
     *                      stream's position back and replay (duplicate) everything after it
     */
    public static void create(Connection target, StreamKey stream, String pos, String state, Instant now)
            throws SQLException {
        try (PreparedStatement insert = target.prepareStatement(INSERT)) {
            bindKey(insert, 1, stream);
            insert.setString(4, pos);
            insert.setString(5, state);
            insert.setBigDecimal(6, epochSeconds(now));
            insert.executeUpdate();
        }
    }

    /** Records the position after an applied transaction and that transaction's source commit time. */
    public static void savePosition(Connection target, StreamKey stream, String pos, Instant transactionTime,
                                    Instant now) throws SQLException {
        try (PreparedStatement update = target.prepareStatement(SAVE_POS)) {
            update.setString(1, pos);
            update.setBigDecimal(2, epochSeconds(now));
            update.setLong(3, transactionTime.getEpochSecond());
            bindKey(update, 4, stream);
            requireOneRow(update.executeUpdate(), stream);
        }
    }

    /** Records progress while idle: the position after a heartbeat, and when it arrived. */
    public static void saveHeartbeat(Connection target, StreamKey stream, String pos, Instant now)
            throws SQLException {
        try (PreparedStatement update = target.prepareStatement(SAVE_HEARTBEAT)) {
            update.setString(1, pos);
            update.setBigDecimal(2, epochSeconds(now));
            update.setLong(3, now.getEpochSecond());
            bindKey(update, 4, stream);
            requireOneRow(update.executeUpdate(), stream);
        }
    }

    /** Records the position after a DDL the stream handled and went past (on_ddl IGNORE, EXEC, EXEC_IGNORE). */
    public static void saveDdl(Connection target, StreamKey stream, String pos, Instant now) throws SQLException {
        try (PreparedStatement update = target.prepareStatement(SAVE_DDL)) {
            update.setString(1, pos);
            update.setBigDecimal(2, epochSeconds(now));
            bindKey(update, 3, stream);
            requireOneRow(update.executeUpdate(), stream);
        }
    }

    /** Adds a line to {@code _switchyard.log} for {@code workflow} ({@code level} INFO, WARN or ERROR). */
    public static void log(Connection target, String workflow, String level, String message, Instant now)
            throws SQLException {
        try (PreparedStatement insert = target.prepareStatement(LOG)) {
            insert.setString(1, workflow);
            insert.setBigDecimal(2, epochSeconds(now));
            insert.setString(3, level);
            insert.setString(4, message);
            insert.executeUpdate();
        }
    }

    /** Sets state and message (truncated to {@value #MAX_MESSAGE} characters); the position is unchanged. */
    public static void setState(Connection target, StreamKey stream, String state, String message, Instant now)
            throws SQLException {
        try (PreparedStatement update = target.prepareStatement(SET_STATE)) {
            update.setString(1, state);
            update.setString(2, truncate(message));
            update.setBigDecimal(3, epochSeconds(now));
            bindKey(update, 4, stream);
            requireOneRow(update.executeUpdate(), stream);
        }
    }

    /** Records the position after an event the stream stops at (a DDL), with state {@code stopped}. */
    public static void stop(Connection target, StreamKey stream, String pos, String message, Instant now)
            throws SQLException {
        try (PreparedStatement update = target.prepareStatement(STOP)) {
            update.setString(1, pos);
            update.setString(2, truncate(message));
            update.setBigDecimal(3, epochSeconds(now));
            bindKey(update, 4, stream);
            requireOneRow(update.executeUpdate(), stream);
        }
    }

    private static String truncate(String message) {
        return message.length() > MAX_MESSAGE ? message.substring(0, MAX_MESSAGE) : message;
    }

    /** Seconds with microseconds, the precision of {@code time_updated TIMESTAMP(6)}. */
    private static BigDecimal epochSeconds(Instant instant) {
        return BigDecimal.valueOf(instant.getEpochSecond()).add(BigDecimal.valueOf(instant.getNano() / 1000, 6));
    }

    private static void bindKey(PreparedStatement statement, int from, StreamKey stream) throws SQLException {
        statement.setString(from, stream.workflow());
        statement.setString(from + 1, stream.sourceShard());
        statement.setString(from + 2, stream.targetShard());
    }

    /**
     * An update that matches no row means the stream was never created (or was deleted under us): committing the
     * rows without their position would break exactly-once, so fail instead. The caller's transaction rolls back.
     */
    private static void requireOneRow(int rows, StreamKey stream) throws SQLException {
        if (rows != 1) {
            throw new SQLException("_switchyard.stream has no row for " + stream
                    + ": create the stream (StreamPosition.create) before applying to it");
        }
    }
}
