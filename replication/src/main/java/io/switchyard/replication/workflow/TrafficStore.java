package io.switchyard.replication.workflow;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.switchyard.replication.copy.SqlConnector;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * Where a workflow's traffic is served, its lifecycle, and the journal of a traffic switch in progress, in the
 * topology store: {@code workflow_traffic(workflow, traffic, lifecycle, journal, copied_at, finished_at)}.
 *
 * <p>The journal is what makes a switch crash-safe: it is written before the first step that needs undoing and
 * cleared after the last; a gateway that finds one at start either undoes the switch (routing rules not flipped) or
 * finishes it (flipped). See {@link TrafficSwitch}.
 */
final class TrafficStore {
    static final String SOURCE = "source";
    static final String REPLICAS = "replicas";
    static final String PRIMARIES = "primaries";
    static final String ACTIVE = "active";
    static final String COMPLETED = "completed";
    static final String CANCELLED = "cancelled";

    /**
     * @param traffic   which side serves the moved tables: source, replicas (replica reads on the target), primaries
     * @param lifecycle active, completed or cancelled
     */
    record Traffic(String traffic, String lifecycle, Optional<Journal> journal, Optional<Instant> copiedAt,
                   Optional<Instant> finishedAt) {
    }

    /**
     * A switch in progress.
     *
     * @param operation switch (source to target) or reverse (target back to source)
     * @param positions per stream source-shard label, the positions the new direction's streams start from; empty
     *                  until recorded
     */
    record Journal(String operation, String step, Map<String, String> positions, Instant started) {
    }

    private static final String SCHEMA = "CREATE TABLE IF NOT EXISTS workflow_traffic (workflow VARBINARY(64) NOT NULL"
            + " PRIMARY KEY, traffic VARBINARY(16) NOT NULL, lifecycle VARBINARY(16) NOT NULL, journal TEXT NOT NULL,"
            + " copied_at TIMESTAMP(6) NULL, finished_at TIMESTAMP(6) NULL) ENGINE=InnoDB";

    private final SqlConnector topology;
    private final ObjectMapper json = new ObjectMapper();

    TrafficStore(SqlConnector topology) throws SQLException {
        this.topology = topology;
        try (Connection connection = topology.open(); Statement statement = connection.createStatement()) {
            statement.execute(SCHEMA);
        }
    }

    Traffic read(String workflow) throws SQLException {
        try (Connection connection = topology.open();
             PreparedStatement select = connection.prepareStatement("SELECT traffic, lifecycle, journal, copied_at,"
                     + " finished_at FROM workflow_traffic WHERE workflow = ?")) {
            select.setString(1, workflow);
            try (ResultSet rs = select.executeQuery()) {
                if (!rs.next()) {
                    return new Traffic(SOURCE, ACTIVE, Optional.empty(), Optional.empty(), Optional.empty());
                }
                return new Traffic(rs.getString(1), rs.getString(2), journal(rs.getString(3)), instant(rs, 4),
                        instant(rs, 5));
            }
        }
    }

    void setTraffic(String workflow, String traffic) throws SQLException {
        upsert(workflow, "traffic", traffic);
    }

    void setLifecycle(String workflow, String lifecycle, Instant now) throws SQLException {
        upsert(workflow, "lifecycle", lifecycle);
        update("UPDATE workflow_traffic SET finished_at = ? WHERE workflow = ?", Timestamp.from(now), workflow);
    }

    /** Records when the copy first finished; later calls keep the first time. */
    void copied(String workflow, Instant now) throws SQLException {
        upsert(workflow, "traffic", read(workflow).traffic());
        update("UPDATE workflow_traffic SET copied_at = COALESCE(copied_at, ?) WHERE workflow = ?",
                Timestamp.from(now), workflow);
    }

    void writeJournal(String workflow, Journal journal) throws SQLException {
        Map<String, Object> fields = new LinkedHashMap<>();
        fields.put("operation", journal.operation());
        fields.put("step", journal.step());
        fields.put("positions", journal.positions());
        fields.put("started", journal.started().toString());
        try {
            upsert(workflow, "journal", json.writeValueAsString(fields));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    void clearJournal(String workflow) throws SQLException {
        upsert(workflow, "journal", "");
    }

    void delete(String workflow) throws SQLException {
        update("DELETE FROM workflow_traffic WHERE workflow = ?", workflow);
    }

    private Optional<Journal> journal(String text) throws SQLException {
        if (text == null || text.isEmpty()) {
            return Optional.empty();
        }
        try {
            Map<?, ?> f = json.readValue(text, Map.class);
            Map<String, String> positions = new LinkedHashMap<>();
            ((Map<?, ?>) f.get("positions")).forEach((k, v) -> positions.put(String.valueOf(k), String.valueOf(v)));
            return Optional.of(new Journal((String) f.get("operation"), (String) f.get("step"), positions,
                    Instant.parse((String) f.get("started"))));
        } catch (JsonProcessingException e) {
            throw new SQLException("unreadable switch journal: " + text, e);
        }
    }

    private void upsert(String workflow, String column, String value) throws SQLException {
        update("INSERT INTO workflow_traffic (workflow, traffic, lifecycle, journal) VALUES (?, '" + SOURCE + "', '"
                + ACTIVE + "', '') ON DUPLICATE KEY UPDATE workflow = workflow", workflow);
        update("UPDATE workflow_traffic SET " + column + " = ? WHERE workflow = ?", value, workflow);
    }

    private void update(String sql, Object... values) throws SQLException {
        try (Connection connection = topology.open(); PreparedStatement statement = connection.prepareStatement(sql)) {
            for (int i = 0; i < values.length; i++) {
                statement.setObject(i + 1, values[i]);
            }
            statement.executeUpdate();
        }
    }

    private static Optional<Instant> instant(ResultSet rs, int column) throws SQLException {
        Timestamp timestamp = rs.getTimestamp(column);
        return Optional.ofNullable(timestamp).map(Timestamp::toInstant);
    }
}
