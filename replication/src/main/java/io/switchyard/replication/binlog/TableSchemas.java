package io.switchyard.replication.binlog;

import io.switchyard.replication.copy.SqlConnector;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Column names and types of watched tables, read from the source's {@code information_schema.columns} and cached per
 * table until {@link #invalidateAll()} (called on every DDL the stream sees).
 *
 * <p>The cache reflects the schema <em>now</em>, not when an old event was written. Replaying events from before a
 * column change would misread them, so callers compare {@link #columns} against the TABLE_MAP column count and stop
 * the stream on a mismatch rather than guess. Used only from the stream thread: no locking.
 */
final class TableSchemas {
    private static final Logger LOG = LoggerFactory.getLogger(TableSchemas.class);
    private static final String QUERY = "SELECT COLUMN_NAME, DATA_TYPE, COLUMN_TYPE, CHARACTER_SET_NAME"
            + " FROM information_schema.columns WHERE TABLE_SCHEMA = ? AND TABLE_NAME = ? ORDER BY ORDINAL_POSITION";

    private final SqlConnector source;
    private final Map<TableName, List<ColumnInfo>> cache = new HashMap<>();

    TableSchemas(SqlConnector source) {
        this.source = source;
    }

    /** The columns of {@code database.table} in ordinal order; empty if the table does not exist (any more). */
    List<ColumnInfo> columns(String database, String table) {
        TableName key = new TableName(database, table);
        List<ColumnInfo> columns = cache.get(key);
        if (columns == null) {
            columns = load(database, table);
            cache.put(key, columns);
        }
        return columns;
    }

    void invalidateAll() {
        cache.clear();
    }

    private List<ColumnInfo> load(String database, String table) {
        try (Connection c = source.open(); PreparedStatement ps = c.prepareStatement(QUERY)) {
            ps.setString(1, database);
            ps.setString(2, table);
            List<ColumnInfo> columns = new ArrayList<>();
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    columns.add(new ColumnInfo(rs.getString(1), rs.getString(2), rs.getString(3), rs.getString(4)));
                }
            }
            LOG.debug("loaded {} columns of {}.{}", columns.size(), database, table);
            return List.copyOf(columns);
        } catch (SQLException e) {
            throw new BinlogStreamException("cannot read the columns of " + database + "." + table
                    + " from information_schema: " + e.getMessage(), e);
        }
    }
}
