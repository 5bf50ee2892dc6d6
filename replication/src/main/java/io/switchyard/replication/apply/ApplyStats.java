package io.switchyard.replication.apply;

/**
 * What a {@link RowApplier} has committed since it opened.
 *
 * @param rows         row statements applied and committed (INSERT, UPDATE, DELETE; a moved row's two halves count
 *                     once on each shard)
 * @param transactions source transactions whose position has been committed (including ones with no row here)
 * @param commits      target commits
 */
public record ApplyStats(long rows, long transactions, long commits) {
}
