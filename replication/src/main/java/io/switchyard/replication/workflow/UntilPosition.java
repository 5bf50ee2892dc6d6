package io.switchyard.replication.workflow;

import io.switchyard.replication.apply.RowApplier;
import io.switchyard.replication.binlog.BinlogEvent;
import io.switchyard.replication.binlog.MariaDbGtidPosition;

import java.sql.SQLException;
import java.util.HashMap;
import java.util.Map;
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
    private final Map<Long, Long> stop = new HashMap<>();
    private final RowApplier applier;
    private final CountDownLatch reached = new CountDownLatch(1);

    UntilPosition(String stopPosition, RowApplier applier) {
        for (MariaDbGtidPosition.Gtid gtid : MariaDbGtidPosition.parse(stopPosition).gtids()) {
            stop.put(gtid.domain(), gtid.sequence());
        }
        this.applier = applier;
    }

    @Override
    public void accept(BinlogEvent event) {
        if (reached.getCount() == 0) {
            return;
        }
        MariaDbGtidPosition position = MariaDbGtidPosition.parse(event.gtid());
        if (isAfterStop(position)) {
            finish();
            return;
        }
        applier.accept(event);
        if (isAtStop(position)) {
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

    /**
     * Within one MariaDB domain, sequence numbers grow; a position is after the stop position if any domain is ahead
     * of it or is a domain the stop position does not know yet (it started after the snapshot).
     */
    private boolean isAfterStop(MariaDbGtidPosition position) {
        for (MariaDbGtidPosition.Gtid gtid : position.gtids()) {
            Long limit = stop.get(gtid.domain());
            if (limit == null || Long.compareUnsigned(gtid.sequence(), limit) > 0) {
                return true;
            }
        }
        return false;
    }

    private boolean isAtStop(MariaDbGtidPosition position) {
        for (MariaDbGtidPosition.Gtid gtid : position.gtids()) {
            if (!Long.valueOf(gtid.sequence()).equals(stop.get(gtid.domain()))) {
                return false;
            }
        }
        return position.gtids().size() == stop.size();
    }
}
