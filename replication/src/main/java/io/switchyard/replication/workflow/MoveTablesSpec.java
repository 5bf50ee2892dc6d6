package io.switchyard.replication.workflow;

import io.switchyard.config.Keyspace;
import io.switchyard.config.SwitchyardConfig;
import io.switchyard.config.Table;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Pattern;

/**
 * What a MoveTables workflow moves: {@code CREATE WORKFLOW name MOVE TABLES tables | ALL FROM source TO target
 * WITH (defer_secondary_keys, on_ddl)}.
 *
 * @param tables empty for every base table of the source (resolved by {@link #validate})
 */
public record MoveTablesSpec(String name, String sourceKeyspace, String targetKeyspace, List<String> tables,
                             boolean deferSecondaryKeys, OnDdl onDdl) {
    /** Workflow names end up in {@code _switchyard.stream.workflow} (VARBINARY(64)) and in admin SQL. */
    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9_]{1,64}");

    /** Vitess's on_ddl policies; what the stream does when the source runs a DDL (see {@link io.switchyard.replication.apply.OnDdl}). */
    public enum OnDdl {
        IGNORE, STOP, EXEC, EXEC_IGNORE;

        /** The applier's policy of the same name. */
        io.switchyard.replication.apply.OnDdl policy() {
            return io.switchyard.replication.apply.OnDdl.valueOf(name());
        }
    }

    public MoveTablesSpec {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(sourceKeyspace, "sourceKeyspace");
        Objects.requireNonNull(targetKeyspace, "targetKeyspace");
        Objects.requireNonNull(onDdl, "onDdl");
        tables = List.copyOf(tables);
        requireArgument(NAME.matcher(name).matches(), "workflow name '%s' must be 1-64 letters, digits or '_'", name);
    }

    /** A spec with the defaults: {@code defer_secondary_keys = true}, {@code on_ddl = 'STOP'}. */
    public static MoveTablesSpec of(String name, String sourceKeyspace, String targetKeyspace, List<String> tables) {
        return new MoveTablesSpec(name, sourceKeyspace, targetKeyspace, tables, true, OnDdl.STOP);
    }

    /**
     * Checks the spec against the config and the source's tables, and returns it with {@link #tables} resolved
     * (every source table, sorted, when it was empty).
     *
     * @param sourceTables the base tables of the source keyspace's database
     * @throws IllegalArgumentException saying what is wrong and what to do about it
     */
    public MoveTablesSpec validate(SwitchyardConfig config, Set<String> sourceTables) {
        Keyspace source = keyspace(config, sourceKeyspace, "source");
        Keyspace target = keyspace(config, targetKeyspace, "target");
        requireArgument(!source.name().equals(target.name()), "workflow %s: source and target keyspace are both '%s';"
                + " MoveTables moves tables between two different keyspaces", name, source.name());
        // A sharded source needs per-source-shard recopy coordination that is not built yet (see MoveTablesWorkflow).
        requireArgument(!source.sharded(), "workflow %s: moving tables out of the sharded keyspace '%s' is not"
                + " supported yet", name, source.name());
        Set<String> lowerSource = new TreeSet<>();
        sourceTables.forEach(t -> lowerSource.add(t.toLowerCase(Locale.ROOT)));
        List<String> resolved = tables.isEmpty() ? List.copyOf(new TreeSet<>(sourceTables)) : tables;
        requireArgument(!resolved.isEmpty(), "workflow %s: source keyspace '%s' has no tables to move", name,
                source.name());
        List<String> problems = new ArrayList<>();
        Set<String> seen = new TreeSet<>();
        for (String table : resolved) {
            String lower = table.toLowerCase(Locale.ROOT);
            if (!seen.add(lower)) {
                problems.add("table '" + table + "' is listed twice");
            } else if (!lowerSource.contains(lower)) {
                problems.add("table '" + table + "' does not exist in source keyspace '" + source.name() + "'");
            } else if (target.sharded() && target.vschema().table(table).flatMap(Table::primaryVindex).isEmpty()) {
                problems.add("table '" + table + "' has no column vindex in the vschema of sharded target keyspace '"
                        + target.name() + "': add it, e.g. ALTER VSCHEMA ON " + target.name() + "." + table
                        + " ADD VINDEX hash(<column>) USING hash, or under keyspaces." + target.name()
                        + ".vschema.tables." + table + ".column_vindexes in the config");
            }
        }
        requireArgument(problems.isEmpty(), "workflow %s: %s", name, String.join("; ", problems));
        return new MoveTablesSpec(name, sourceKeyspace, targetKeyspace, resolved, deferSecondaryKeys, onDdl);
    }

    private Keyspace keyspace(SwitchyardConfig config, String keyspace, String role) {
        return config.keyspace(keyspace).orElseThrow(() -> new IllegalArgumentException(String.format(
                "workflow %s: %s keyspace '%s' is not in the config; configured keyspaces: %s", name, role, keyspace,
                config.keyspaces().stream().map(Keyspace::name).toList())));
    }

    private static void requireArgument(boolean condition, String format, Object... args) {
        if (!condition) {
            throw new IllegalArgumentException(String.format(format, args));
        }
    }
}
