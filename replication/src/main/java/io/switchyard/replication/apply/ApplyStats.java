package io.switchyard.replication.apply;

/**
 * What a {@link RowApplier} has committed since it opened.
 *
 * @param rows         rows inserted, updated (matched) or deleted by committed statements; several rows share a
 *                     statement (see {@link TableChanges}); a moved row's two halves count once on each shard
 * @param transactions source transactions whose position has been committed (including ones with no row here)
 * @param commits      target commits
 */
public record ApplyStats(long rows, long transactions, long commits) {
}
