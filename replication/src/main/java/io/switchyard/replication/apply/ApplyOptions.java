package io.switchyard.replication.apply;

import java.time.Duration;
import java.util.Objects;

/**
 * Tuning of a {@link RowApplier}: how many source transactions share one target commit.
 *
 * <p>Grouping trades a little latency for far fewer target commits (each an fsync with durable settings). A group is
 * committed when it reaches {@code maxTransactions}, when a transaction arrives more than {@code maxDelay} after the
 * group's first one, or on the next heartbeat; since an idle source sends heartbeats, no group waits longer than
 * {@code max(maxDelay, heartbeat interval)}.
 *
 * @param maxTransactions source transactions per target commit, at least 1 (1 = commit each one)
 * @param maxDelay        the longest a group stays open while transactions keep arriving
 */
public record ApplyOptions(int maxTransactions, Duration maxDelay) {
    /** 100 transactions or 250 ms, whichever comes first. */
    public static final ApplyOptions DEFAULTS = new ApplyOptions(100, Duration.ofMillis(250));

    public ApplyOptions {
        Objects.requireNonNull(maxDelay, "maxDelay");
        if (maxTransactions < 1) {
            throw new IllegalArgumentException("maxTransactions must be at least 1, was " + maxTransactions);
        }
        if (maxDelay.isNegative() || maxDelay.compareTo(Duration.ofMinutes(1)) > 0) {
            throw new IllegalArgumentException("maxDelay must be 0..1 minute, was " + maxDelay);
        }
    }
}
