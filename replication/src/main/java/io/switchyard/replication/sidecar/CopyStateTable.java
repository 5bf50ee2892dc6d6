package io.switchyard.replication.sidecar;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Optional;

/**
 * Reads and writes {@code _switchyard.copy_state}: per stream and table, the encoded primary key of the last row the
 * target has committed. The value is opaque here (the copy package encodes it); what matters is that
 * {@link #save} runs on the caller's connection, inside the transaction that inserted the rows it describes.
 */
public final class CopyStateTable {
    private static final String SELECT = "SELECT lastpk FROM " + SidecarSchema.DATABASE + ".copy_state"
            + " WHERE workflow = ? AND source_shard = ? AND target_shard = ? AND table_name = ?";
    private static final String UPSERT = "INSERT INTO " + SidecarSchema.DATABASE + ".copy_state"
            + " (workflow, source_shard, target_shard, table_name, lastpk) VALUES (?, ?, ?, ?, ?)"
            + " ON DUPLICATE KEY UPDATE lastpk = VALUES(lastpk)";
    private static final String DELETE = "DELETE FROM " + SidecarSchema.DATABASE + ".copy_state"
            + " WHERE workflow = ? AND source_shard = ? AND target_shard = ? AND table_name = ?";

    private CopyStateTable() {
    }

    /** The saved lastpk of a table, empty if its copy has not committed a batch (or was finished and cleared). */
    public static Optional<String> read(Connection target, StreamKey stream, String table) throws SQLException {
        try (PreparedStatement select = target.prepareStatement(SELECT)) {
            bind(select, stream, table);
            try (ResultSet rs = select.executeQuery()) {
                return rs.next() ? Optional.of(rs.getString(1)) : Optional.empty();
            }
        }
    }

    /** Records a table's lastpk; the caller commits it together with the rows it covers. */
    public static void save(Connection target, StreamKey stream, String table, String lastPk) throws SQLException {
        try (PreparedStatement upsert = target.prepareStatement(UPSERT)) {
            bind(upsert, stream, table);
            upsert.setString(5, lastPk);
            upsert.executeUpdate();
        }
    }

    /** Forgets a table's progress, as Vitess does once a table's copy is done and catch-up covers it. */
    public static void delete(Connection target, StreamKey stream, String table) throws SQLException {
        try (PreparedStatement delete = target.prepareStatement(DELETE)) {
            bind(delete, stream, table);
            delete.executeUpdate();
        }
    }

    private static void bind(PreparedStatement statement, StreamKey stream, String table) throws SQLException {
        statement.setString(1, stream.workflow());
        statement.setString(2, stream.sourceShard());
        statement.setString(3, stream.targetShard());
        statement.setString(4, table);
    }
}
