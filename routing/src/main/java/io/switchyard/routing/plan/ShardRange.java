package io.switchyard.routing.plan;

import io.switchyard.routing.vindex.KeyRange;
import java.util.Objects;

/**
 * A shard of a keyspace and the keyspace ids it owns.
 *
 * @param name as in the config: {@code 0} for an unsharded keyspace, a key range such as {@code -80} otherwise
 */
public record ShardRange(String name, KeyRange range) {

    public ShardRange {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(range, "range");
    }

    /** The shard of a name, its range read from the name. */
    public static ShardRange of(String name) {
        return new ShardRange(name, KeyRange.parse(name));
    }
}
