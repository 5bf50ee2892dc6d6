package io.switchyard.replication.verify;

import io.switchyard.routing.vindex.Vindex;

import java.util.Objects;

/**
 * How a sharded target places rows, for {@link TableDiff} to check that every target row is on the shard that owns
 * it: the keyspace id of {@code column}'s value under {@code vindex} must fall in the key range the shard is named
 * after ({@code -40}, {@code 40-80}, ...). A row on the wrong shard can match its source row perfectly and still be
 * invisible to queries, which the gateway routes by the same vindex.
 *
 * @param column the sharding column (the primary vindex column)
 * @param vindex its vindex
 */
public record Placement(String column, Vindex vindex) {
    public Placement {
        Objects.requireNonNull(column, "column");
        Objects.requireNonNull(vindex, "vindex");
    }
}
