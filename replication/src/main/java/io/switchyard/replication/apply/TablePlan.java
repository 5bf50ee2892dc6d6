package io.switchyard.replication.apply;

import io.switchyard.replication.binlog.RowChange;
import io.switchyard.replication.copy.LastPk;
import io.switchyard.replication.copy.RowRouter;
import io.switchyard.replication.copy.SourceTable;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.stream.Collectors;

/**
 * How one table's binlog rows become statements on one target: multi-row INSERT, UPDATE by primary key (batched),
 * DELETE of many primary keys, each optionally guarded by the catch-up filter {@code (pk) <= (lastpk)}. Which rows
 * share a statement is {@link TableChanges}'s decision.
 *
 * <p>The filter is evaluated by the target server, as Vitess does, not in Java: the copy ordered rows by the server's
 * collation ({@code WHERE pk > lastpk}), and UPDATE and DELETE compare the key column itself, so they agree with it.
 * An INSERT has no row yet and compares its key as a literal, in the connection's collation (Vitess does the same);
 * for text keys whose column collation orders differently this can misjudge rows next to the lastpk.
 *
 * <p>The columns come from the target table (generated columns left out: the target computes them); binlog images
 * are mapped onto them by name, so a binlog that lacks a target column is an error rather than a silent NULL.
 */
final class TablePlan {
    /** MariaDB's ER_DUP_ENTRY. */
    static final int DUPLICATE_KEY = 1062;
    /** Multi-row statements stay well below the default 16 MiB {@code max_allowed_packet}. */
    private static final long MAX_STATEMENT_BYTES = 4 << 20;
    /** The protocol's limit on a prepared statement's parameters is 65,535. */
    private static final int MAX_PLACEHOLDERS = 60_000;

    private final SourceTable table;
    private final CopyProgress progress;
    private final String insertSql;
    private final String updateSql;
    private final String multiInsertPrefix;
    private final String name;
    private final String keyList;
    private final String pkMatch;
    private final String filter;
    /** The binlog column list {@link #positions} was computed for; row events of one table normally repeat it. */
    private List<String> mappedColumns = List.of();
    /** For each target column, its index in the binlog image. */
    private int[] positions = new int[0];

    TablePlan(SourceTable table, CopyProgress progress) {
        this.table = table;
        this.progress = progress;
        this.name = quote(table.database()) + "." + quote(table.name());
        List<String> columns = table.columns().stream().map(c -> quote(c.name())).toList();
        this.keyList = table.primaryKeyNames().stream().map(TablePlan::quote).collect(Collectors.joining(", "));
        this.pkMatch = table.primaryKeyNames().stream().map(c -> quote(c) + " = ?")
                .collect(Collectors.joining(" AND "));
        this.filter = progress instanceof CopyProgress.Copying
                ? " AND (" + table.primaryKeyNames().stream().map(TablePlan::quote).collect(Collectors.joining(", "))
                + ") <= (" + placeholders(table.primaryKey().size()) + ")"
                : "";
        String keyCount = placeholders(table.primaryKey().size());
        this.insertSql = filter.isEmpty()
                ? "INSERT INTO " + name + " (" + String.join(", ", columns) + ") VALUES ("
                + placeholders(columns.size()) + ")"
                // INSERT ... SELECT ... WHERE: a row past the copy's lastpk is simply not inserted. The new row's key
                // is compared as a literal (there is no column yet), as Vitess's replicator_plan does.
                : "INSERT INTO " + name + " (" + String.join(", ", columns) + ") SELECT "
                + placeholders(columns.size()) + " FROM DUAL WHERE (" + keyCount + ") <= (" + keyCount + ")";
        this.updateSql = "UPDATE " + name + " SET " + columns.stream().map(c -> c + " = ?")
                .collect(Collectors.joining(", ")) + " WHERE " + pkMatch + filter;
        this.multiInsertPrefix = "INSERT INTO " + name + " (" + String.join(", ", columns) + ") VALUES ";
    }

    String name() {
        return table.name();
    }

    CopyProgress progress() {
        return progress;
    }

    /** The target index {@code router} picks for a binlog image, or {@link RowRouter#SKIP}. */
    int route(RowRouter router, Object[] targetRow) {
        Object[] row = targetRow.clone();
        for (int i = 0; i < row.length; i++) {
            row[i] = JdbcValues.forRouting(row[i]);
        }
        return router.route(table, Arrays.asList(row));
    }

