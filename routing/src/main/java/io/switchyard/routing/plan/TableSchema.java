package io.switchyard.routing.plan;

import io.switchyard.config.AutoIncrement;
import io.switchyard.config.ColumnVindex;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * A table as the router sees it.
 *
 * @param sequence whether this is a sequence table (it hands out auto-increment ids; lives in an unsharded keyspace)
 * @param columnVindexes the first is the primary vindex, which places each row
 * @param autoIncrement the column filled from a sequence, with the sequence always qualified ({@code ks.t_seq})
 */
public record TableSchema(String name, boolean sequence, List<ColumnVindex> columnVindexes,
                          Optional<AutoIncrement> autoIncrement) {

    public TableSchema {
        Objects.requireNonNull(name, "name");
        columnVindexes = List.copyOf(columnVindexes);
        Objects.requireNonNull(autoIncrement, "autoIncrement");
        autoIncrement.ifPresent(a -> {
            if (a.sequence().indexOf('.') < 0) {
                throw new IllegalArgumentException("auto-increment sequence " + a.sequence() + " of table " + name
                        + " must be qualified as keyspace.table");
            }
        });
    }

    /** A plain table with no vindexes, as an unsharded keyspace lists it. */
    public static TableSchema plain(String name) {
        return new TableSchema(name, false, List.of(), Optional.empty());
    }

    public Optional<ColumnVindex> primaryVindex() {
        return columnVindexes.isEmpty() ? Optional.empty() : Optional.of(columnVindexes.get(0));
    }

    /** Whether a column (case-insensitive, as MySQL column names are) has a column vindex on this table. */
    public boolean isVindexColumn(String column) {
        return columnVindexes.stream().anyMatch(c -> c.column().equalsIgnoreCase(column));
    }
}
