package io.switchyard.replication.verify;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;

/**
 * Reads one shard's table in key order, a page at a time, inside the snapshot transaction the connection already has
 * open: {@code SELECT cols, ordering FROM t WHERE key > last ORDER BY key LIMIT n}. Each page is a short index range
 * scan and memory stays bounded by one page; since every page reads the same snapshot, the pages add up to a
 * consistent table.
 *
 * <p>The composite-key predicate is spelled {@code a > ? OR (a = ? AND b > ?)} because MariaDB's range optimizer does
 * not turn a row comparison {@code (a, b) > (?, ?)} into an index range.
 *
 * <p>Each row's key must sort strictly after the previous one's in {@link KeyOrder}. If it does not, the Java order
 * does not reproduce the server's (an unforeseen collation or type), a merge would pair the wrong rows, and the diff
 * stops with an error rather than report false differences.
 */
final class ShardCursor {
    private final DiffTable table;
    private final Connection connection;
    private final String label;
    private final int shard;
    private final int pageSize;
    private final String firstPage;
    private final String nextPage;
    private List<Row> page = List.of();
    private int position;
    private boolean lastPage;
    private Row previous;
    private long rowsRead;

    ShardCursor(DiffTable table, Connection connection, String database, String label, int shard, int pageSize) {
        this.table = table;
        this.connection = connection;
        this.label = label;
        this.shard = shard;
        this.pageSize = pageSize;
        this.firstPage = sql(database, false);
        this.nextPage = sql(database, true);
    }

    /** The next row without consuming it, or {@code null} at the end of the table. */
    Row peek() throws SQLException {
        if (position == page.size()) {
            if (lastPage) {
                return null;
            }
            fetch();
            if (page.isEmpty()) {
                return null;
            }
        }
        return page.get(position);
    }

    /** Consumes the row {@link #peek()} returned. */
    Row next() throws SQLException {
        Row row = peek();
        if (row != null) {
            position++;
        }
        return row;
    }

    long rowsRead() {
        return rowsRead;
    }

    String label() {
        return label;
    }

    private void fetch() throws SQLException {
        String sql = previous == null ? firstPage : nextPage;
        List<Row> rows = new ArrayList<>(pageSize);
        try (PreparedStatement select = connection.prepareStatement(sql)) {
            if (previous != null) {
                bindAfter(select, previous);
            }
            try (ResultSet rs = select.executeQuery()) {
                while (rs.next()) {
                    Row row = read(rs);
                    if (previous != null && KeyOrder.INSTANCE.compare(previous.ordering(), row.ordering()) >= 0) {
                        throw new VerifyException(label + ": table " + table.name() + " returned key "
                                + Samples.keyJson(table, row) + " after " + Samples.keyJson(table, previous)
                                + ", which does not sort after it here; the diff cannot reproduce this key's order");
                    }
                    previous = row;
                    rows.add(row);
                }
            }
        } catch (SQLException e) {
            throw new SQLException(label + ": " + e.getMessage() + " [" + sql + "]", e.getSQLState(),
                    e.getErrorCode(), e);
        }
        rowsRead += rows.size();
        page = rows;
        position = 0;
        lastPage = rows.size() < pageSize;
    }

    private Row read(ResultSet rs) throws SQLException {
        List<DiffColumn> columns = table.columns();
        Object[] values = new Object[columns.size()];
        for (int i = 0; i < values.length; i++) {
            values[i] = columns.get(i).read(rs, i + 1);
        }
        Object[] ordering = new Object[table.key().size()];
        int extra = values.length + 1;
        for (int k = 0; k < ordering.length; k++) {
            DiffColumn column = columns.get(table.key().get(k));
            ordering[k] = column.hasOrderingExpression() ? column.readOrdering(rs, extra++)
                    : values[table.key().get(k)];
        }
        return new Row(values, ordering, shard);
    }

    private void bindAfter(PreparedStatement select, Row after) throws SQLException {
        List<Integer> key = table.key();
        int index = 1;
        for (int k = 0; k < key.size(); k++) {
            for (int equal = 0; equal <= k; equal++) {
                int column = key.get(equal);
                DiffColumn.bind(select, index++, table.columns().get(column)
                        .boundValue(after.values()[column], after.ordering()[equal]));
            }
        }
    }

    private String sql(String database, boolean afterKey) {
        List<DiffColumn> columns = table.columns();
        List<String> key = table.key().stream().map(i -> columns.get(i).quoted()).toList();
        StringBuilder sql = new StringBuilder("SELECT ")
                .append(columns.stream().map(DiffColumn::quoted).collect(Collectors.joining(", ")));
        for (int index : table.key()) {
            if (columns.get(index).hasOrderingExpression()) {
                sql.append(", ").append(columns.get(index).orderingExpression());
            }
        }
        sql.append(" FROM `").append(database.replace("`", "``")).append("`.`")
                .append(table.name().replace("`", "``")).append('`');
        if (afterKey) {
            List<String> disjuncts = new ArrayList<>();
            for (int k = 0; k < key.size(); k++) {
                StringBuilder term = new StringBuilder("(");
                for (int equal = 0; equal < k; equal++) {
                    term.append(key.get(equal)).append(" = ? AND ");
                }
                disjuncts.add(term.append(key.get(k)).append(" > ?)").toString());
            }
            sql.append(" WHERE ").append(String.join(" OR ", disjuncts));
        }
        return sql.append(" ORDER BY ").append(String.join(", ", key)).append(" LIMIT ").append(pageSize).toString();
    }
}
