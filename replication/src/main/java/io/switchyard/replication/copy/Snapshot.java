package io.switchyard.replication.copy;

import io.switchyard.replication.binlog.Flavor;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.Locale;

/**
 * Opens a consistent snapshot of a source and reads the binlog position it corresponds to.
 *
 * <p><b>MariaDB</b>, lock-free: {@code START TRANSACTION WITH CONSISTENT SNAPSHOT} makes MariaDB record the binlog
 * coordinates of the snapshot in the session status variables {@code binlog_snapshot_file} and
 * {@code binlog_snapshot_position} (https://mariadb.com/kb/en/enhancements-for-start-transaction-with-consistent-snapshot/),
 * which {@code BINLOG_GTID_POS(file, pos)} turns into a GTID position. Writers are never blocked.
 *
 * <p><b>MySQL</b> has no such status, so the snapshot is taken under a brief {@code LOCK TABLES ... READ} on the
 * copied tables, held by a second connection (Vitess does the same): with no write to those tables able to commit,
 * the snapshot and {@code @@global.gtid_executed} read next describe the same state of them. Transactions on other
 * tables may slip between the two, which is harmless: the stream filters by table, and a later position only means
 * their changes are not replayed for these tables. The lock lasts two statements.
 */
public final class Snapshot {
    private Snapshot() {
    }

    /**
     * Starts the snapshot transaction on {@code source} (autocommit on, no transaction open) and returns its GTID
     * position; the caller ends the transaction.
     *
     * @param locker opens the second connection MySQL's table lock needs; unused for MariaDB
     * @param tables the copied tables, {@code `db`.`table`} quoted, to lock on MySQL
     * @throws CopyException if the source has no binary log, or the position has no GTID
     */
    public static String start(Connection source, SqlConnector locker, List<String> tables) throws SQLException {
        prepare(source);
        if (Flavor.of(source) == Flavor.MARIADB) {
            return binlogSnapshot(source);
        }
        return locked(source, locker, tables, Flavor.MYSQL);
    }

    /**
     * A snapshot without a position where the flavour cannot give one without a lock (MySQL), for reading a side
     * that nothing writes to meanwhile (a verification's targets, with their streams stopped). MariaDB still gives
     * the position, or none when its binary log is off.
     */
    public static java.util.Optional<String> startUnlocked(Connection connection) throws SQLException {
        prepare(connection);
        if (Flavor.of(connection) == Flavor.MARIADB) {
            try {
                return java.util.Optional.of(binlogSnapshot(connection));
            } catch (CopyException e) {
                if (e.getMessage().contains("binary log is off")) {
                    return java.util.Optional.empty(); // the snapshot is open; it just has no position
                }
                throw e;
            }
        }
        try (Statement statement = connection.createStatement()) {
            statement.execute("START TRANSACTION WITH CONSISTENT SNAPSHOT, READ ONLY");
        }
        return java.util.Optional.empty();
    }

    private static void prepare(Connection source) throws SQLException {
        try (Statement statement = source.createStatement()) {
            // TIMESTAMP values are read as text; UTC on both sides keeps them unshifted.
            statement.execute("SET SESSION time_zone = '+00:00'");
            statement.execute("SET SESSION TRANSACTION ISOLATION LEVEL REPEATABLE READ");
        }
    }

    /**
     * The table-lock method (MySQL's), usable on any flavour: MariaDB reads its own position format under the lock,
     * which is how this method is tested against real servers here.
     */
    static String locked(Connection source, SqlConnector locker, List<String> tables, Flavor flavor)
            throws SQLException {
        try (Connection lock = locker.open(); Statement locking = lock.createStatement()) {
            locking.execute("LOCK TABLES " + tables.stream().map(t -> t + " READ")
                    .collect(java.util.stream.Collectors.joining(", ")));
            try (Statement statement = source.createStatement()) {
                statement.execute("START TRANSACTION WITH CONSISTENT SNAPSHOT, READ ONLY");
                // Read through the snapshot's own connection: the position is global, the session does not matter.
                return flavor.currentPosition(source);
            } finally {
                locking.execute("UNLOCK TABLES");
            }
        }
    }

    private static String binlogSnapshot(Connection source) throws SQLException {
        String file = null;
        long position = -1;
        try (Statement statement = source.createStatement()) {
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
