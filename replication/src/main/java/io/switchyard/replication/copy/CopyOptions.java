package io.switchyard.replication.copy;

/**
 * Tuning of a {@link TableCopier}.
 *
 * @param batchRows         rows read from the source per batch; each target commits once per batch
 * @param maxStatementBytes an INSERT is split before it would exceed this estimate, to stay below the target's
 *                          {@code max_allowed_packet} (16 MiB by default on MariaDB 10.11) with large BLOBs
 */
public record CopyOptions(int batchRows, int maxStatementBytes) {
    /** 1,000 rows a batch, 4 MiB statements. */
    public static final CopyOptions DEFAULTS = new CopyOptions(1_000, 4 << 20);

    public CopyOptions {
        if (batchRows < 1) {
            throw new IllegalArgumentException("batchRows must be at least 1, was " + batchRows);
        }
        if (maxStatementBytes < 1024) {
            throw new IllegalArgumentException("maxStatementBytes must be at least 1024, was " + maxStatementBytes);
        }
    }
}
