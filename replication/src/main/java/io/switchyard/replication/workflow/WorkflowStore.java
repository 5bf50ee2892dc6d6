package io.switchyard.replication.workflow;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.switchyard.replication.copy.SqlConnector;

import java.math.BigDecimal;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Workflow definitions and per-table copy completion in the topology store (design.md, "Where state lives"):
 * {@code workflows(name, spec_json, state, message, created_at, updated_at)} and
 * {@code workflow_tables(workflow, source_shard, table_name, state, rows_copied)}. A table row with state
 * {@code copied} means the table's copy and its fast-forward to the copy's snapshot are durable on every target;
 * anything else about a table's copy is recomputed on resume. Each method uses its own autocommit connection.
 */
final class WorkflowStore {
    static final String COPIED = "copied";
    private static final List<String> SCHEMA = List.of(
            "CREATE TABLE IF NOT EXISTS workflows (name VARBINARY(64) NOT NULL PRIMARY KEY, spec_json TEXT NOT NULL,"
                    + " state VARBINARY(32) NOT NULL, message TEXT NOT NULL,"
                    + " created_at TIMESTAMP(6) NOT NULL DEFAULT CURRENT_TIMESTAMP(6),"
                    + " updated_at TIMESTAMP(6) NOT NULL DEFAULT CURRENT_TIMESTAMP(6)) ENGINE=InnoDB",
            "CREATE TABLE IF NOT EXISTS workflow_tables (workflow VARBINARY(64) NOT NULL,"
                    + " source_shard VARBINARY(128) NOT NULL, table_name VARBINARY(128) NOT NULL,"
                    + " state VARBINARY(32) NOT NULL, rows_copied BIGINT UNSIGNED NOT NULL DEFAULT 0,"
                    + " PRIMARY KEY (workflow, source_shard, table_name)) ENGINE=InnoDB");

    private final SqlConnector topology;
    private final ObjectMapper json = new ObjectMapper();

    WorkflowStore(SqlConnector topology) throws SQLException {
        this.topology = topology;
        try (Connection connection = topology.open(); Statement statement = connection.createStatement()) {
            for (String sql : SCHEMA) {
                statement.execute(sql);
            }
        }
    }

    /** Stores a new definition in state {@code pending}; a duplicate name fails with the driver's duplicate-key error. */
    void create(MoveTablesSpec spec, Instant now) throws SQLException {
        Map<String, Object> fields = new LinkedHashMap<>();
        fields.put("name", spec.name());
        fields.put("source", spec.sourceKeyspace());
        fields.put("target", spec.targetKeyspace());
        fields.put("tables", spec.tables());
        WorkflowOptions o = spec.options();
        fields.put("defer_secondary_keys", o.deferSecondaryKeys());
        fields.put("on_ddl", o.onDdl().name());
        fields.put("global_keyspace", o.globalKeyspace());
        fields.put("stop_after_copy", o.stopAfterCopy());
        fields.put("copy_parallelism", o.copyParallelism());
        fields.put("auto_start", o.autoStart());
        String text;
        try {
            text = json.writeValueAsString(fields);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot serialise " + spec, e);
        }
        update("INSERT INTO workflows (name, spec_json, state, message, created_at, updated_at)"
                + " VALUES (?, ?, 'pending', '', FROM_UNIXTIME(?), FROM_UNIXTIME(?))", spec.name(), text,
                seconds(now), seconds(now));
    }

    /** Every workflow's name, oldest first. */
    List<String> names() throws SQLException {
        List<String> names = new java.util.ArrayList<>();
        try (Connection connection = topology.open(); Statement select = connection.createStatement();
             ResultSet rs = select.executeQuery("SELECT name FROM workflows ORDER BY created_at, name")) {
            while (rs.next()) {
                names.add(rs.getString(1));
            }
        }
        return names;
    }

