package io.switchyard.replication.copy;

import io.switchyard.replication.sidecar.CopyStateTable;
import io.switchyard.replication.sidecar.SidecarSchema;
import io.switchyard.replication.sidecar.StreamKey;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.Optional;

/**
 * One target shard's side of a copy: a connection with autocommit off, on which each batch's INSERTs and its
 * {@code copy_state} update commit as one transaction. Used by one thread at a time. That single commit is the exactly-once guarantee: after a
 * crash the target has either the batch and its lastpk, or neither.
 */
final class TargetWriter implements AutoCloseable {
    private final TargetShard shard;
    private final StreamKey stream;
    private final SourceTable table;
    private final int maxStatementBytes;
    private final Connection connection;
    private final String insertPrefix;

    private TargetWriter(TargetShard shard, StreamKey stream, SourceTable table, int maxStatementBytes,
                         Connection connection) {
        this.shard = shard;
        this.stream = stream;
        this.table = table;
        this.maxStatementBytes = maxStatementBytes;
        this.connection = connection;
        this.insertPrefix = "INSERT INTO " + SourceTable.quote(shard.database()) + "." + SourceTable.quote(table.name())
                + " (" + table.columnList() + ") VALUES ";
    }

    /** Connects, prepares the session and makes sure the sidecar schema exists. */
    static TargetWriter open(TargetShard shard, StreamKey stream, SourceTable table, int maxStatementBytes)
            throws SQLException {
        Connection connection = shard.connector().open();
        try {
            SidecarSchema.create(connection);
            try (Statement statement = connection.createStatement()) {
                // Same zone as the source session so TIMESTAMP text means the same instant; NO_AUTO_VALUE_ON_ZERO so
                // a copied 0 in an AUTO_INCREMENT column stays 0; no strict mode, so rows the source accepted under
                // a laxer mode (zero dates) are not refused; FK checks off because related tables copy separately.
                statement.execute("SET SESSION time_zone = '+00:00', sql_mode = 'NO_AUTO_VALUE_ON_ZERO',"
                        + " foreign_key_checks = 0");
            }
            connection.setAutoCommit(false);
            return new TargetWriter(shard, stream, table, maxStatementBytes, connection);
        } catch (SQLException | RuntimeException e) {
            connection.close();
            throw e;
        }
    }

    String shardName() {
        return shard.name();
    }

    /** This target's committed progress, if any. */
    Optional<LastPk> savedLastPk() throws SQLException {
        Optional<String> json = CopyStateTable.read(connection, stream, table.name());
        connection.commit(); // end the read's snapshot so later batches see fresh data
        return json.map(LastPk::fromJson);
    }

    /**
     * Inserts {@code rows} in the open transaction; {@link #commit} makes them durable with their lastpk. Splitting
     * the two lets the copy insert on every target at once and still commit them in list order.
     *
     * @throws SQLException after rolling back, with the target and table in the message
     */
    void insert(List<Object[]> rows) throws SQLException {
        try {
            int from = 0;
            while (from < rows.size()) {
                from = insert(rows, from);
            }
        } catch (SQLException e) {
            rollbackQuietly(e);
            throw new SQLException("target " + shard.name() + ": writing " + rows.size() + " rows of " + table.name()
                    + " failed: " + e.getMessage(), e.getSQLState(), e.getErrorCode(), e);
        }
    }

    /**
     * Records {@code lastPk} and commits it with the rows inserted since the last commit, in one transaction.
     *
     * @throws SQLException after rolling back, with the target and table in the message
     */
    void commit(LastPk lastPk) throws SQLException {
        try {
            CopyStateTable.save(connection, stream, table.name(), lastPk.toJson());
            connection.commit();
        } catch (SQLException e) {
            rollbackQuietly(e);
            throw new SQLException("target " + shard.name() + ": committing a batch of " + table.name()
                    + " failed: " + e.getMessage(), e.getSQLState(), e.getErrorCode(), e);
        }
    }

    /** Inserts rows from {@code from} on, as many as fit one statement; returns the index after the last. */
    private int insert(List<Object[]> rows, int from) throws SQLException {
        int bytes = insertPrefix.length();
        int to = from;
        while (to < rows.size() && (to == from || bytes < maxStatementBytes)) {
            for (Object value : rows.get(to)) {
                bytes += ColumnKind.estimatedBytes(value);
            }
            to++;
        }
        int columns = table.columns().size();
        StringBuilder sql = new StringBuilder(insertPrefix.length() + (to - from) * (columns * 2 + 3));
        sql.append(insertPrefix);
        String tuple = "(" + "?,".repeat(columns - 1) + "?)";
        for (int i = from; i < to; i++) {
            sql.append(i == from ? "" : ",").append(tuple);
        }
        try (PreparedStatement insert = connection.prepareStatement(sql.toString())) {
            int index = 1;
            for (int i = from; i < to; i++) {
                for (Object value : rows.get(i)) {
                    ColumnKind.bind(insert, index++, value);
                }
            }
            insert.executeUpdate();
        }
        return to;
    }

    private void rollbackQuietly(SQLException failure) {
        try {
            connection.rollback();
        } catch (SQLException e) {
            failure.addSuppressed(e);
        }
    }

    @Override
    public void close() throws SQLException {
        connection.close(); // an open transaction rolls back
    }
}
