package io.switchyard.replication.workflow;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * A workflow's progress, as {@code SHOW WORKFLOW wf} and {@code SHOW WORKFLOW wf STREAMS} print it.
 *
 * @param state     copying, running, stopped, error (or pending before any stream exists)
 * @param createdAt  when the workflow was created
 * @param traffic    which side serves the tables: source, replicas (replica reads on the target) or primaries
 * @param copiedAt   when the copy finished, if it has
 * @param finishedAt when the workflow was completed or cancelled, if it was
 */
public record WorkflowStatus(String name, String type, String source, String target, Instant createdAt, String state,
                             List<TableStatus> tables, List<StreamStatus> streams, String traffic,
                             Optional<Instant> copiedAt, Optional<Instant> finishedAt) {
    public WorkflowStatus {
        tables = List.copyOf(tables);
        streams = List.copyOf(streams);
    }

    /** The same status under another type name: an import is a MoveTables workflow from an external keyspace. */
    public WorkflowStatus withType(String otherType) {
        return new WorkflowStatus(name, otherType, source, target, createdAt, state, tables, streams, traffic, copiedAt,
                finishedAt);
    }

    /** The largest lag of any stream, -1 if none has applied or heard anything yet. */
    public long lagSeconds() {
        return streams.stream().mapToLong(StreamStatus::lagSeconds).max().orElse(-1);
    }

    /**
     * @param rowsTotal the source's estimate ({@code information_schema.tables.table_rows}), which can be well off
     * @param state     not_started, copying or copied
     */
    public record TableStatus(String table, String state, long rowsCopied, long rowsTotal) {
    }

    /**
     * @param lagSeconds now minus the later of the last applied source commit and the last idle heartbeat (Vitess's
     *                   transaction lag); -1 before the stream has applied or heard anything
     */
    public record StreamStatus(String sourceShard, String targetShard, String pos, long lagSeconds, String state,
                               String message, long rowsCopied) {
    }
}
