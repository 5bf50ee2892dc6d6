package io.switchyard.replication.workflow;

import io.switchyard.config.Keyspace;
import io.switchyard.config.SwitchyardConfig;
import io.switchyard.routing.plan.KeyspaceSchema;
import io.switchyard.routing.plan.RoutingSnapshot;
import io.switchyard.routing.plan.TableSchema;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Pattern;

/**
 * What a MoveTables workflow moves: {@code CREATE WORKFLOW name MOVE TABLES tables | ALL FROM source TO target
 * WITH (options)}.
 *
 * @param tables empty for every base table of the source (resolved by {@link #validate})
 */
public record MoveTablesSpec(String name, String sourceKeyspace, String targetKeyspace, List<String> tables,
                             WorkflowOptions options) {
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
        Objects.requireNonNull(options, "options");
        tables = List.copyOf(tables);
        requireArgument(NAME.matcher(name).matches(), "workflow name '%s' must be 1-64 letters, digits or '_'", name);
    }

    /** A spec with {@link WorkflowOptions#DEFAULTS}. */
    public static MoveTablesSpec of(String name, String sourceKeyspace, String targetKeyspace, List<String> tables) {
        return new MoveTablesSpec(name, sourceKeyspace, targetKeyspace, tables, WorkflowOptions.DEFAULTS);
    }

    public MoveTablesSpec withOptions(WorkflowOptions newOptions) {
        return new MoveTablesSpec(name, sourceKeyspace, targetKeyspace, tables, newOptions);
    }

    public boolean deferSecondaryKeys() {
        return options.deferSecondaryKeys();
    }

    public OnDdl onDdl() {
        return options.onDdl();
    }

    /** As {@link #validate(SwitchyardConfig, Set, RoutingSnapshot)} with the config's own vschemas. */
    public MoveTablesSpec validate(SwitchyardConfig config, Set<String> sourceTables) {
        return validate(config, sourceTables, RoutingSnapshot.fromConfig(config));
    }

    /**
     * Checks the spec against the config and the source's tables, and returns it with {@link #tables} resolved
     * (every source table, sorted, when it was empty).
     *
     * @param sourceTables the base tables of the source keyspace's database
     * @param vschemas     the current vschemas (config plus ALTER VSCHEMA changes in the topology store)
     * @throws IllegalArgumentException saying what is wrong and what to do about it
     */
    public MoveTablesSpec validate(SwitchyardConfig config, Set<String> sourceTables, RoutingSnapshot vschemas) {
        Keyspace source = keyspace(config, sourceKeyspace, "source");
        Keyspace target = keyspace(config, targetKeyspace, "target");
        requireArgument(!source.name().equals(target.name()), "workflow %s: source and target keyspace are both '%s';"
                + " MoveTables moves tables between two different keyspaces", name, source.name());
        KeyspaceSchema targetSchema = vschemas.keyspace(target.name()).orElseThrow();
        String global = options.globalKeyspace();
        if (!global.isEmpty()) {
            Keyspace globalKeyspace = keyspace(config, global, "global");
            requireArgument(!globalKeyspace.sharded(), "workflow %s: global_keyspace '%s' is sharded; sequence tables"
                    + " live in an unsharded keyspace", name, global);
            requireArgument(target.sharded(), "workflow %s: global_keyspace is for sharded targets, and '%s' is"
                    + " unsharded: its tables keep their own AUTO_INCREMENT", name, target.name());
        }
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
            } else if (target.sharded() && targetSchema.table(table).flatMap(TableSchema::primaryVindex).isEmpty()) {
                problems.add("table '" + table + "' has no column vindex in the vschema of sharded target keyspace '"
                        + target.name() + "': add it, e.g. ALTER VSCHEMA ON " + target.name() + "." + table
                        + " ADD VINDEX hash(<column>) USING hash, or under keyspaces." + target.name()
                        + ".vschema.tables." + table + ".column_vindexes in the config");
            }
        }
        requireArgument(problems.isEmpty(), "workflow %s: %s", name, String.join("; ", problems));
        return new MoveTablesSpec(name, sourceKeyspace, targetKeyspace, resolved, options);
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
