package io.switchyard.replication.workflow;

import io.switchyard.replication.copy.TargetShard;
import io.switchyard.replication.sidecar.SidecarSchema;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.math.BigDecimal;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * A workflow's log ({@code SHOW WORKFLOW wf LOGS}): what happened and when, in {@code _switchyard.log} on the first
 * target shard's primary, so it survives gateway restarts and moves with the workflow's other state. Writing never
 * fails the workflow: a log row that cannot be written is reported in the gateway's own log instead.
 */
public final class WorkflowLog {
    private static final Logger LOG = LoggerFactory.getLogger(WorkflowLog.class);

    /** One entry; {@code level} is info or error. */
    public record Entry(Instant time, String level, String message) {
    }

    private final String workflow;
    private final TargetShard shard;
    private final Clock clock;

    WorkflowLog(String workflow, TargetShard shard, Clock clock) {
        this.workflow = workflow;
        this.shard = shard;
        this.clock = clock;
    }

    void info(String message) {
        write("info", message);
    }

    void error(String message) {
        write("error", message);
    }

    /** The latest {@code limit} entries, oldest first. */
    List<Entry> read(int limit) throws SQLException {
        List<Entry> entries = new ArrayList<>();
        try (Connection connection = shard.connector().open();
             PreparedStatement select = connection.prepareStatement("SELECT UNIX_TIMESTAMP(ts), level, message FROM "
                     + SidecarSchema.DATABASE + ".log WHERE workflow = ? ORDER BY id DESC LIMIT ?")) {
            select.setString(1, workflow);
            select.setInt(2, limit);
            try (ResultSet rs = select.executeQuery()) {
                while (rs.next()) {
                    BigDecimal seconds = rs.getBigDecimal(1);
                    entries.add(new Entry(Instant.ofEpochSecond(seconds.longValue(),
                            seconds.remainder(BigDecimal.ONE).movePointRight(9).longValue()), rs.getString(2),
                            rs.getString(3)));
                }
            }
        } catch (SQLException e) {
            if (e.getErrorCode() == 1146 || e.getErrorCode() == 1049) {
                return List.of(); // nothing logged on this target yet
            }
            throw e;
        }
        Collections.reverse(entries);
        return entries;
    }

    private void write(String level, String message) {
        try (Connection connection = shard.connector().open()) {
            SidecarSchema.create(connection);
            try (PreparedStatement insert = connection.prepareStatement("INSERT INTO " + SidecarSchema.DATABASE
                    + ".log (workflow, ts, level, message) VALUES (?, FROM_UNIXTIME(?), ?, ?)")) {
                Instant now = clock.instant();
                insert.setString(1, workflow);
                insert.setBigDecimal(2, BigDecimal.valueOf(now.getEpochSecond())
                        .add(BigDecimal.valueOf(now.getNano() / 1000, 6)));
                insert.setString(3, level);
                insert.setString(4, message);
                insert.executeUpdate();
            }
        } catch (SQLException e) {
            LOG.warn("workflow {}: cannot write log entry '{}' on {}: {}", workflow, message, shard.name(),
                    e.getMessage());
        }
    }
}
