package io.switchyard.routing.topo;

import io.switchyard.routing.plan.KeyspaceSchema;
import java.util.Objects;

/**
 * One keyspace's vschema as the topology store holds it.
 *
 * @param version the row's own version: 1 when seeded from the config, one more with every applied change
 * @param schema the vschema, with name, shards and shardedness from the config (the store holds only the vschema)
 */
public record StoredVSchema(long version, KeyspaceSchema schema) {

    public StoredVSchema {
        if (version < 1) {
            throw new IllegalArgumentException("version was " + version + "; stored vschemas start at 1");
        }
        Objects.requireNonNull(schema, "schema");
    }
}
