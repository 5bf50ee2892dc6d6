package io.switchyard.replication.apply;

import io.switchyard.replication.binlog.RowChange;
import io.switchyard.replication.copy.LastPk;
import io.switchyard.replication.copy.RowRouter;
import io.switchyard.replication.copy.SourceTable;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.stream.Collectors;

/**
 * How one table's binlog rows become statements on one target: INSERT, UPDATE by primary key, DELETE by primary key,
 * each optionally guarded by the catch-up filter {@code (pk) <= (lastpk)}.
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
    private final SourceTable table;
    private final CopyProgress progress;
    private final String insertSql;
    private final String updateSql;
    private final String deleteSql;
    /** The binlog column list {@link #positions} was computed for; row events of one table normally repeat it. */
    private List<String> mappedColumns = List.of();
    /** For each target column, its index in the binlog image. */
    private int[] positions = new int[0];

    TablePlan(SourceTable table, CopyProgress progress) {
        this.table = table;
        this.progress = progress;
        String name = quote(table.database()) + "." + quote(table.name());
        List<String> columns = table.columns().stream().map(c -> quote(c.name())).toList();
        String pkMatch = table.primaryKeyNames().stream().map(c -> quote(c) + " = ?")
                .collect(Collectors.joining(" AND "));
        String filter = progress instanceof CopyProgress.Copying
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
        this.deleteSql = "DELETE FROM " + name + " WHERE " + pkMatch + filter;
    }

    String name() {
        return table.name();
    }

    CopyProgress progress() {
        return progress;
    }

    /** The target index {@code router} picks for a binlog image, or {@link RowRouter#SKIP}. */
    int route(RowRouter router, RowChange change, List<Object> image) {
        Object[] row = targetOrder(change, image);
        for (int i = 0; i < row.length; i++) {
            row[i] = JdbcValues.forRouting(row[i]);
        }
        return router.route(table, Arrays.asList(row));
    }

    /** Whether an UPDATE keeps the primary key; if not, it is applied as a DELETE and an INSERT. */
    boolean samePrimaryKey(RowChange change) {
        Object[] before = targetOrder(change, change.before());
        Object[] after = targetOrder(change, change.after());
        for (int index : table.primaryKey()) {
            if (!Arrays.deepEquals(new Object[] {before[index]}, new Object[] {after[index]})) {
                return false;
            }
        }
        return true;
    }

    /** Inserts the image; returns the rows inserted (0 when the catch-up filter excluded it). */
    int insert(Connection target, RowChange change, List<Object> image) throws SQLException {
        Object[] row = targetOrder(change, image);
        try (PreparedStatement insert = target.prepareStatement(insertSql)) {
            int index = bindAll(insert, 1, row);
            if (progress instanceof CopyProgress.Copying) {
                index = bindKey(insert, index, row);
            }
            bindFilter(insert, index);
            return insert.executeUpdate();
        }
    }

    /** Updates the row with the before image's key to the after image; returns the rows matched. */
    int update(Connection target, RowChange change) throws SQLException {
        Object[] before = targetOrder(change, change.before());
        Object[] after = targetOrder(change, change.after());
        try (PreparedStatement update = target.prepareStatement(updateSql)) {
            int index = bindAll(update, 1, after);
            index = bindKey(update, index, before);
            bindFilter(update, index);
            return update.executeUpdate();
        }
    }

    /** Deletes the row with the image's key; returns the rows deleted. */
    int delete(Connection target, RowChange change, List<Object> image) throws SQLException {
        Object[] row = targetOrder(change, image);
        try (PreparedStatement delete = target.prepareStatement(deleteSql)) {
            int index = bindKey(delete, 1, row);
            bindFilter(delete, index);
            return delete.executeUpdate();
        }
    }

    /** The primary key of an image, for messages. */
    String describeKey(RowChange change, List<Object> image) {
        Object[] row = targetOrder(change, image);
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
