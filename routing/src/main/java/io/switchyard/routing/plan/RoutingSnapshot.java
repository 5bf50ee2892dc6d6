package io.switchyard.routing.plan;

import io.switchyard.config.AutoIncrement;
import io.switchyard.config.Keyspace;
import io.switchyard.config.SwitchyardConfig;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * Everything the planner routes by: each keyspace's shards and vschema, and the routing rules. Immutable and
 * versioned; a change (a routing-rule update, an {@code ALTER VSCHEMA}) makes the next version, which the gateway
 * swaps in atomically with {@link Planner#update}. Plans cached for older versions are never used again.
 *
 * @param version increases with every change; plans are cached per version
 * @param keyspaces by name, in config order
 */
public record RoutingSnapshot(long version, Map<String, KeyspaceSchema> keyspaces, RoutingRules routingRules) {

    public RoutingSnapshot {
        keyspaces = Collections.unmodifiableMap(new LinkedHashMap<>(keyspaces));
        Objects.requireNonNull(routingRules, "routingRules");
        keyspaces.forEach((name, keyspace) -> {
            if (!name.equals(keyspace.name())) {
                throw new IllegalArgumentException("keyspace key " + name + " differs from its keyspace's name");
            }
        });
        for (Map.Entry<String, String> rule : routingRules.rules().entrySet()) {
            if (!keyspaces.containsKey(rule.getValue())) {
                throw RoutingException.routing("routing rule '" + rule.getKey() + "' points at keyspace '"
                        + rule.getValue() + "', which does not exist (keyspaces: " + names(keyspaces) + ")");
            }
        }
        for (KeyspaceSchema keyspace : keyspaces.values()) {
            for (TableSchema table : keyspace.tables().values()) {
                if (table.autoIncrement().isPresent()) {
                    checkSequence(keyspaces, keyspace.name() + "." + table.name(), table.autoIncrement().get());
                }
            }
        }
    }

    /** Version 1 of a config's keyspaces, with no routing rules (the topology store supplies those). */
    public static RoutingSnapshot fromConfig(SwitchyardConfig config) {
        Map<String, KeyspaceSchema> keyspaces = new LinkedHashMap<>();
        for (Keyspace keyspace : config.keyspaces()) {
            keyspaces.put(keyspace.name(), KeyspaceSchema.fromConfig(keyspace, config));
        }
        return new RoutingSnapshot(1, keyspaces, RoutingRules.NONE);
    }

    public Optional<KeyspaceSchema> keyspace(String name) {
        return Optional.ofNullable(keyspaces.get(name));
    }

    /**
     * The next version with other routing rules.
     *
     * @throws RoutingException if a rule points at a keyspace that does not exist
     */
    public RoutingSnapshot withRoutingRules(RoutingRules rules) {
        return new RoutingSnapshot(version + 1, keyspaces, rules);
    }

    /**
     * The next version with one vschema change applied.
     *
     * @throws RoutingException naming what is wrong if the change does not fit this snapshot (unknown keyspace or
     *     table, a vindex on an unsharded keyspace, a sequence that does not exist, ...)
     */
    public RoutingSnapshot apply(VSchemaChange change) {
        KeyspaceSchema changed = VSchemaEditor.apply(this, change);
        Map<String, KeyspaceSchema> next = new LinkedHashMap<>(keyspaces);
        next.put(changed.name(), changed);
        return new RoutingSnapshot(version + 1, next, routingRules);
    }

    /** The keyspace a change names, or 1049 Unknown database. */
    KeyspaceSchema requireKeyspace(String name) {
        KeyspaceSchema keyspace = keyspaces.get(name);
        if (keyspace == null) {
            throw new RoutingException(RoutingException.BAD_DB, "42000", "Unknown database '" + name
                    + "': no such keyspace (keyspaces: " + names(keyspaces) + ")");
        }
        return keyspace;
    }

    private static void checkSequence(Map<String, KeyspaceSchema> keyspaces, String table, AutoIncrement auto) {
        String sequence = auto.sequence();
        int dot = sequence.indexOf('.');
        KeyspaceSchema keyspace = keyspaces.get(sequence.substring(0, dot));
        Optional<TableSchema> target = keyspace == null ? Optional.empty()
                : keyspace.table(sequence.substring(dot + 1));
        if (target.isEmpty() || !target.get().sequence() || keyspace.sharded()) {
            throw RoutingException.routing("auto-increment of " + table + " uses " + sequence
                    + ", which is not a sequence table of an unsharded keyspace");
        }
    }

    static String names(Map<String, KeyspaceSchema> keyspaces) {
        return String.join(", ", keyspaces.keySet());
    }
}
