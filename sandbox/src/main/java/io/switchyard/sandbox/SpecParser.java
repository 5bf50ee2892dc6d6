package io.switchyard.sandbox;

import io.switchyard.sandbox.SandboxSpec.KeyspaceSpec;
import io.switchyard.sandbox.SandboxSpec.ShardSpec;

import java.util.ArrayList;
import java.util.List;

/** Reads the compact sandbox spec ({@code commerce:0+1; customer:-80+1,80-+1; topology}); see {@link SandboxSpec}. */
final class SpecParser {
    static final String TOPOLOGY = "topology";

    private SpecParser() {
    }

    static SandboxSpec parse(String spec) {
        if (spec == null || spec.isBlank()) {
            throw new IllegalArgumentException("sandbox spec is empty; expected e.g. \"commerce:0+1; topology\"");
        }
        List<KeyspaceSpec> keyspaces = new ArrayList<>();
        boolean topology = false;
        for (String rawPart : spec.split(";", -1)) {
            String part = rawPart.strip();
            if (part.isEmpty()) {
                throw bad(spec, "empty part between ';' separators");
            }
            if (part.equals(TOPOLOGY)) {
                if (topology) {
                    throw bad(spec, "\"topology\" appears twice");
                }
                topology = true;
                continue;
            }
            keyspaces.add(keyspace(spec, part));
        }
        try {
            return new SandboxSpec(keyspaces, topology);
        } catch (IllegalArgumentException e) {
            throw bad(spec, e.getMessage());
        }
    }

    private static KeyspaceSpec keyspace(String spec, String part) {
        int colon = part.indexOf(':');
        String name = (colon < 0 ? part : part.substring(0, colon)).strip();
        List<ShardSpec> shards = new ArrayList<>();
        if (colon < 0) {
            shards.add(new ShardSpec("0", 0));
        } else {
            for (String rawShard : part.substring(colon + 1).split(",", -1)) {
                shards.add(shard(spec, name, rawShard.strip()));
            }
        }
        try {
            return new KeyspaceSpec(name, shards);
        } catch (IllegalArgumentException e) {
            throw bad(spec, "keyspace \"" + part + "\": " + e.getMessage());
        }
    }

    private static ShardSpec shard(String spec, String keyspace, String shard) {
        String where = "shard \"" + shard + "\" of keyspace \"" + keyspace + "\": ";
        if (shard.isEmpty()) {
            throw bad(spec, "keyspace \"" + keyspace + "\" has an empty shard (check the ',' separators)");
        }
        int plus = shard.lastIndexOf('+');
        String name = (plus < 0 ? shard : shard.substring(0, plus)).strip();
        int replicas = 0;
        if (plus >= 0) {
            String count = shard.substring(plus + 1).strip();
            try {
                replicas = Integer.parseInt(count);
            } catch (NumberFormatException e) {
                throw bad(spec, where + "replica count \"" + count + "\" is not a number");
            }
        }
        try {
            return new ShardSpec(name, replicas);
        } catch (IllegalArgumentException e) {
            throw bad(spec, where + e.getMessage());
        }
    }

    private static IllegalArgumentException bad(String spec, String problem) {
        return new IllegalArgumentException("bad sandbox spec \"" + spec + "\": " + problem
                + " (expected e.g. \"commerce:0+1; customer:-80+1,80-+1; topology\")");
    }
}
