package io.switchyard.config;

import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * A logical database served by the gateway, stored on one shard (unsharded) or split by keyrange over several.
 *
 * @param database the schema name on the backend servers; defaults to the keyspace name
 * @param credentials the account the gateway uses on this keyspace's backends
 * @param shards in config order
 */
public record Keyspace(String name, boolean sharded, String database, Credentials credentials, BackendTls tls,
                       List<Shard> shards, VSchema vschema) {

    /** Backend schema names: what MySQL accepts unquoted, plus '-' and '$' which it accepts quoted and users have. */
    private static final Pattern DATABASE = Pattern.compile("[A-Za-z0-9_$-]{1,64}");

    public Keyspace {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(database, "database");
        Objects.requireNonNull(credentials, "credentials");
        Objects.requireNonNull(tls, "tls");
        shards = List.copyOf(shards);
        Objects.requireNonNull(vschema, "vschema");
        Problems problems = new Problems();
        check(problems, name, sharded, database, shards.stream().map(Shard::name).toList(), vschema);
        problems.throwIfAny();
    }

    /** The shard of this name, e.g. "-80" or "0". */
    public Optional<Shard> shard(String shardName) {
        return shards.stream().filter(s -> s.name().equals(shardName)).findFirst();
    }

    /**
     * Reports problems under YAML key names; {@code null} arguments (already reported while reading) are skipped.
     *
     * @param shardNames shard names in order, with {@code null} for a shard whose name could not be read
     */
    static void check(Problems problems, String name, Boolean sharded, String database, List<String> shardNames,
                      VSchema vschema) {
        if (name != null) {
            Checks.add(problems, "name", Checks.name(name));
        }
        if (database != null && !DATABASE.matcher(database).matches()) {
            problems.add("database", Problems.quote(database)
                    + " is not a database name (letters, digits, _, $ and -, at most 64 characters)");
        }
        if (sharded == null) {
            return;
        }
        if (shardNames != null) {
            ShardLayout.check(problems.at("shards"), sharded, shardNames);
        }
        if (vschema != null) {
            VSchemaRules.check(problems.at("vschema"), name == null ? "?" : name, sharded, vschema);
        }
    }
}