    Optional<MoveTablesSpec> read(String name) throws SQLException {
        try (Connection connection = topology.open();
             PreparedStatement select = connection.prepareStatement("SELECT spec_json FROM workflows WHERE name = ?")) {
            select.setString(1, name);
            try (ResultSet rs = select.executeQuery()) {
                if (!rs.next()) {
                    return Optional.empty();
                }
                Map<?, ?> f = json.readValue(rs.getString(1), Map.class);
                List<String> tables = ((List<?>) f.get("tables")).stream().map(String::valueOf).toList();
                WorkflowOptions d = WorkflowOptions.DEFAULTS; // fields added later are absent from older rows
                WorkflowOptions options = new WorkflowOptions(
                        (Boolean) f.get("defer_secondary_keys"), MoveTablesSpec.OnDdl.valueOf((String) f.get("on_ddl")),
                        f.containsKey("global_keyspace") ? (String) f.get("global_keyspace") : d.globalKeyspace(),
                        f.containsKey("stop_after_copy") ? (Boolean) f.get("stop_after_copy") : d.stopAfterCopy(),
                        f.containsKey("copy_parallelism") ? ((Number) f.get("copy_parallelism")).intValue()
                                : d.copyParallelism(),
                        f.containsKey("auto_start") ? (Boolean) f.get("auto_start") : d.autoStart());
                return Optional.of(new MoveTablesSpec((String) f.get("name"), (String) f.get("source"),
                        (String) f.get("target"), tables, options));
            } catch (JsonProcessingException e) {
                throw new SQLException("workflow " + name + " has an unreadable spec_json: " + e.getMessage(), e);
            }
        }
    }

    /** When the workflow was created; {@code Instant.EPOCH} if it is not in the store. */
    Instant createdAt(String name) throws SQLException {
        try (Connection connection = topology.open();
             PreparedStatement select = connection.prepareStatement("SELECT UNIX_TIMESTAMP(created_at) FROM workflows"
                     + " WHERE name = ?")) {
            select.setString(1, name);
            try (ResultSet rs = select.executeQuery()) {
                if (!rs.next()) {
                    return Instant.EPOCH;
                }
                BigDecimal seconds = rs.getBigDecimal(1);
                return Instant.ofEpochSecond(seconds.longValue(),
                        seconds.remainder(BigDecimal.ONE).movePointRight(9).longValue());
            }
        }
    }

    void setState(String name, String state, String message, Instant now) throws SQLException {
        update("UPDATE workflows SET state = ?, message = ?, updated_at = FROM_UNIXTIME(?) WHERE name = ?", state,
                message, seconds(now), name);
    }

    /** Records that {@code table} is copied and caught up to its snapshot on every target of {@code sourceShard}. */
    void markCopied(String workflow, String sourceShard, String table, long rows) throws SQLException {
        update("REPLACE INTO workflow_tables (workflow, source_shard, table_name, state, rows_copied)"
                + " VALUES (?, ?, ?, '" + COPIED + "', ?)", workflow, sourceShard, table, rows);
    }

    /**
     * Forgets that {@code tables} were copied, for every source shard, before they are copied again: a table counts
     * as copied only when every source shard has it (see {@link #copiedTables}).
     */
    void unmarkCopied(String workflow, List<String> tables) throws SQLException {
        for (String table : tables) {
            update("DELETE FROM workflow_tables WHERE workflow = ? AND table_name = ?", workflow, table);
        }
    }

    /** Copied tables of {@code sourceShard}, with their row counts. */
    Map<String, Long> copiedTables(String workflow, String sourceShard) throws SQLException {
        Map<String, Long> copied = new LinkedHashMap<>();
        try (Connection connection = topology.open();
             PreparedStatement select = connection.prepareStatement("SELECT table_name, rows_copied FROM"
                     + " workflow_tables WHERE workflow = ? AND source_shard = ? AND state = '" + COPIED + "'")) {
            select.setString(1, workflow);
            select.setString(2, sourceShard);
            try (ResultSet rs = select.executeQuery()) {
                while (rs.next()) {
                    copied.put(rs.getString(1), rs.getLong(2));
                }
            }
        }
        return copied;
    }

    private void update(String sql, Object... values) throws SQLException {
        try (Connection connection = topology.open(); PreparedStatement statement = connection.prepareStatement(sql)) {
            for (int i = 0; i < values.length; i++) {
                statement.setObject(i + 1, values[i]);
            }
            statement.executeUpdate();
        }
    }

    private static BigDecimal seconds(Instant instant) {
        return BigDecimal.valueOf(instant.getEpochSecond()).add(BigDecimal.valueOf(instant.getNano() / 1000, 6));
    }
}
