package io.switchyard.replication.verify;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Locale;
import java.util.Optional;

/**
 * A read-only consistent snapshot open on a connection: every read until {@link #close()} sees the database as it was
 * when the snapshot started, which is what lets {@link TableDiff} page through a table with many short queries.
 *
 * <p>MariaDB records the binlog coordinates of {@code START TRANSACTION WITH CONSISTENT SNAPSHOT} in the session status
 * variables {@code binlog_snapshot_file}/{@code binlog_snapshot_position}
 * (https://mariadb.com/kb/en/enhancements-for-start-transaction-with-consistent-snapshot/), and
 * {@code BINLOG_GTID_POS} turns them into a GTID position, so no {@code FLUSH TABLES WITH READ LOCK} is needed and
 * writers are never blocked. A server without a binary log still gets a consistent snapshot, only without a position.
 *
 * <p>The session's time zone is set to UTC first: TIMESTAMP values are compared as the text the server prints, and
 * both sides must print them in the same zone.
 */
public final class ConsistentSnapshot implements AutoCloseable {
    private final Connection connection;
    private final String gtidPosition; // null: the server has no binary log

    private ConsistentSnapshot(Connection connection, String gtidPosition) {
        this.connection = connection;
        this.gtidPosition = gtidPosition;
    }

    /**
     * Starts the snapshot on {@code connection}, which must be in autocommit mode with no transaction open. The caller
     * keeps owning the connection; {@link #close()} ends the transaction but does not close it.
     *
     * @throws VerifyException if {@code BINLOG_GTID_POS} cannot map the snapshot's binlog coordinates
     */
    public static ConsistentSnapshot open(Connection connection) throws SQLException {
        String file = null;
        long position = -1;
        try (Statement statement = connection.createStatement()) {
            statement.execute("SET SESSION time_zone = '+00:00'");
            statement.execute("SET SESSION TRANSACTION ISOLATION LEVEL REPEATABLE READ");
            statement.execute("START TRANSACTION WITH CONSISTENT SNAPSHOT, READ ONLY");
            try (ResultSet rs = statement.executeQuery("SHOW SESSION STATUS LIKE 'binlog_snapshot_%'")) {
                while (rs.next()) {
                    switch (rs.getString(1).toLowerCase(Locale.ROOT)) {
                        case "binlog_snapshot_file" -> file = rs.getString(2);
                        case "binlog_snapshot_position" -> position = Long.parseLong(rs.getString(2));
                        default -> { }
                    }
                }
            }
        }
        if (file == null || file.isEmpty() || position < 0) {
            return new ConsistentSnapshot(connection, null);
        }
        try (PreparedStatement select = connection.prepareStatement("SELECT BINLOG_GTID_POS(?, ?)")) {
            select.setString(1, file);
            select.setLong(2, position);
            try (ResultSet rs = select.executeQuery()) {
                String gtid = rs.next() ? rs.getString(1) : null;
                if (gtid == null) {
                    new ConsistentSnapshot(connection, null).close();
                    throw new VerifyException("BINLOG_GTID_POS('" + file + "', " + position + ") returned NULL: the"
                            + " snapshot's binlog file is gone or the position is not an event boundary");
                }
                return new ConsistentSnapshot(connection, gtid);
            }
        }
    }

    /** The connection the snapshot is open on. */
    public Connection connection() {
        return connection;
    }

    /**
     * The GTID position ({@code domain-server-seq[,...]}) the snapshot corresponds to; empty when the server has no
     * binary log.
     */
    public Optional<String> gtidPosition() {
        return Optional.ofNullable(gtidPosition);
    }

    /** Ends the snapshot transaction; the connection stays open, back in autocommit mode. */
    @Override
    public void close() throws SQLException {
        try (Statement statement = connection.createStatement()) {
            statement.execute("ROLLBACK");
        }
    }
}
