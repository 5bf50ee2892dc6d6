package io.switchyard.admin.workflow;

import io.switchyard.proxy.server.QueryBuffer;
import io.switchyard.proxy.server.TrafficHold;
import io.switchyard.replication.workflow.TrafficGate;

import java.time.Duration;
import java.util.Set;

/** A traffic switch's gateway side over this gateway's query buffer and topology watcher. */
public final class BufferGate implements TrafficGate {
    private final QueryBuffer buffer;
    private final Runnable refreshRouting;

    /** @param refreshRouting makes the gateway read the topology store's rules now */
    public BufferGate(QueryBuffer buffer, Runnable refreshRouting) {
        this.buffer = buffer;
        this.refreshRouting = refreshRouting;
    }

    @Override
    public Hold hold(Set<String> tables, Duration window, int maxHeld) {
        TrafficHold hold = buffer.hold(tables, window, maxHeld);
        return new Hold() {
            @Override
            public boolean awaitDrained(Duration timeout) throws InterruptedException {
                return hold.awaitDrained(timeout);
            }

            @Override
            public boolean holdUntilRelease() {
                return hold.holdUntilRelease();
            }

            @Override
            public void release() {
                hold.release();
            }
        };
    }

    @Override
    public void refreshRouting() {
        refreshRouting.run();
    }
}
