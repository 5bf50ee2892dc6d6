package io.switchyard.replication.binlog;

import java.time.Instant;
import java.util.List;
import java.util.Objects;

/**
 * The row changes of one source transaction on watched tables (never empty: transactions that touch no watched table
 * are not delivered). {@code gtid} is the full source position after this transaction (for MariaDB the
 * {@code @@gtid_binlog_pos} the source reported right after its commit, restricted to what this stream has seen);
 * commit it together with the rows and restart from it to get each later transaction exactly once.
 * {@code commitTime} is the source's commit timestamp (second precision, from the binlog event header), for lag.
 */
public record Transaction(String gtid, Instant commitTime, List<RowChange> changes) implements BinlogEvent {
    public Transaction {
        Objects.requireNonNull(gtid, "gtid");
        Objects.requireNonNull(commitTime, "commitTime");
        changes = List.copyOf(changes);
    }
}
