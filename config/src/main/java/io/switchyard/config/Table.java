package io.switchyard.config;

import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * A table of a keyspace's vschema.
 *
 * @param columnVindexes how rows are placed in a sharded keyspace; the first is the primary vindex
 * @param autoIncrement the column filled from a sequence when an insert leaves it out
 */
public record Table(String name, TableType type, List<ColumnVindex> columnVindexes,
                    Optional<AutoIncrement> autoIncrement) {

    public Table {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(type, "type");
        columnVindexes = List.copyOf(columnVindexes);
        Objects.requireNonNull(autoIncrement, "autoIncrement");
        Problems problems = new Problems();
        check(problems, type, !columnVindexes.isEmpty(), autoIncrement.isPresent());
        String problem = Checks.name(name);
        if (problem != null) {
            problems.add(problem);
        }
        problems.throwIfAny();
    }

    public boolean isSequence() {
        return type == TableType.SEQUENCE;
    }

    /** The primary vindex: the first column vindex, which decides a row's shard. */
    public Optional<ColumnVindex> primaryVindex() {
        return columnVindexes.isEmpty() ? Optional.empty() : Optional.of(columnVindexes.get(0));
    }

    /** A sequence table is the source of ids, not a user of them, and it is never sharded. */
    static void check(Problems problems, TableType type, boolean hasColumnVindexes, boolean hasAutoIncrement) {
        if (type != TableType.SEQUENCE) {
            return;
        }
        if (hasColumnVindexes) {
            problems.add("column_vindexes", "a sequence table has no column vindexes");
        }
        if (hasAutoIncrement) {
            problems.add("auto_increment", "a sequence table has no auto_increment; other tables use it");
        }
    }
}
