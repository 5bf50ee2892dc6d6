package io.switchyard.replication.verify;

import java.sql.Connection;
import java.util.Objects;

/**
 * One shard of one side of a diff: a connection with a consistent snapshot already open on it (see
 * {@link ConsistentSnapshot}) and the database holding the table there. The diff reads through the connection but
 * neither ends its transaction nor closes it.
 *
 * @param shard      the shard's name, for reports and error messages ({@code -80}, {@code 0})
 * @param connection the snapshot connection
 * @param database   the database (keyspace) the table lives in on this shard
 */
public record DiffSide(String shard, Connection connection, String database) {
    public DiffSide {
        Objects.requireNonNull(shard, "shard");
        Objects.requireNonNull(connection, "connection");
        Objects.requireNonNull(database, "database");
    }
}
