package io.switchyard.sandbox;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * What a {@link Sandbox} runs: keyspaces, their shards, how many replicas each shard has, and whether a topology-store
 * server runs too. Immutable and validated on construction.
 *
 * <p>Compact form, as {@link #parse(String)} reads it and {@link #toString()} writes it:
 * <pre>{@code commerce:0+1; customer:-80+1,80-+1; topology}</pre>
 * Keyspaces are separated by {@code ;}, shards by {@code ,}; {@code +N} is the shard's replica count (omitted or
 * {@code +0}: no replicas); a keyspace without {@code :shards} has the single unsharded shard {@code 0}; the word
 * {@code topology} adds the topology-store server.
 *
 * @param keyspaces the keyspaces, in order; names are unique
 * @param topology  whether a topology-store server (database {@value Sandbox#TOPOLOGY_DATABASE}) runs
 */
public record SandboxSpec(List<KeyspaceSpec> keyspaces, boolean topology) {
    /** Most replicas one shard may have; a sandbox is for tests and demos, not load. */
    public static final int MAX_REPLICAS = 9;

    private static final Pattern KEYSPACE_NAME = Pattern.compile("[A-Za-z_][A-Za-z0-9_]{0,63}");
    private static final Pattern SHARD_NAME = Pattern.compile("0|[0-9A-Fa-f]*-[0-9A-Fa-f]*");

    public SandboxSpec {
        keyspaces = List.copyOf(Objects.requireNonNull(keyspaces, "keyspaces"));
        Set<String> names = new HashSet<>();
        for (KeyspaceSpec keyspace : keyspaces) {
            if (!names.add(keyspace.name())) {
                throw new IllegalArgumentException("keyspace \"" + keyspace.name() + "\" appears twice");
            }
        }
        if (keyspaces.isEmpty() && !topology) {
            throw new IllegalArgumentException("a sandbox needs at least one keyspace or the topology server");
        }
    }

    /**
     * Reads the compact form (see the class comment).
     *
     * @throws IllegalArgumentException naming the bad part, e.g. {@code shard "80-+x" of keyspace "customer": replica
     *                                  count "x" is not a number}
     */
    public static SandboxSpec parse(String spec) {
        return SpecParser.parse(spec);
    }

    /** Starts an empty builder. */
    public static Builder builder() {
        return new Builder();
    }

    /** Total number of MariaDB servers this spec starts. */
    public int serverCount() {
        int count = topology ? 1 : 0;
        for (KeyspaceSpec keyspace : keyspaces) {
            for (ShardSpec shard : keyspace.shards()) {
                count += 1 + shard.replicas();
            }
        }
        return count;
    }

    /** The compact form; {@code parse(spec.toString())} equals {@code spec}. */
    @Override
    public String toString() {
        List<String> parts = new ArrayList<>();
        for (KeyspaceSpec keyspace : keyspaces) {
            parts.add(keyspace.toString());
        }
        if (topology) {
            parts.add(SpecParser.TOPOLOGY);
        }
        return String.join("; ", parts);
    }

    /**
     * One keyspace: a database of that name is created on each of its primaries.
     *
     * @param name   a MariaDB database name: letters, digits and {@code _}, not starting with a digit
     * @param shards at least one; names unique
     */
    public record KeyspaceSpec(String name, List<ShardSpec> shards) {
        public KeyspaceSpec {
            Objects.requireNonNull(name, "name");
            if (!KEYSPACE_NAME.matcher(name).matches()) {
                throw new IllegalArgumentException("keyspace name \"" + name + "\" is not valid: use letters, digits"
                        + " and _, not starting with a digit, at most 64 characters");
            }
            shards = List.copyOf(Objects.requireNonNull(shards, "shards"));
            if (shards.isEmpty()) {
                throw new IllegalArgumentException("keyspace \"" + name + "\" has no shards");
            }
            Set<String> names = new HashSet<>();
            for (ShardSpec shard : shards) {
                if (!names.add(shard.name())) {
                    throw new IllegalArgumentException("shard \"" + shard.name() + "\" appears twice in keyspace \""
                            + name + "\"");
                }
            }
        }

        public static KeyspaceSpec of(String name, ShardSpec... shards) {
            return new KeyspaceSpec(name, List.of(shards));
        }

        @Override
        public String toString() {
            return name + ":" + shards.stream().map(ShardSpec::toString).collect(Collectors.joining(","));
        }
    }

    /**
     * One shard: a primary and {@code replicas} replicas replicating from it.
     *
     * @param name     {@code 0} (unsharded) or a hex key range such as {@code -80}, {@code 80-}, {@code 40-80}
     * @param replicas 0 to {@value #MAX_REPLICAS}
     */
    public record ShardSpec(String name, int replicas) {
        public ShardSpec {
            Objects.requireNonNull(name, "name");
            if (!SHARD_NAME.matcher(name).matches()) {
                throw new IllegalArgumentException("shard name \"" + name + "\" is not valid: use 0 or a hex key range"
                        + " such as -80, 80- or 40-80");
            }
            if (replicas < 0 || replicas > MAX_REPLICAS) {
                throw new IllegalArgumentException("shard \"" + name + "\": replica count must be 0 to "
                        + MAX_REPLICAS + ", was " + replicas);
            }
        }

        public static ShardSpec of(String name, int replicas) {
            return new ShardSpec(name, replicas);
        }

        @Override
        public String toString() {
            return name + "+" + replicas;
        }
    }

    /** Builds a spec in code: {@code builder().keyspace("commerce", ShardSpec.of("0", 1)).topology().build()}. */
    public static final class Builder {
        private final List<KeyspaceSpec> keyspaces = new ArrayList<>();
        private boolean topology;

        private Builder() {
        }

        public Builder keyspace(String name, ShardSpec... shards) {
            keyspaces.add(KeyspaceSpec.of(name, shards));
            return this;
        }

        public Builder topology() {
            topology = true;
            return this;
        }

        public SandboxSpec build() {
            return new SandboxSpec(keyspaces, topology);
        }
    }
}
