package io.switchyard.replication.sidecar;

import java.util.Objects;

/**
 * Identifies one stream: a workflow moving rows from one source shard to one target shard, the primary key of
 * {@code _switchyard.stream} and the prefix of {@code _switchyard.copy_state}'s.
 *
 * @param workflow    the workflow name
 * @param sourceShard the source shard, {@code keyspace/shard} or any label the caller uses consistently
 * @param targetShard the target shard, likewise
 */
public record StreamKey(String workflow, String sourceShard, String targetShard) {
    public StreamKey {
        Objects.requireNonNull(workflow, "workflow");
        Objects.requireNonNull(sourceShard, "sourceShard");
        Objects.requireNonNull(targetShard, "targetShard");
        requireLength("workflow", workflow, 64);
        requireLength("sourceShard", sourceShard, 128);
        requireLength("targetShard", targetShard, 128);
    }

    private static void requireLength(String name, String value, int max) {
        if (value.isEmpty() || value.length() > max) {
            throw new IllegalArgumentException(name + " must be 1 to " + max + " characters, was '" + value + "'");
        }
    }
}