    /** Whether an UPDATE keeps the primary key; if not, it is applied as a DELETE and an INSERT. */
    boolean samePrimaryKey(Object[] before, Object[] after) {
        for (int index : table.primaryKey()) {
            if (!Arrays.deepEquals(new Object[] {before[index]}, new Object[] {after[index]})) {
                return false;
            }
        }
        return true;
    }

    /** An image's values in target column order. */
    Object[] row(RowChange change, List<Object> image) {
        return targetOrder(change, image);
    }

    /** Indexes of the primary-key columns in a {@link #row}. */
    List<Integer> primaryKey() {
        return table.primaryKey();
    }

    /**
     * Inserts rows, as few multi-row INSERTs as fit {@link #MAX_STATEMENT_BYTES}; while the copy runs, one guarded
     * INSERT ... SELECT per row instead. Returns the rows inserted (fewer when the catch-up filter excluded some).
     *
     * @throws DuplicateRowException naming the first row whose key the target already has
     */
    int insertRows(Connection target, List<Object[]> rows) throws SQLException {
        if (progress instanceof CopyProgress.Copying) {
            int inserted = 0;
            for (Object[] row : rows) {
                inserted += insertOne(target, row);
            }
            return inserted;
        }
        int inserted = 0;
        int from = 0;
        while (from < rows.size()) {
            int to = chunkEnd(rows, from, table.columns().size());
            StringBuilder sql = new StringBuilder(multiInsertPrefix);
            String tuple = "(" + placeholders(table.columns().size()) + ")";
            for (int i = from; i < to; i++) {
                sql.append(i == from ? "" : ", ").append(tuple);
            }
            try (PreparedStatement insert = target.prepareStatement(sql.toString())) {
                int index = 1;
                for (int i = from; i < to; i++) {
                    index = bindAll(insert, index, rows.get(i));
                }
                inserted += insert.executeUpdate();
            } catch (SQLException e) {
                if (e.getErrorCode() != DUPLICATE_KEY) {
                    throw e;
                }
                // InnoDB rolled back just this statement: find the row to name by inserting one at a time.
                for (int i = from; i < to; i++) {
                    inserted += insertOne(target, rows.get(i));
                }
            }
            from = to;
        }
        return inserted;
    }

    /** Updates each before image's key to its after image, in order, as one pipelined batch; returns rows matched. */
    int updateRows(Connection target, List<Object[]> before, List<Object[]> after) throws SQLException {
        if (before.isEmpty()) {
            return 0;
        }
        try (PreparedStatement update = target.prepareStatement(updateSql)) {
            for (int i = 0; i < before.size(); i++) {
                int index = bindAll(update, 1, after.get(i));
                index = bindKey(update, index, before.get(i));
                bindFilter(update, index);
                update.addBatch();
            }
            return affected(update.executeBatch());
        }
    }

    /** Deletes the rows with the given rows' keys, many keys per statement; returns the rows deleted. */
    int deleteRows(Connection target, List<Object[]> rows) throws SQLException {
        int deleted = 0;
        int from = 0;
        while (from < rows.size()) {
            int to = chunkEnd(rows, from, table.primaryKey().size());
            String match = table.primaryKey().size() == 1
                    ? keyList + " IN (" + placeholders(to - from) + ")"
                    // OR of equalities rather than (a, b) IN ((?, ?), ...), which older optimizers scan
                    : "(" + String.join(" OR ", Collections.nCopies(to - from, "(" + pkMatch + ")")) + ")";
            try (PreparedStatement delete = target.prepareStatement("DELETE FROM " + name + " WHERE " + match
                    + filter)) {
                int index = 1;
                for (int i = from; i < to; i++) {
                    index = bindKey(delete, index, rows.get(i));
                }
                bindFilter(delete, index);
                deleted += delete.executeUpdate();
            }
            from = to;
        }
        return deleted;
    }

    private int insertOne(Connection target, Object[] row) throws SQLException {
        try (PreparedStatement insert = target.prepareStatement(insertSql)) {
            int index = bindAll(insert, 1, row);
            if (progress instanceof CopyProgress.Copying) {
                index = bindKey(insert, index, row);
            }
            bindFilter(insert, index);
            return insert.executeUpdate();
        } catch (SQLException e) {
            if (e.getErrorCode() != DUPLICATE_KEY) {
                throw e;
            }
            throw new DuplicateRowException(describeKey(row), e);
        }
    }

