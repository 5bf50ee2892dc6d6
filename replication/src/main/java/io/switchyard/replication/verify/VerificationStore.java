package io.switchyard.replication.verify;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.switchyard.replication.copy.SqlConnector;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Per-table verification state in the topology store, next to the workflow tables:
 * {@code workflow_verifications(workflow, table_name, position, state, started, finished, processed, matching,
 * matching_collation, mismatched, extra_source, extra_target, misplaced_target, sample_pks, message)}, one row per
 * table of a workflow's latest verification; {@code started} and {@code finished} are UTC; {@code sample_pks} is JSON:
 * {@code {"mismatched":[..],"extra_source":[..],"extra_target":[..],"misplaced_target":[..],
 * "mismatched_columns":{"col":n}}}.
 *
 * <p>{@link #plan} starts a verification: every table {@link State#PENDING}. A table is {@link State#RUNNING} while its
 * diff runs and {@link State#DONE} (with its report) or {@link State#ERROR} (with a message) after. Only DONE is final:
 * after a restart, {@link #unfinished} lists the pending, running and failed tables, and the caller diffs those again
 * from fresh snapshots; a diff always covers a whole table, so a table is either verified from one snapshot or not at
 * all. Each method uses its own autocommit connection.
 */
public final class VerificationStore {
    /** A table's verification state, stored by name. */
    public enum State { PENDING, RUNNING, DONE, ERROR }

    /**
     * One table's row.
     *
     * @param report  present when the state is DONE
     * @param message why the table failed (ERROR), empty otherwise
     */
    public record TableVerification(String workflow, String table, State state, Optional<VerifyReport> report,
                                    String message) {
    }

    private static final String SCHEMA = "CREATE TABLE IF NOT EXISTS workflow_verifications ("
            + " workflow VARBINARY(64) NOT NULL, table_name VARBINARY(128) NOT NULL, position INT NOT NULL,"
            + " state VARBINARY(16) NOT NULL, started DATETIME(6) NULL, finished DATETIME(6) NULL,"
            + " processed BIGINT UNSIGNED NOT NULL DEFAULT 0, matching BIGINT UNSIGNED NOT NULL DEFAULT 0,"
            + " matching_collation BIGINT UNSIGNED NOT NULL DEFAULT 0,"
            + " misplaced_target BIGINT UNSIGNED NOT NULL DEFAULT 0,"
            + " mismatched BIGINT UNSIGNED NOT NULL DEFAULT 0, extra_source BIGINT UNSIGNED NOT NULL DEFAULT 0,"
            + " extra_target BIGINT UNSIGNED NOT NULL DEFAULT 0, sample_pks TEXT NULL, message TEXT NOT NULL,"
            + " PRIMARY KEY (workflow, table_name)) ENGINE=InnoDB";

    private final SqlConnector topology;
    private final ObjectMapper json = new ObjectMapper();

    /** Connects to the topology store and creates the table if it does not exist. */
    public VerificationStore(SqlConnector topology) throws SQLException {
        this.topology = topology;
        try (Connection connection = topology.open(); Statement statement = connection.createStatement()) {
            statement.execute(SCHEMA);
        }
    }

    /** Replaces {@code workflow}'s previous verification, if any, with {@code tables} all pending, in this order. */
    public void plan(String workflow, List<String> tables) throws SQLException {
        try (Connection connection = topology.open()) {
            connection.setAutoCommit(false);
            try (PreparedStatement delete = connection.prepareStatement(
                    "DELETE FROM workflow_verifications WHERE workflow = ?");
                 PreparedStatement insert = connection.prepareStatement("INSERT INTO workflow_verifications"
                         + " (workflow, table_name, position, state, message) VALUES (?, ?, ?, 'PENDING', '')")) {
                delete.setString(1, workflow);
                delete.executeUpdate();
                for (int i = 0; i < tables.size(); i++) {
                    insert.setString(1, workflow);
                    insert.setString(2, tables.get(i));
                    insert.setInt(3, i);
                    insert.addBatch();
                }
                insert.executeBatch();
                connection.commit();
            } catch (SQLException | RuntimeException e) {
                connection.rollback();
                throw e;
            }
        }
    }

    /** The tables not yet DONE, in planned order: what a resumed verification still has to diff. */
    public List<String> unfinished(String workflow) throws SQLException {
        List<String> tables = new ArrayList<>();
        for (TableVerification table : tables(workflow)) {
            if (table.state() != State.DONE) {
                tables.add(table.table());
            }
        }
        return tables;
    }

    /** {@code table}'s diff starts now. */
    public void markRunning(String workflow, String table, Instant now) throws SQLException {
        updateTable(workflow, table, "UPDATE workflow_verifications SET state = 'RUNNING', started = ?,"
                + " finished = NULL, message = '' WHERE workflow = ? AND table_name = ?", utc(now), workflow, table);
    }

    /** {@code report.table()}'s diff ran to the end; stores its report. */
    public void markDone(String workflow, VerifyReport report) throws SQLException {
        updateTable(workflow, report.table(), "UPDATE workflow_verifications SET state = 'DONE', started = ?,"
                        + " finished = ?, processed = ?, matching = ?, matching_collation = ?, mismatched = ?,"
                        + " extra_source = ?, extra_target = ?, misplaced_target = ?, sample_pks = ?, message = ''"
                        + " WHERE workflow = ? AND table_name = ?",
                utc(report.started()), utc(report.finished()), report.processed(),
                report.matching(), report.matchingUnderCollation(), report.mismatched(), report.extraSource(),
                report.extraTarget(), report.misplacedTarget(), samplesJson(report), workflow, report.table());
    }

    /** {@code table}'s diff could not run or finish; a later resume tries it again. */
    public void markFailed(String workflow, String table, String message, Instant now) throws SQLException {
        updateTable(workflow, table, "UPDATE workflow_verifications SET state = 'ERROR', finished = ?, message = ?"
                + " WHERE workflow = ? AND table_name = ?", utc(now), message, workflow, table);
    }

    /** Every table of {@code workflow}'s latest verification, in planned order; empty if there is none. */
    public List<TableVerification> tables(String workflow) throws SQLException {
        List<TableVerification> tables = new ArrayList<>();
        try (Connection connection = topology.open();
             PreparedStatement select = connection.prepareStatement("SELECT table_name, state, started, finished,"
                     + " processed, matching, mismatched, extra_source, extra_target, sample_pks, message,"
                     + " matching_collation, misplaced_target"
                     + " FROM workflow_verifications WHERE workflow = ? ORDER BY position")) {
            select.setString(1, workflow);
            try (ResultSet rs = select.executeQuery()) {
                while (rs.next()) {
                    String table = rs.getString("table_name");
                    State state = State.valueOf(rs.getString("state"));
                    Optional<VerifyReport> report = state == State.DONE ? Optional.of(report(table, rs))
                            : Optional.empty();
                    tables.add(new TableVerification(workflow, table, state, report, rs.getString("message")));
                }
            }
        }
        return tables;
    }

    /** Forgets {@code workflow}'s verification (when the workflow is deleted). */
    public void delete(String workflow) throws SQLException {
        update("DELETE FROM workflow_verifications WHERE workflow = ?", workflow);
    }

    private VerifyReport report(String table, ResultSet rs) throws SQLException {
        JsonNode samples;
        try {
            samples = json.readTree(rs.getString("sample_pks"));
        } catch (JsonProcessingException e) {
            throw new SQLException("workflow_verifications: unreadable sample_pks of " + table + ": " + e.getMessage(),
                    e);
        }
        Map<String, Long> columns = new LinkedHashMap<>();
        samples.path("mismatched_columns").fields()
                .forEachRemaining(e -> columns.put(e.getKey(), e.getValue().asLong()));
        return new VerifyReport(table, rs.getLong("processed"), rs.getLong("matching"),
                rs.getLong("matching_collation"), rs.getLong("mismatched"), rs.getLong("extra_source"),
                rs.getLong("extra_target"), rs.getLong("misplaced_target"), texts(samples.path("mismatched")),
                texts(samples.path("extra_source")), texts(samples.path("extra_target")),
                texts(samples.path("misplaced_target")), columns, instant(rs, "started"), instant(rs, "finished"));
    }

    private String samplesJson(VerifyReport report) {
        ObjectNode root = json.createObjectNode();
        report.mismatchedSamples().forEach(root.putArray("mismatched")::add);
        report.extraSourceSamples().forEach(root.putArray("extra_source")::add);
        report.extraTargetSamples().forEach(root.putArray("extra_target")::add);
        report.misplacedSamples().forEach(root.putArray("misplaced_target")::add);
        ObjectNode columns = root.putObject("mismatched_columns");
        report.mismatchedColumns().forEach(columns::put);
        return root.toString();
    }

    // DATETIME in UTC rather than TIMESTAMP: no session or JVM time zone can shift the stored times.
    private static LocalDateTime utc(Instant instant) {
        return LocalDateTime.ofInstant(instant, ZoneOffset.UTC);
    }

    private static Instant instant(ResultSet rs, String column) throws SQLException {
        return rs.getObject(column, LocalDateTime.class).toInstant(ZoneOffset.UTC);
    }

    private static List<String> texts(JsonNode array) {
        List<String> texts = new ArrayList<>();
        array.forEach(node -> texts.add(node.asText()));
        return texts;
    }

    /** Updates one planned table's row; a table that was never planned is a caller bug, not something to ignore. */
    private void updateTable(String workflow, String table, String sql, Object... values) throws SQLException {
        if (update(sql, values) != 1) {
            throw new IllegalStateException("workflow " + workflow + " has no planned verification of table " + table
                    + "; call plan first");
        }
    }

    private int update(String sql, Object... values) throws SQLException {
        try (Connection connection = topology.open(); PreparedStatement statement = connection.prepareStatement(sql)) {
            for (int i = 0; i < values.length; i++) {
                statement.setObject(i + 1, values[i]);
            }
            return statement.executeUpdate();
        }
    }
}
