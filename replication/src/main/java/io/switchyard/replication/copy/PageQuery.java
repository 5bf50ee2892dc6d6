package io.switchyard.replication.copy;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * Reads a table in primary-key order, one page at a time, inside the snapshot transaction.
 *
 * <p>Keyset paging ({@code WHERE pk > lastpk ORDER BY pk LIMIT n}) rather than one streaming result set: each page is
 * a short index range scan, memory stays bounded by the page, and the same query serves a fresh copy and a resumed
 * one. The composite-key predicate is spelled out as {@code a > ? OR (a = ? AND b > ?)} because MariaDB's range
 * optimizer does not turn a row-constructor comparison {@code (a, b) > (?, ?)} into an index range.
 *
 * <p>Optional <em>skip columns</em> flag rows some target already has: {@code (pk) <= (that target's lastpk)}. The
 * server evaluates them with the columns' own collations, which Java string comparison could not reproduce.
 */
final class PageQuery {
    /**
     * One page: rows in key order, and per row which targets already have it (empty without skip columns).
     *
     * @param last whether the table ends with this page: it has fewer rows than the limit and was not cut short
     * @param cut  whether reading stopped at the byte bound before the limit
     */
    record Page(List<Object[]> rows, List<boolean[]> skips, boolean last, boolean cut) {
    }

    private final SourceTable table;
    private final int limit;
    private final List<LastPk> skipThresholds;
    private final long maxBytes;

    PageQuery(SourceTable table, int limit, List<LastPk> skipThresholds) {
        this(table, limit, skipThresholds, Long.MAX_VALUE);
    }

    /** @param maxBytes a page stops after the row that takes its estimated size to this */
    PageQuery(SourceTable table, int limit, List<LastPk> skipThresholds, long maxBytes) {
        this.table = table;
        this.limit = limit;
        this.skipThresholds = List.copyOf(skipThresholds);
        this.maxBytes = maxBytes;
    }

    int limit() {
        return limit;
    }

    boolean hasSkipColumns() {
        return !skipThresholds.isEmpty();
    }

    /** The same query with another row limit. */
    PageQuery withLimit(int newLimit) {
        return new PageQuery(table, newLimit, skipThresholds, maxBytes);
    }

    /** The same query without skip columns. */
    PageQuery withoutSkips() {
        return new PageQuery(table, limit, List.of(), maxBytes);
    }

    Page read(Connection source, Optional<LastPk> after) throws SQLException {
        String sql = sql(after.isPresent());
        try (PreparedStatement select = source.prepareStatement(sql)) {
            // Stream the result rather than buffer it whole, so that the byte bound also bounds the driver's memory.
            select.setFetchSize(Math.min(limit, 1_000));
            int index = 1;
            for (LastPk threshold : skipThresholds) {
                for (Object value : threshold.values()) {
                    ColumnKind.bind(select, index++, value);
                }
            }
            if (after.isPresent()) {
                List<Object> key = after.get().values();
                for (int column = 0; column < key.size(); column++) {
                    for (int equal = 0; equal <= column; equal++) {
                        ColumnKind.bind(select, index++, key.get(equal));
                    }
                }
            }
            return collect(select);
        } catch (SQLException e) {
            throw new SQLException(e.getMessage() + " [" + sql + "]", e.getSQLState(), e.getErrorCode(), e);
        }
    }

    private Page collect(PreparedStatement select) throws SQLException {
        List<SourceTable.Column> columns = table.columns();
        List<Object[]> rows = new ArrayList<>(limit);
        List<boolean[]> skips = new ArrayList<>(skipThresholds.isEmpty() ? 0 : limit);
        long bytes = 0;
        boolean cut = false;
        try (ResultSet rs = select.executeQuery()) {
            while (rs.next()) {
                if (bytes >= maxBytes) {
                    cut = true; // the rest of this page comes with the next one
                    break;
                }
                Object[] row = new Object[columns.size()];
                for (int i = 0; i < row.length; i++) {
                    row[i] = columns.get(i).kind().read(rs, i + 1);
                    bytes += ColumnKind.estimatedBytes(row[i]);
                }
                rows.add(row);
                if (!skipThresholds.isEmpty()) {
                    boolean[] skip = new boolean[skipThresholds.size()];
                    for (int i = 0; i < skip.length; i++) {
                        skip[i] = rs.getBoolean(row.length + 1 + i);
                    }
                    skips.add(skip);
                }
            }
        }
        return new Page(rows, skips, !cut && rows.size() < limit, cut);
    }

    String sql(boolean afterLastPk) {
        List<String> key = table.primaryKeyNames().stream().map(SourceTable::quote).toList();
        String keyList = String.join(", ", key);
        StringBuilder sql = new StringBuilder("SELECT ").append(table.columnList());
        String placeholders = key.stream().map(k -> "?").collect(Collectors.joining(", "));
        for (int i = 0; i < skipThresholds.size(); i++) {
            sql.append(", (").append(keyList).append(") <= (").append(placeholders).append(")");
        }
        sql.append(" FROM ").append(table.qualifiedName());
        if (afterLastPk) {
            List<String> disjuncts = new ArrayList<>();
            for (int column = 0; column < key.size(); column++) {
                StringBuilder term = new StringBuilder("(");
                for (int equal = 0; equal < column; equal++) {
                    term.append(key.get(equal)).append(" = ? AND ");
                }
                disjuncts.add(term.append(key.get(column)).append(" > ?)").toString());
            }
            sql.append(" WHERE ").append(String.join(" OR ", disjuncts));
        }
        return sql.append(" ORDER BY ").append(keyList).append(" LIMIT ").append(limit).toString();
    }
}
