package io.switchyard.config;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * One shard: a primary server and its replicas (native MySQL/MariaDB replication, set up outside the gateway).
 *
 * @param name as written in the config: "0" or "-" for an unsharded keyspace, a keyrange such as "-80" otherwise
 * @param keyRange the keyspace ids the shard holds; {@link KeyRange#FULL} for "0"
 */
public record Shard(String name, KeyRange keyRange, Endpoint primary, List<Endpoint> replicas) {

    /** The conventional name of an unsharded keyspace's only shard. */
    public static final String UNSHARDED_NAME = "0";

    public Shard {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(keyRange, "keyRange");
        Objects.requireNonNull(primary, "primary");
        replicas = List.copyOf(replicas);
        Problems problems = new Problems();
        check(problems, name, primary, replicas);
        if (problems.count() == 0 && !keyRangeOf(name).equals(keyRange)) {
            problems.add("name", Problems.quote(name) + " does not match key range " + keyRange);
        }
        problems.throwIfAny();
    }

    /** A shard whose key range is read from its name. */
    public static Shard of(String name, Endpoint primary, List<Endpoint> replicas) {
        return new Shard(name, keyRangeOf(name), primary, replicas);
    }

    /**
     * The key range a shard name stands for: "0" is the full range (Vitess's name for an unsharded keyspace's shard),
     * anything else must be a keyrange.
     *
     * @throws ConfigException with an empty path if the name is neither
     */
    public static KeyRange keyRangeOf(String name) {
        return UNSHARDED_NAME.equals(name) ? KeyRange.FULL : KeyRange.parse(name);
    }

    /** Reports a bad name and replicas that repeat the primary or each other; {@code null} values are skipped. */
    static void check(Problems problems, String name, Endpoint primary, List<Endpoint> replicas) {
        if (name != null) {
            try {
                keyRangeOf(name);
            } catch (ConfigException e) {
                problems.at("name").addAll(e);
            }
        }
        if (replicas == null) {
            return;
        }
        Map<Endpoint, Integer> seen = new HashMap<>();
        for (int i = 0; i < replicas.size(); i++) {
            Endpoint replica = replicas.get(i);
            if (replica == null) {
                continue;
            }
            String key = "replicas[" + i + "]";
            Integer first = seen.putIfAbsent(replica, i);
            if (replica.equals(primary)) {
                problems.add(key, Problems.quote(replica) + " is also the shard's primary");
            } else if (first != null) {
                problems.add(key, Problems.quote(replica) + " is listed twice (also replicas[" + first + "])");
            }
        }
    }
}
