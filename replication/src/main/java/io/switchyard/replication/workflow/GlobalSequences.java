package io.switchyard.replication.workflow;

import io.switchyard.config.Keyspace;
import io.switchyard.config.Shard;
import io.switchyard.config.SwitchyardConfig;
import io.switchyard.replication.copy.SqlConnector;
import io.switchyard.routing.plan.KeyspaceSchema;
import io.switchyard.routing.plan.TableSchema;
import io.switchyard.routing.plan.VSchemaChange;
import io.switchyard.routing.topo.TopologyStore;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * AUTO_INCREMENT for tables moving into a sharded keyspace ({@code global_keyspace}): shards cannot each hand out
 * ids, so every moved table with an AUTO_INCREMENT column gets a Vitess-style sequence table {@code <table>_seq} in
 * the unsharded global keyspace and an {@code auto_increment} entry in the target vschema; the gateway then assigns
 * ids from it. The sequence starts above every id the source handed out when primary traffic switches
 * ({@link #initialize}); until then the source keeps assigning them.
 */
final class GlobalSequences {
    private GlobalSequences() {
    }

    /** Creates the sequence tables and vschema entries that are missing. Idempotent. */
    static void create(MoveTablesSpec spec, SwitchyardConfig config, TopologyStore topology, SqlConnector source,
                       Servers servers) throws SQLException {
        Map<String, String> columns = autoIncrementColumns(spec, config, source);
        if (columns.isEmpty()) {
            return;
        }
        Keyspace global = config.keyspace(spec.options().globalKeyspace()).orElseThrow();
        Shard shard = global.shards().get(0);
        try (Connection connection = servers.primary(global, shard).open();
             Statement statement = connection.createStatement()) {
            for (String table : columns.keySet()) {
                String sequence = "`" + global.database() + "`.`" + table + "_seq`";
                statement.execute("CREATE TABLE IF NOT EXISTS " + sequence + " (id INT UNSIGNED NOT NULL PRIMARY KEY,"
                        + " next_id BIGINT UNSIGNED NOT NULL, cache BIGINT UNSIGNED NOT NULL) ENGINE=InnoDB"
                        + " COMMENT 'vitess_sequence'");
                statement.execute("INSERT IGNORE INTO " + sequence + " (id, next_id, cache) VALUES (0, 1, 1000)");
            }
        }
        for (Map.Entry<String, String> entry : columns.entrySet()) {
            String sequence = entry.getKey() + "_seq";
            KeyspaceSchema globalSchema = topology.loadSnapshot().keyspace(global.name()).orElseThrow();
            if (!globalSchema.table(sequence).map(TableSchema::sequence).orElse(false)) {
                topology.applyVSchemaChange(new VSchemaChange.AddSequence(global.name(), sequence));
            }
            KeyspaceSchema targetSchema = topology.loadSnapshot().keyspace(spec.targetKeyspace()).orElseThrow();
            if (targetSchema.table(entry.getKey()).flatMap(TableSchema::autoIncrement).isEmpty()) {
                topology.applyVSchemaChange(new VSchemaChange.AddAutoIncrement(spec.targetKeyspace(), entry.getKey(),
                        entry.getValue(), global.name() + "." + sequence));
            }
        }
    }

    /**
     * Moves every sequence past the largest id the source handed out, so the gateway never reuses one. Call it while
     * writes to the tables are held, before they go to the target.
     */
    static void initialize(MoveTablesSpec spec, SwitchyardConfig config, List<SqlConnector> sourceShards,
                           Servers servers) throws SQLException {
        Map<String, String> columns = autoIncrementColumns(spec, config, sourceShards.get(0));
        if (columns.isEmpty() || spec.options().globalKeyspace().isEmpty()) {
            return;
        }
        Keyspace global = config.keyspace(spec.options().globalKeyspace()).orElseThrow();
        Shard shard = global.shards().get(0);
        try (Connection to = servers.primary(global, shard).open()) {
            for (Map.Entry<String, String> entry : columns.entrySet()) {
                long max = 0;
                for (SqlConnector source : sourceShards) {
                    try (Connection from = source.open(); Statement statement = from.createStatement();
                         ResultSet rs = statement.executeQuery("SELECT COALESCE(MAX(`" + entry.getValue() + "`), 0)"
                                 + " FROM `" + entry.getKey() + "`")) {
                        rs.next();
                        max = Math.max(max, rs.getLong(1));
                    }
                }
                try (PreparedStatement update = to.prepareStatement("UPDATE `" + global.database() + "`.`"
                        + entry.getKey() + "_seq` SET next_id = GREATEST(next_id, ?) WHERE id = 0")) {
                    update.setLong(1, max + 1);
                    update.executeUpdate();
                }
            }
        }
    }

    /** Moved tables with an AUTO_INCREMENT column on the source, to that column. */
    private static Map<String, String> autoIncrementColumns(MoveTablesSpec spec, SwitchyardConfig config,
                                                            SqlConnector source) throws SQLException {
        Map<String, String> columns = new LinkedHashMap<>();
        String database = config.keyspace(spec.sourceKeyspace()).orElseThrow().database();
        try (Connection connection = source.open();
             PreparedStatement select = connection.prepareStatement("SELECT table_name, column_name FROM"
                     + " information_schema.columns WHERE table_schema = ? AND extra LIKE '%auto_increment%'")) {
            select.setString(1, database);
            try (ResultSet rs = select.executeQuery()) {
                while (rs.next()) {
                    String table = rs.getString(1);
                    if (spec.tables().stream().anyMatch(table::equalsIgnoreCase)) {
                        columns.put(table, rs.getString(2));
                    }
                }
            }
        }
        return columns;
    }
}
