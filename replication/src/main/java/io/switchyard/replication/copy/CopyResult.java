package io.switchyard.replication.copy;

import java.time.Duration;
import java.util.Optional;

/**
 * What one run of {@link TableCopier#copy} did.
 *
 * @param rowsCopied   rows inserted on the targets by this run (a resumed run counts only its own)
 * @param snapshotGtid the MariaDB GTID position ({@code domain-server-seq[,...]}) the run's snapshot corresponds to:
 *                     binlog replay for the copied rows starts here
 * @param lastPk       the primary key of the last source row read, empty if the table was empty past the start
 * @param elapsed      wall time of the run, by the copier's clock
 */
public record CopyResult(long rowsCopied, String snapshotGtid, Optional<LastPk> lastPk, Duration elapsed) {
    /** Rows per second over the run, for logs and benchmarks. */
    public double rowsPerSecond() {
        long millis = Math.max(1, elapsed.toMillis());
        return rowsCopied * 1000.0 / millis;
    }
}
