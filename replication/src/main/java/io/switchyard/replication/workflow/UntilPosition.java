package io.switchyard.replication.workflow;

import io.switchyard.replication.apply.RowApplier;
import io.switchyard.replication.binlog.BinlogEvent;
import io.switchyard.replication.binlog.GtidPositions;

import java.sql.SQLException;
import java.util.concurrent.CountDownLatch;
import java.util.function.Consumer;

/**
 * Vitess's fast-forward: hands a stream's events to an applier up to and including a stop position (a copy's
 * snapshot), commits, and then ignores the rest. Events after the stop position must not be applied with the
 * fast-forward's copy progress (the table just copied is still {@code NotStarted} there), so the first event past it
 * ends the run without touching it; the next run starts from the applier's committed position and sees it again.
 *
 * <p>Runs on the stream thread, like the applier it wraps. {@link #await} may be called from any thread.
 */
final class UntilPosition implements Consumer<BinlogEvent> {
    private final String stop;
    private final RowApplier applier;
    private final CountDownLatch reached = new CountDownLatch(1);

    UntilPosition(String stopPosition, RowApplier applier) {
        GtidPositions.atOrBefore(stopPosition, stopPosition); // fails here, not on the stream thread, if unreadable
        this.stop = stopPosition;
        this.applier = applier;
    }

    @Override
    public void accept(BinlogEvent event) {
        if (reached.getCount() == 0) {
            return;
        }
        if (!GtidPositions.atOrBefore(event.gtid(), stop)) {
            // Past the stop position (a domain or transaction the snapshot does not cover): leave it for the next run.
            finish();
            return;
        }
        applier.accept(event);
        if (GtidPositions.same(event.gtid(), stop)) {
            finish();
        }
    }

    /** Whether the stop position was reached and everything up to it committed. */
    boolean await(long millis) throws InterruptedException {
        return reached.await(millis, java.util.concurrent.TimeUnit.MILLISECONDS);
    }

    private void finish() {
        try {
            applier.flush();
        } catch (SQLException e) {
            throw new IllegalStateException("committing the fast-forward failed: " + e.getMessage(), e);
        }
        reached.countDown();
    }
}
