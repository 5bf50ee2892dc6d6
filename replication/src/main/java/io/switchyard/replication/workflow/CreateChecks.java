package io.switchyard.replication.workflow;

import io.switchyard.config.Keyspace;
import io.switchyard.config.Shard;
import io.switchyard.config.SwitchyardConfig;
import io.switchyard.replication.copy.CopyException;
import io.switchyard.replication.copy.SourceTable;
import io.switchyard.routing.topo.TopologyStore;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

/**
 * What {@code CREATE WORKFLOW} checks against the servers before recording anything: the spec against the config,
 * the current vschemas and the source's tables; foreign keys staying within the moved tables and between unsharded
 * keyspaces; no moved table already on the target (a recopy would drop it).
 */
final class CreateChecks {
    private CreateChecks() {
    }

    /**
     * The spec with its tables resolved.
     *
     * @throws IllegalArgumentException saying what is wrong and what to do about it
     */
    static MoveTablesSpec resolve(MoveTablesSpec spec, SwitchyardConfig config, TopologyStore topology,
                                  Servers servers) throws SQLException {
        Keyspace source = config.keyspace(spec.sourceKeyspace()).orElseThrow(() -> new IllegalArgumentException(
                "workflow " + spec.name() + ": source keyspace '" + spec.sourceKeyspace() + "' is not in the config"));
        MoveTablesSpec resolved = spec.validate(config, baseTables(servers, source, source.shards().get(0)),
                topology.loadSnapshot());
        Keyspace target = config.keyspace(spec.targetKeyspace()).orElseThrow();
        List<ForeignKeys.Reference> references;
        try (Connection connection = servers.primary(source, source.shards().get(0)).open()) {
            references = ForeignKeys.read(connection, source.database());
        }
        ForeignKeys.units(spec.name(), source.database(), resolved.tables(), references); // refuses dangling FKs
        requireRowKeys(spec.name(), servers, source, resolved.tables());
        Set<String> linked = ForeignKeys.linkedTables(resolved.tables(), references);
        if (!linked.isEmpty() && (target.sharded() || source.sharded())) {
            // A sharded target's constraint cannot see rows on other shards; from a sharded source, parent and child
            // rows arrive over different streams in no particular order.
            throw new IllegalArgumentException("workflow " + spec.name() + ": tables " + linked + " have foreign"
                    + " keys, which Switchyard moves only between unsharded keyspaces, and keyspace '"
                    + (target.sharded() ? target.name() : source.name()) + "' is sharded; drop the constraints"
                    + " first, or move the tables to an unsharded keyspace");
        }
        for (Shard shard : target.shards()) {
            Set<String> existing = baseTables(servers, target, shard);
            for (String table : resolved.tables()) {
                if (existing.stream().anyMatch(table::equalsIgnoreCase)) {
                    throw new IllegalArgumentException("workflow " + spec.name() + ": table '" + table
                            + "' already exists in target keyspace '" + target.name() + "' on shard " + shard.name()
                            + "; drop it there or leave it out of the workflow");
                }
            }
        }
        return resolved;
    }

    /**
     * What {@code VALIDATE WORKFLOW} shows and {@code CREATE WORKFLOW} enforces, as rows: the keyspaces, vschema and
     * tables ({@link #resolve}'s checks; a failure there ends the report), the tables that will be created on the
     * target, and the storage check per target shard.
     */
    static List<CreateCheck> report(MoveTablesSpec spec, SwitchyardConfig config, TopologyStore topology,
                                    Servers servers) throws SQLException {
        List<CreateCheck> rows = new ArrayList<>();
        MoveTablesSpec resolved;
        try {
            resolved = resolve(spec, config, topology, servers);
        } catch (IllegalArgumentException e) {
            rows.add(new CreateCheck(CreateCheck.SCHEMA, CreateCheck.Status.FAIL, e.getMessage()));
            return rows;
        }
        Keyspace source = config.keyspace(spec.sourceKeyspace()).orElseThrow();
        Keyspace target = config.keyspace(spec.targetKeyspace()).orElseThrow();
        rows.add(new CreateCheck(CreateCheck.SCHEMA, CreateCheck.Status.PASS, "keyspaces " + source.name() + " and "
                + target.name() + " exist, the vschema is valid for the tables, every table has a row key and no"
                + " foreign key leaves the moved tables"));
        rows.add(new CreateCheck(CreateCheck.TABLES, CreateCheck.Status.PASS, "will be created in target keyspace "
                + target.name() + " on " + target.shards().size() + " shard(s): " + String.join(", ",
                resolved.tables())));
        for (StorageCheck.Verdict verdict : StorageCheck.run(servers, source, target,
                resolved.tables())) {
            rows.add(new CreateCheck(CreateCheck.STORAGE, verdict.availableBytes().isEmpty()
                    ? CreateCheck.Status.UNKNOWN : verdict.enough() ? CreateCheck.Status.PASS
                    : CreateCheck.Status.FAIL, StorageCheck.message(target.name(), verdict)));
        }
        return rows;
    }

    /** Every table needs a primary key or a unique NOT NULL key: the copy pages by it, replication finds rows by it. */
    private static void requireRowKeys(String workflow, Servers servers, Keyspace source, List<String> tables)
            throws SQLException {
        List<String> problems = new ArrayList<>();
        try (Connection connection = servers.primary(source, source.shards().get(0)).open()) {
            for (String table : tables) {
                try {
                    SourceTable.load(connection, source.database(), table);
                } catch (CopyException e) {
                    problems.add("table '" + table + "' has no primary key and no unique key over NOT NULL columns");
                }
            }
        }
        if (!problems.isEmpty()) {
            throw new IllegalArgumentException("workflow " + workflow + ": " + String.join("; ", problems)
                    + "; Switchyard copies rows in key order and finds the row each change touches by that key: add a"
                    + " PRIMARY KEY (or a UNIQUE key over NOT NULL columns), or leave the table out");
        }
    }

    private static Set<String> baseTables(Servers servers, Keyspace keyspace, Shard shard) throws SQLException {
        Set<String> tables = new TreeSet<>();
        try (Connection connection = servers.primary(keyspace, shard).open();
             PreparedStatement select = connection.prepareStatement("SELECT table_name FROM information_schema.tables"
                     + " WHERE table_schema = ? AND table_type = 'BASE TABLE'")) {
            select.setString(1, keyspace.database());
            try (ResultSet rs = select.executeQuery()) {
                while (rs.next()) {
                    tables.add(rs.getString(1));
                }
            }
        }
        return tables;
    }
}
