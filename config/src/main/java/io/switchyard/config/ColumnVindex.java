package io.switchyard.config;

import java.util.Objects;

/**
 * A column of a table routed through a vindex. A table's first column vindex is its primary vindex: it decides which
 * shard a row lives in.
 *
 * @param vindexName the vindex's name in the keyspace's {@code vschema.vindexes} (YAML key {@code name})
 */
public record ColumnVindex(String column, String vindexName) {

    public ColumnVindex {
        Objects.requireNonNull(column, "column");
        Objects.requireNonNull(vindexName, "vindexName");
        Problems problems = new Problems();
        check(problems, column, vindexName);
        problems.throwIfAny();
    }

    static void check(Problems problems, String column, String vindexName) {
        if (column != null) {
            Checks.add(problems, "column", Checks.notBlank(column));
        }
        if (vindexName != null) {
            Checks.add(problems, "name", Checks.name(vindexName));
        }
    }
}
