package io.switchyard.config;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * Rules that span sections: unique user and keyspace names, auto-increment columns pointing at real sequence tables,
 * and no two places claiming the same backend database.
 *
 * <p>The rules run on {@link Parts} rather than on {@link Keyspace} records so that a keyspace with a problem of its
 * own (say, a bad shard layout) still takes part in the checks its valid parts allow: users fix the file in one pass.
 */
final class ConfigRules {

    private ConfigRules() {
    }

    /**
     * What the cross-keyspace rules need to know about a keyspace. Any field may be {@code null} when it could not be
     * read; rules that depend on it are then skipped rather than guessed.
     */
    record Parts(String name, Boolean sharded, String database, List<Shard> shards, VSchema vschema) {
        static Parts of(Keyspace k) {
            return new Parts(k.name(), k.sharded(), k.database(), k.shards(), k.vschema());
        }
    }

    /**
     * A sequence reference resolved to {@code keyspace.table}, or the reason it cannot be, or neither when a keyspace
     * that might hold it could not be read.
     */
    record Resolution(String qualified, String problem) {
        static final Resolution UNKNOWN = new Resolution(null, null);
    }

    /** Reports problems at root key paths. {@code null} arguments or list entries failed to read and are skipped. */
    static void check(Problems problems, List<User> users, Topology topology, List<Parts> keyspaces) {
        if (users != null) {
            if (users.isEmpty()) {
                problems.add("users", "empty; at least one user is needed to connect");
            }
            duplicates(problems, "users", "name", users.stream().map(u -> u == null ? null : u.name()).toList());
        }
        if (keyspaces == null) {
            return;
        }
        if (keyspaces.isEmpty()) {
            problems.add("keyspaces", "empty; at least one keyspace is needed");
        }
        duplicates(problems, "keyspaces", "name", keyspaces.stream().map(k -> k == null ? null : k.name()).toList());
        checkSequences(problems, keyspaces);
        checkBackendDatabases(problems, topology, keyspaces);
    }

    private static void duplicates(Problems problems, String list, String key, List<String> names) {
        Map<String, Integer> seen = new HashMap<>();
        for (int i = 0; i < names.size(); i++) {
            String name = names.get(i);
            Integer first = name == null ? null : seen.putIfAbsent(name, i);
            if (first != null) {
                problems.add(list + "[" + i + "]." + key, Problems.quote(name) + " is a duplicate of " + list + "["
                        + first + "]");
            }
        }
    }

    private static void checkSequences(Problems problems, List<Parts> keyspaces) {
        for (int i = 0; i < keyspaces.size(); i++) {
            Parts keyspace = keyspaces.get(i);
            if (keyspace == null || keyspace.vschema() == null) {
                continue;
            }
            for (Table table : keyspace.vschema().tables().values()) {
                if (table.autoIncrement().isEmpty()) {
                    continue;
                }
                String problem = resolveSequence(keyspaces, table.autoIncrement().get().sequence()).problem();
                if (problem != null) {
                    problems.add("keyspaces[" + i + "].vschema.tables." + table.name() + ".auto_increment.sequence",
                            problem);
                }
            }
        }
    }

    /** Finds the sequence table an auto_increment names, qualified ({@code ks.t}) or not ({@code t}, if unique). */
    static Resolution resolveSequence(List<Parts> keyspaces, String sequence) {
        String quoted = Problems.quote(sequence);
        int dot = sequence.indexOf('.');
        if (dot < 0) {
            return resolveUnqualified(keyspaces, sequence);
        }
        String keyspaceName = sequence.substring(0, dot);
        String tableName = sequence.substring(dot + 1);
        Optional<Parts> keyspace = keyspaces.stream()
                .filter(k -> k != null && keyspaceName.equals(k.name())).findFirst();
        if (keyspace.isEmpty()) {
            boolean unreadable = keyspaces.stream().anyMatch(k -> k == null || k.name() == null);
            return unreadable ? Resolution.UNKNOWN : new Resolution(null, quoted + " names keyspace "
                    + Problems.quote(keyspaceName) + ", which is not defined");
        }
        Parts parts = keyspace.get();
        if (parts.vschema() == null || parts.sharded() == null) {
            return Resolution.UNKNOWN;
        }
        Optional<Table> table = parts.vschema().table(tableName);
        if (table.isEmpty()) {
            return new Resolution(null, quoted + ": keyspace " + Problems.quote(keyspaceName) + " has no table "
                    + Problems.quote(tableName) + " in its vschema");
        }
        if (!table.get().isSequence()) {
            return new Resolution(null, quoted + " is not a sequence table (it needs type: sequence)");
        }
        if (parts.sharded()) {
            return new Resolution(null, quoted + " is in sharded keyspace " + Problems.quote(keyspaceName)
                    + "; sequence tables live in an unsharded keyspace");
        }
        return new Resolution(sequence, null);
    }

    private static Resolution resolveUnqualified(List<Parts> keyspaces, String sequence) {
        String quoted = Problems.quote(sequence);
        List<String> candidates = new ArrayList<>();
        boolean unreadable = false;
        for (Parts keyspace : keyspaces) {
            if (keyspace == null || keyspace.name() == null || keyspace.sharded() == null
                    || keyspace.vschema() == null) {
                unreadable = true;
            } else if (!keyspace.sharded()
                    && keyspace.vschema().table(sequence).filter(Table::isSequence).isPresent()) {
                candidates.add(keyspace.name());
            }
        }
        if (candidates.size() > 1) {
            return new Resolution(null, quoted + " is ambiguous: it is a sequence table in keyspaces "
                    + String.join(", ", candidates) + "; write keyspace." + sequence);
        }
        if (unreadable) {
            return Resolution.UNKNOWN;
        }
        if (candidates.isEmpty()) {
            return new Resolution(null, quoted + " is not a sequence table in any unsharded keyspace (declare it with "
                    + "type: sequence in that keyspace's vschema.tables)");
        }
        return new Resolution(candidates.get(0) + "." + sequence, null);
    }

    /**
     * Two shards on the same server and schema would see each other's rows, and the topology store sharing a schema
     * with a keyspace would expose gateway state as user tables. Host names are compared as written.
     */
    private static void checkBackendDatabases(Problems problems, Topology topology, List<Parts> keyspaces) {
        Map<String, String> owners = new HashMap<>();
        if (topology != null) {
            owners.put(topology.endpoint() + "/" + topology.database(), "topology.dsn");
        }
        for (int i = 0; i < keyspaces.size(); i++) {
            Parts keyspace = keyspaces.get(i);
            if (keyspace == null || keyspace.database() == null || keyspace.shards() == null) {
                continue;
            }
            for (int s = 0; s < keyspace.shards().size(); s++) {
                Shard shard = keyspace.shards().get(s);
                if (shard == null) {
                    continue;
                }
                String path = "keyspaces[" + i + "].shards[" + s + "]";
                claim(problems, owners, path + ".primary", shard.primary(), keyspace.database());
                for (int r = 0; r < shard.replicas().size(); r++) {
                    claim(problems, owners, path + ".replicas[" + r + "]", shard.replicas().get(r),
                            keyspace.database());
                }
            }
        }
    }

    private static void claim(Problems problems, Map<String, String> owners, String path, Endpoint endpoint,
                              String database) {
        String owner = owners.putIfAbsent(Objects.requireNonNull(endpoint) + "/" + database, path);
        if (owner != null) {
            problems.add(path, Problems.quote(endpoint) + " with database " + Problems.quote(database)
                    + " is already used by " + owner
                    + "; set another database for the keyspace, or use another server");
        }
    }
}
