package io.switchyard.admin.demo;

import io.switchyard.sandbox.MariaDbServer;
import io.switchyard.sandbox.Sandbox;
import io.switchyard.sandbox.SandboxSpec;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The {@code ${sandbox:...}} placeholders of a config file: which servers they ask for, and their addresses once a
 * sandbox runs. The config file is the single description of the demo cluster; the sandbox is derived from it so the
 * two can never disagree.
 *
 * <p>Forms: {@code sandbox:KEYSPACE/SHARD/primary}, {@code sandbox:KEYSPACE/SHARD/replica/N} (N from 1) and
 * {@code sandbox:topology}.
 */
public final class SandboxPlaceholders {
    static final String PREFIX = "sandbox";
    private static final Pattern SERVER = Pattern.compile("([A-Za-z0-9_]+)/([0-9A-Fa-f-]+)/(primary|replica/([1-9][0-9]*))");

    private final Map<String, Map<String, Integer>> replicasByShard;
    private final boolean topology;

    private SandboxPlaceholders(Map<String, Map<String, Integer>> replicasByShard, boolean topology) {
        this.replicasByShard = replicasByShard;
        this.topology = topology;
    }

    /** Reads the sandbox placeholders among {@code placeholders} (raw {@code prefix:name} strings). */
    public static SandboxPlaceholders of(Set<String> placeholders) {
        Map<String, Map<String, Integer>> shards = new LinkedHashMap<>();
        boolean topology = false;
        for (String placeholder : placeholders) {
            if (!placeholder.startsWith(PREFIX + ":")) {
                continue;
            }
            String name = placeholder.substring(PREFIX.length() + 1);
            if (name.equals("topology")) {
                topology = true;
                continue;
            }
            Matcher m = SERVER.matcher(name);
            if (!m.matches()) {
                throw new IllegalArgumentException("${" + placeholder + "}: not a sandbox server; expected"
                        + " sandbox:KEYSPACE/SHARD/primary, sandbox:KEYSPACE/SHARD/replica/N or sandbox:topology");
            }
            int replica = m.group(4) == null ? 0 : Integer.parseInt(m.group(4));
            shards.computeIfAbsent(m.group(1), k -> new LinkedHashMap<>()).merge(m.group(2), replica, Math::max);
        }
        return new SandboxPlaceholders(shards, topology);
    }

    /** The sandbox that serves every placeholder, e.g. {@code commerce:0+1; customer:-80+1,80-+1; topology}. */
    public SandboxSpec spec() {
        List<String> parts = new ArrayList<>();
        replicasByShard.forEach((keyspace, shards) -> {
            List<String> shardParts = new ArrayList<>();
            shards.forEach((shard, replicas) -> shardParts.add(shard + "+" + replicas));
            parts.add(keyspace + ":" + String.join(",", shardParts));
        });
        if (topology) {
            parts.add("topology");
        }
        return SandboxSpec.parse(String.join("; ", parts));
    }

    /** The address ({@code 127.0.0.1:PORT}) of the server a placeholder names, in a running sandbox. */
    public static Optional<String> resolve(Sandbox sandbox, String prefix, String name) {
        if (!prefix.equals(PREFIX)) {
            return Optional.empty();
        }
        if (name.equals("topology")) {
            return Optional.of(sandbox.topology().address());
        }
        Matcher m = SERVER.matcher(name);
        if (!m.matches()) {
            return Optional.empty();
        }
        if (m.group(4) == null) {
            return Optional.of(sandbox.primary(m.group(1), m.group(2)).address());
        }
        List<MariaDbServer> replicas = sandbox.replicas(m.group(1), m.group(2));
        int n = Integer.parseInt(m.group(4));
        return n <= replicas.size() ? Optional.of(replicas.get(n - 1).address()) : Optional.empty();
    }
}
