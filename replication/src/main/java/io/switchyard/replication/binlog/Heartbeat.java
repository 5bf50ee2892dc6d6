package io.switchyard.replication.binlog;

import java.time.Instant;
import java.util.Objects;

/**
 * The source sent a heartbeat: nothing to replicate right now. {@code gtid} is the position after the last complete
 * transaction seen (watched or not), {@code receivedAt} the local clock when it arrived: lag while idle is zero as of
 * that time.
 */
public record Heartbeat(String gtid, Instant receivedAt) implements BinlogEvent {
    public Heartbeat {
        Objects.requireNonNull(gtid, "gtid");
        Objects.requireNonNull(receivedAt, "receivedAt");
    }
}
