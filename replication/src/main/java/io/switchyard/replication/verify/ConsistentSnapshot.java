package io.switchyard.replication.verify;

import io.switchyard.replication.copy.Snapshot;
import io.switchyard.replication.copy.SqlConnector;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.Optional;

/**
 * A read-only consistent snapshot open on a connection: every read until {@link #close()} sees the database as it was
 * when the snapshot started, which is what lets {@link TableDiff} page through a table with many short queries.
 *
 * <p>How the snapshot and its position are taken in each flavour is {@link Snapshot}'s business (lock-free on
 * MariaDB, a brief table lock on MySQL). A server without a binary log still gets a consistent snapshot, only
 * without a position.
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
     * keeps owning the connection; {@link #close()} ends the transaction but does not close it. Without a lock, a
     * MySQL server gives no position (see {@link Snapshot#startUnlocked}); use the other overload for a source.
     */
    public static ConsistentSnapshot open(Connection connection) throws SQLException {
        return new ConsistentSnapshot(connection, Snapshot.startUnlocked(connection).orElse(null));
    }

    /**
     * A snapshot of a source being written to, with its position in either flavour (MySQL's briefly locks
     * {@code tables}, quoted {@code `db`.`t`}, over a connection from {@code locker}; see {@link Snapshot}).
     */
    public static ConsistentSnapshot open(Connection connection, SqlConnector locker, List<String> tables)
            throws SQLException {
        return new ConsistentSnapshot(connection, Snapshot.start(connection, locker, tables));
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
