package io.switchyard.config;

import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * The whole gateway configuration: immutable and fully validated, so the rest of the gateway never rechecks it. Load
 * one with {@link ConfigLoader}.
 *
 * @param users client accounts, in config order
 * @param keyspaces in config order
 */
public record SwitchyardConfig(Listeners listeners, List<User> users, Topology topology, Backend backend,
                               List<Keyspace> keyspaces) {

    public SwitchyardConfig {
        Objects.requireNonNull(listeners, "listeners");
        users = List.copyOf(users);
        Objects.requireNonNull(topology, "topology");
        Objects.requireNonNull(backend, "backend");
        keyspaces = List.copyOf(keyspaces);
        Problems problems = new Problems();
        ConfigRules.check(problems, users, topology, keyspaces.stream().map(ConfigRules.Parts::of).toList());
        problems.throwIfAny();
    }

    public Optional<Keyspace> keyspace(String name) {
        Objects.requireNonNull(name, "name");
        return keyspaces.stream().filter(k -> k.name().equals(name)).findFirst();
    }

    public Optional<User> user(String name) {
        Objects.requireNonNull(name, "name");
        return users.stream().filter(u -> u.name().equals(name)).findFirst();
    }

    /**
     * The qualified {@code keyspace.table} of the sequence an {@link AutoIncrement#sequence()} names. Always present
     * for the auto-increments of this config, which were checked when it was built.
     */
    public Optional<String> resolveSequence(String sequence) {
        Objects.requireNonNull(sequence, "sequence");
        List<ConfigRules.Parts> parts = keyspaces.stream().map(ConfigRules.Parts::of).toList();
        return Optional.ofNullable(ConfigRules.resolveSequence(parts, sequence).qualified());
    }
}
