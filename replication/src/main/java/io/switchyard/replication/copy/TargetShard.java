package io.switchyard.replication.copy;

import java.util.Objects;

/**
 * One target shard's primary.
 *
 * @param name      the shard name, recorded as {@code target_shard} in {@code _switchyard}; unique within a copy
 * @param connector opens connections to the shard's primary
 * @param database  the database holding the copied tables on that server
 */
public record TargetShard(String name, SqlConnector connector, String database) {
    public TargetShard {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(connector, "connector");
        Objects.requireNonNull(database, "database");
    }
}
