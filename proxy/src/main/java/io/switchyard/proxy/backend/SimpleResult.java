package io.switchyard.proxy.backend;

import io.switchyard.proxy.packet.resultset.ColumnDefinition41;

import java.util.List;

/**
 * The outcome of a statement the gateway runs itself ({@link BackendConnection#query}): the first result set's
 * column names and rows as strings (SQL NULL as {@code null}), or none, plus the final OK's counters and status.
 *
 * @param statusFlags the server status of the final packet of the response
 */
public record SimpleResult(List<String> columns, List<List<String>> rows, long affectedRows, long lastInsertId,
                           int statusFlags, int warnings, List<ColumnDefinition41> definitions,
                           List<List<byte[]>> cells) {
    public SimpleResult {
        columns = List.copyOf(columns);
        rows = List.copyOf(rows); // rows themselves are unmodifiable lists that may hold nulls
        definitions = List.copyOf(definitions);
        cells = List.copyOf(cells); // the raw values, for results the gateway merges: text is not always UTF-8
    }

    /** A result without column definitions or raw cells. */
    public SimpleResult(List<String> columns, List<List<String>> rows, long affectedRows, long lastInsertId,
                        int statusFlags, int warnings) {
        this(columns, rows, affectedRows, lastInsertId, statusFlags, warnings, List.of(), List.of());
    }

    /** The single value of a one-row, one-column result (e.g. {@code SELECT @@version}); null if SQL NULL. */
    public String singleValue() {
        if (rows.size() != 1 || rows.get(0).size() != 1) {
            throw new IllegalStateException("expected one row of one column, got " + rows.size() + " rows of "
                    + columns.size() + " columns");
        }
        return rows.get(0).get(0);
    }
}
