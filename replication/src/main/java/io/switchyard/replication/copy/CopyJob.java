package io.switchyard.replication.copy;

import java.util.HashSet;
import java.util.List;
import java.util.Objects;

/**
 * One table to copy.
 *
 * <p>The target list's order is part of the copy's durable state: batches commit on the targets in this order, which
 * is what lets a resumed copy start from the last target's lastpk (see {@link TableCopier}). Resume with the same
 * targets in the same order.
 *
 * @param workflow       the workflow name, recorded in {@code _switchyard.copy_state}
 * @param sourceShard    the source shard label, likewise (e.g. {@code commerce/0})
 * @param source         opens connections to the source server
 * @param sourceDatabase the database holding the table on the source
 * @param table          the table; the target tables have the same name and columns
 * @param targets        the target shards, at least one, names unique
 * @param router         picks each row's target
 * @param listener       told after each batch commits on each target
 */
public record CopyJob(String workflow, String sourceShard, SqlConnector source, String sourceDatabase, String table,
                      List<TargetShard> targets, RowRouter router, BatchListener listener) {
    public CopyJob {
        Objects.requireNonNull(workflow, "workflow");
        Objects.requireNonNull(sourceShard, "sourceShard");
        Objects.requireNonNull(source, "source");
        Objects.requireNonNull(sourceDatabase, "sourceDatabase");
        Objects.requireNonNull(table, "table");
        Objects.requireNonNull(router, "router");
        Objects.requireNonNull(listener, "listener");
        targets = List.copyOf(targets);
        if (targets.isEmpty()) {
            throw new IllegalArgumentException("copy of " + table + " needs at least one target shard");
        }
        HashSet<String> names = new HashSet<>();
        for (TargetShard target : targets) {
            if (!names.add(target.name())) {
                throw new IllegalArgumentException("target shard " + target.name() + " is listed twice");
            }
        }
    }

    /** A job with no listener. */
    public CopyJob(String workflow, String sourceShard, SqlConnector source, String sourceDatabase, String table,
                   List<TargetShard> targets, RowRouter router) {
        this(workflow, sourceShard, source, sourceDatabase, table, targets, router, BatchListener.NONE);
    }
}
