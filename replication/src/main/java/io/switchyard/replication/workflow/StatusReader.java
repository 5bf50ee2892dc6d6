package io.switchyard.replication.workflow;

import io.switchyard.config.Keyspace;
import io.switchyard.config.Shard;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** Puts a workflow's {@link WorkflowStatus} together from the topology store, the streams' rows and the source. */
final class StatusReader {
    private StatusReader() {
    }

    /** @param live the running copy phase of the forward leg, for live per-table progress; null when none */
    static WorkflowStatus read(MoveTablesWorkflow workflow, CopyPhase live, String verification) throws SQLException {
        MoveTablesSpec spec = workflow.spec();
        Leg forward = workflow.forward();
        Keyspace source = forward.from();
        TrafficStore.Traffic now = workflow.traffic().read(spec.name());
        boolean ended = !now.lifecycle().equals(TrafficStore.ACTIVE);
        // An ended workflow's source may be gone (tables dropped, an import's external keyspace deleted): its
        // totals are what was copied, and the source is not contacted again.
        Map<String, Long> estimates = ended ? Map.of() : rowEstimates(forward);
        Map<String, Long> copiedRows = new HashMap<>();
        Map<String, Integer> copiedShards = new HashMap<>();
        for (Shard shard : source.shards()) {
            workflow.store().copiedTables(spec.name(), forward.sourceShard(shard)).forEach((table, rows) -> {
                copiedRows.merge(table, rows, Long::sum);
                copiedShards.merge(table, 1, Integer::sum);
            });
        }
        List<WorkflowStatus.TableStatus> tables = new ArrayList<>();
        for (String table : spec.tables()) {
            long total = ended ? copiedRows.getOrDefault(table, 0L) : estimates.getOrDefault(table, 0L);
            if (live != null && !live.tableState(table).equals("not_started")) {
                tables.add(new WorkflowStatus.TableStatus(table, live.tableState(table), live.rowsCopied(table), total));
            } else {
                boolean done = copiedShards.getOrDefault(table, 0) == source.shards().size();
                tables.add(new WorkflowStatus.TableStatus(table, done ? WorkflowStore.COPIED : "not_started",
                        copiedRows.getOrDefault(table, 0L), total));
            }
        }
        List<WorkflowStatus.StreamStatus> streams = ended ? List.of()
                : (now.traffic().equals(TrafficStore.PRIMARIES) ? workflow.reverse() : forward)
                .streams(workflow.deps().clock());
        String state = WorkflowStates.of(now, StreamRows.workflowState(streams), verification);
        return new WorkflowStatus(spec.name(), "MoveTables", source.name(), forward.to().name(),
                workflow.store().createdAt(spec.name()), state, tables, streams, now.traffic(), now.copiedAt(),
                now.finishedAt());
    }

    /** The source's row estimates ({@code information_schema.tables.table_rows}), summed over its shards. */
    private static Map<String, Long> rowEstimates(Leg forward) throws SQLException {
        Map<String, Long> rows = new HashMap<>();
        for (Shard shard : forward.from().shards()) {
            try (Connection connection = forward.sourceData(shard).open();
                 PreparedStatement select = connection.prepareStatement("SELECT table_name, table_rows FROM"
                         + " information_schema.tables WHERE table_schema = ?")) {
                select.setString(1, forward.from().database());
                try (ResultSet rs = select.executeQuery()) {
                    while (rs.next()) {
                        rows.merge(rs.getString(1), rs.getLong(2), Long::sum);
                    }
                }
            }
        }
        return rows;
    }
}
