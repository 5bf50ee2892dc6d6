package io.switchyard.replication.copy;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Locale;

/**
 * Opens a consistent snapshot on a MariaDB source without locking: {@code START TRANSACTION WITH CONSISTENT SNAPSHOT}
 * makes MariaDB record the binlog coordinates of the snapshot in the session status variables
 * {@code binlog_snapshot_file} and {@code binlog_snapshot_position}
 * (https://mariadb.com/kb/en/enhancements-for-start-transaction-with-consistent-snapshot/), which
 * {@code BINLOG_GTID_POS(file, pos)} turns into a GTID position. No {@code FLUSH TABLES WITH READ LOCK} is needed,
 * unlike MySQL (Debezium's and Vitess's sequence), so writers are never blocked.
 */
final class Snapshot {
    private Snapshot() {
    }

    /**
     * Starts the snapshot transaction on {@code source} (autocommit on, no transaction open) and returns its GTID
     * position. The caller ends the transaction.
     *
     * @throws CopyException if the source has no binary log, or the position has no GTID
     */
    static String start(Connection source) throws SQLException {
        String file = null;
        long position = -1;
        try (Statement statement = source.createStatement()) {
            // TIMESTAMP values are read as text; UTC on both sides keeps them unshifted.
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
            throw new CopyException("the source reports no binlog_snapshot_file/position: its binary log is off;"
                    + " start it with log-bin and binlog-format=ROW");
        }
        try (PreparedStatement select = source.prepareStatement("SELECT BINLOG_GTID_POS(?, ?)")) {
            select.setString(1, file);
            select.setLong(2, position);
            try (ResultSet rs = select.executeQuery()) {
                String gtid = rs.next() ? rs.getString(1) : null;
                if (gtid == null) {
                    throw new CopyException("BINLOG_GTID_POS('" + file + "', " + position + ") returned NULL on the"
                            + " source: the snapshot's binlog file is gone or the position is not an event boundary");
                }
                return gtid;
            }
        }
    }
}
