package io.switchyard.replication.copy;

/**
 * Tuning of a {@link TableCopier}.
 *
 * @param batchRows         rows read from the source per batch; each target commits once per batch
 * @param maxStatementBytes an INSERT is split before it would exceed this estimate, to stay below the target's
 *                          {@code max_allowed_packet} (16 MiB by default on MariaDB 10.11) with large BLOBs
 * @param maxPageBytes      a batch ends early once its rows reach this estimate, so that wide rows cannot make a
 *                          batch of {@code batchRows} larger than the heap; later batches then read that many rows
 * @param pagesAhead        batches read from the source while the targets write the current one; the copy holds at
 *                          most {@code pagesAhead + 2} batches in memory
 */
public record CopyOptions(int batchRows, int maxStatementBytes, long maxPageBytes, int pagesAhead) {
    /** 5,000 rows or 8 MiB a batch, 4 MiB statements, one batch read ahead. */
    public static final CopyOptions DEFAULTS = new CopyOptions(5_000, 4 << 20);

    public CopyOptions {
        if (batchRows < 1) {
            throw new IllegalArgumentException("batchRows must be at least 1, was " + batchRows);
        }
        if (maxStatementBytes < 1024) {
            throw new IllegalArgumentException("maxStatementBytes must be at least 1024, was " + maxStatementBytes);
        }
        if (maxPageBytes < 1024) {
            throw new IllegalArgumentException("maxPageBytes must be at least 1024, was " + maxPageBytes);
        }
        if (pagesAhead < 1) {
            throw new IllegalArgumentException("pagesAhead must be at least 1, was " + pagesAhead);
        }
    }

    /** Batches of {@code batchRows} rows or 8 MiB, one read ahead. */
    public CopyOptions(int batchRows, int maxStatementBytes) {
        this(batchRows, maxStatementBytes, 8L << 20, 1);
    }
}
