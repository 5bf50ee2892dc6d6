package io.switchyard.admin.cli;

import java.util.ArrayList;
import java.util.List;

/** Columns aligned with spaces under upper-case headers, as {@code pscale} and {@code kubectl} print lists. */
final class TextTable {
    private final List<String> headers;
    private final List<List<String>> rows = new ArrayList<>();

    TextTable(String... headers) {
        this.headers = List.of(headers);
    }

    TextTable row(String... values) {
        if (values.length != headers.size()) {
            throw new IllegalArgumentException(values.length + " values for " + headers.size() + " columns");
        }
        rows.add(List.of(values));
        return this;
    }

    boolean isEmpty() {
        return rows.isEmpty();
    }

    String render() {
        int[] widths = new int[headers.size()];
        for (int i = 0; i < widths.length; i++) {
            widths[i] = headers.get(i).length();
            for (List<String> row : rows) {
                widths[i] = Math.max(widths[i], row.get(i).length());
            }
        }
        StringBuilder out = new StringBuilder();
        line(out, headers, widths);
        rows.forEach(row -> line(out, row, widths));
        return out.toString();
    }

    private static void line(StringBuilder out, List<String> values, int[] widths) {
        StringBuilder line = new StringBuilder();
        for (int i = 0; i < values.size(); i++) {
            line.append(values.get(i));
            if (i < values.size() - 1) {
                line.append(" ".repeat(widths[i] - values.get(i).length() + 2));
            }
        }
        out.append(line.toString().stripTrailing()).append('\n');
    }
}