    /** The index after the last row, from {@code from}, that one statement of {@code values} per row takes. */
    private static int chunkEnd(List<Object[]> rows, int from, int valuesPerRow) {
        long bytes = 0;
        int to = from;
        while (to < rows.size() && (to == from || (bytes < MAX_STATEMENT_BYTES
                && (to - from + 1) * valuesPerRow <= MAX_PLACEHOLDERS))) {
            bytes += estimatedBytes(rows.get(to));
            to++;
        }
        return to;
    }

    private static int affected(int[] counts) {
        int rows = 0;
        for (int count : counts) {
            // A driver that sends the batch as one bulk command reports SUCCESS_NO_INFO: count the statement.
            rows += count == Statement.SUCCESS_NO_INFO ? 1 : Math.max(count, 0);
        }
        return rows;
    }

    /** A rough size of a row in a statement. */
    static long estimatedBytes(Object[] row) {
        long bytes = 0;
        for (Object value : row) {
            if (value instanceof byte[] data) {
                bytes += 2L * data.length + 10; // the driver may escape every byte
            } else if (value instanceof String text) {
                bytes += 4L * text.length() + 4;
            } else {
                bytes += 24;
            }
        }
        return bytes;
    }

    /** An INSERT found the row's key on the target already. */
    static final class DuplicateRowException extends SQLException {
        private final String key;

        DuplicateRowException(String key, SQLException cause) {
            super(cause.getMessage(), cause.getSQLState(), cause.getErrorCode(), cause);
            this.key = key;
        }

        /** The key, as {@link #describeKey} puts it. */
        String key() {
            return key;
        }
    }

    /** The primary key of an image, for messages. */
    String describeKey(Object[] row) {
        List<String> parts = new ArrayList<>();
        for (int index : table.primaryKey()) {
            Object value = row[index];
            parts.add(table.columns().get(index).name() + "="
                    + (value instanceof byte[] bytes ? "0x" + HexFormat.of().formatHex(bytes) : value));
        }
        return String.join(", ", parts);
    }

    private Object[] targetOrder(RowChange change, List<Object> image) {
        if (!change.columns().equals(mappedColumns)) {
            positions = map(change.columns());
            mappedColumns = change.columns();
        }
        Object[] row = new Object[positions.length];
        for (int i = 0; i < positions.length; i++) {
            row[i] = image.get(positions[i]);
        }
        return row;
    }

    private int[] map(List<String> binlogColumns) {
        List<String> lower = binlogColumns.stream().map(c -> c.toLowerCase(Locale.ROOT)).toList();
        int[] map = new int[table.columns().size()];
        for (int i = 0; i < map.length; i++) {
            String column = table.columns().get(i).name();
            map[i] = lower.indexOf(column.toLowerCase(Locale.ROOT));
            if (map[i] < 0) {
                throw new ApplyException("binlog rows of " + table.database() + "." + table.name() + " have no column "
                        + column + " (they have " + binlogColumns + "): the source and target schemas differ;"
                        + " make them match, then restart the stream");
            }
        }
        return map;
    }

    private int bindAll(PreparedStatement statement, int from, Object[] row) throws SQLException {
        int index = from;
        for (Object value : row) {
            JdbcValues.bind(statement, index++, value);
        }
        return index;
    }

    private int bindKey(PreparedStatement statement, int from, Object[] row) throws SQLException {
        int index = from;
        for (int column : table.primaryKey()) {
            JdbcValues.bind(statement, index++, row[column]);
        }
        return index;
    }

    private void bindFilter(PreparedStatement statement, int from) throws SQLException {
        if (progress instanceof CopyProgress.Copying copying) {
            LastPk lastPk = copying.lastPk();
            int index = from;
            for (Object value : lastPk.values()) {
                JdbcValues.bind(statement, index++, value);
            }
        }
    }

    private static String placeholders(int count) {
        return "?, ".repeat(count - 1) + "?";
    }

    private static String quote(String identifier) {
        return "`" + identifier.replace("`", "``") + "`";
    }
}
