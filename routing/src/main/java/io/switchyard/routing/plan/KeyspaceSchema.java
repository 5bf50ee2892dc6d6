package io.switchyard.routing.plan;

import io.switchyard.config.AutoIncrement;
import io.switchyard.config.ColumnVindex;
import io.switchyard.config.Keyspace;
import io.switchyard.config.SwitchyardConfig;
import io.switchyard.config.Table;
import io.switchyard.routing.vindex.KeyspaceIds;
import io.switchyard.routing.vindex.Vindex;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * A keyspace as the router sees it: its shards and its vschema. Immutable; changes make a new one.
 *
 * @param shards in config order; one shard when unsharded
 * @param vindexes vindex name to vindex type ({@code hash}, {@code xxhash})
 * @param tables the vschema's tables by name; an unsharded keyspace may list none and still serve any table
 */
public record KeyspaceSchema(String name, boolean sharded, List<ShardRange> shards, Map<String, String> vindexes,
                             Map<String, TableSchema> tables) {

    public KeyspaceSchema {
        Objects.requireNonNull(name, "name");
        shards = List.copyOf(shards);
        vindexes = Collections.unmodifiableMap(new LinkedHashMap<>(vindexes));
        tables = Collections.unmodifiableMap(new LinkedHashMap<>(tables));
        if (shards.isEmpty() || !sharded && shards.size() != 1) {
            throw new IllegalArgumentException("keyspace " + name + " has " + shards.size() + " shards; "
                    + (sharded ? "a sharded keyspace needs at least one" : "an unsharded keyspace has exactly one"));
        }
        vindexes.forEach((vindex, type) -> {
            if (!Vindex.TYPES.contains(type)) {
                throw new IllegalArgumentException("vindex " + vindex + " of keyspace " + name + " has type " + type
                        + "; known types: " + String.join(", ", Vindex.TYPES));
            }
        });
        for (Map.Entry<String, TableSchema> entry : tables.entrySet()) {
            if (!entry.getKey().equals(entry.getValue().name())) {
                throw new IllegalArgumentException("table key " + entry.getKey() + " differs from its table's name");
            }
            for (ColumnVindex columnVindex : entry.getValue().columnVindexes()) {
                if (!vindexes.containsKey(columnVindex.vindexName())) {
                    throw new IllegalArgumentException("table " + name + "." + entry.getKey() + " uses vindex "
                            + columnVindex.vindexName() + ", which keyspace " + name + " does not define");
                }
            }
        }
    }

    /** The keyspace of a config, with auto-increment sequences qualified through the whole config. */
    static KeyspaceSchema fromConfig(Keyspace keyspace, SwitchyardConfig config) {
        Map<String, String> vindexes = new LinkedHashMap<>();
        keyspace.vschema().vindexes().forEach((vindexName, vindex) ->
                vindexes.put(vindexName, vindex.type().name().toLowerCase(Locale.ROOT)));
        Map<String, TableSchema> tables = new LinkedHashMap<>();
        for (Table table : keyspace.vschema().tables().values()) {
            Optional<AutoIncrement> autoIncrement = table.autoIncrement().map(a -> new AutoIncrement(a.column(),
                    config.resolveSequence(a.sequence()).orElse(a.sequence())));
            tables.put(table.name(), new TableSchema(table.name(), table.isSequence(), table.columnVindexes(),
                    autoIncrement));
        }
        List<ShardRange> shards = keyspace.shards().stream().map(s -> ShardRange.of(s.name())).toList();
        return new KeyspaceSchema(keyspace.name(), keyspace.sharded(), shards, vindexes, tables);
    }

    public Optional<TableSchema> table(String tableName) {
        return Optional.ofNullable(tables.get(tableName));
    }

    public List<String> shardNames() {
        return shards.stream().map(ShardRange::name).toList();
    }

    /** The shard owning a keyspace id. Shards of a valid keyspace cover every id, so one always does. */
    public String shardFor(byte[] keyspaceId) {
        for (ShardRange shard : shards) {
            if (shard.range().contains(keyspaceId)) {
                return shard.name();
            }
        }
        throw new IllegalStateException("no shard of keyspace " + name + " owns keyspace id "
                + KeyspaceIds.toHex(keyspaceId) + "; its shards " + shardNames() + " leave a gap");
    }

    /** The type of a vindex this keyspace defines. */
    String vindexType(String vindexName) {
        String type = vindexes.get(vindexName);
        if (type == null) {
            throw new IllegalStateException("keyspace " + name + " has no vindex " + vindexName);
        }
        return type;
    }

    KeyspaceSchema withTable(TableSchema table) {
        Map<String, TableSchema> next = new LinkedHashMap<>(tables);
        next.put(table.name(), table);
        return new KeyspaceSchema(name, sharded, shards, vindexes, next);
    }

    KeyspaceSchema withoutTable(String tableName) {
        Map<String, TableSchema> next = new LinkedHashMap<>(tables);
        next.remove(tableName);
        return new KeyspaceSchema(name, sharded, shards, vindexes, next);
    }

    KeyspaceSchema withVindex(String vindexName, String type) {
        Map<String, String> next = new LinkedHashMap<>(vindexes);
        next.put(vindexName, type);
        return new KeyspaceSchema(name, sharded, shards, next, tables);
    }
}
