package io.switchyard.replication.binlog;

import java.util.Collections;
import java.util.List;
import java.util.Objects;

/**
 * One row changed on the source. {@code before} is empty for INSERT, {@code after} is empty for DELETE; otherwise each
 * holds one value per column in table order (see {@link ColumnInfo}), normalised by {@link ValueNormalizer} so that an
 * applier can bind it back with JDBC. Values may be null (SQL NULL), so the lists are unmodifiable but not
 * {@code List.copyOf}.
 */
public record RowChange(Kind kind, String database, String table, List<String> columns, List<Object> before,
                        List<Object> after) {
    public enum Kind { INSERT, UPDATE, DELETE }

    public RowChange {
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(database, "database");
        Objects.requireNonNull(table, "table");
        columns = List.copyOf(columns);
        before = Collections.unmodifiableList(before);
        after = Collections.unmodifiableList(after);
        if ((kind == Kind.INSERT) != before.isEmpty() || (kind == Kind.DELETE) != after.isEmpty()) {
            throw new IllegalArgumentException(kind + " row image mismatch: before " + before.size() + " values, after "
                    + after.size());
        }
    }
}
