package io.switchyard.replication.copy;

/**
 * Told each time a target commits a batch with its lastpk, on the copying thread. For progress and metrics; an
 * exception thrown here aborts the copy exactly as a crash at that point would (tests use this to simulate one).
 */
@FunctionalInterface
public interface BatchListener {
    /** Listens to nothing. */
    BatchListener NONE = commit -> { };

    void committed(BatchCommit commit);

    /**
     * One committed batch on one target.
     *
     * @param batch       the batch number in this run, from 1
     * @param targetShard the target that committed
     * @param rows        rows the batch inserted on that target (0 when only its lastpk moved)
     * @param lastPk      the lastpk now durable on that target
     */
    record BatchCommit(long batch, String targetShard, int rows, LastPk lastPk) {
    }
}
