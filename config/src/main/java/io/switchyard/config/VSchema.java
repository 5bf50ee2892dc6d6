package io.switchyard.config;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * A keyspace's vschema: its vindexes and the tables it routes. Maps keep the YAML order and are keyed by name.
 */
public record VSchema(Map<String, Vindex> vindexes, Map<String, Table> tables) {

    public static final VSchema EMPTY = new VSchema(Map.of(), Map.of());

    public VSchema {
        vindexes = Collections.unmodifiableMap(new LinkedHashMap<>(vindexes));
        tables = Collections.unmodifiableMap(new LinkedHashMap<>(tables));
        Problems problems = new Problems();
        vindexes.forEach((key, vindex) -> {
            if (!key.equals(vindex.name())) {
                problems.add("vindexes." + key,
                        "is keyed by a different name than its vindex " + Problems.quote(vindex.name()));
            }
        });
        tables.forEach((key, table) -> {
            if (!key.equals(table.name())) {
                problems.add("tables." + key,
                        "is keyed by a different name than its table " + Problems.quote(table.name()));
            }
        });
        problems.throwIfAny();
    }

    public Optional<Vindex> vindex(String name) {
        return Optional.ofNullable(vindexes.get(Objects.requireNonNull(name, "name")));
    }

    public Optional<Table> table(String name) {
        return Optional.ofNullable(tables.get(Objects.requireNonNull(name, "name")));
    }
}
