package io.switchyard.admin.workflow;

import io.switchyard.proxy.server.QueryBuffer;
import io.switchyard.proxy.server.TrafficHold;
import io.switchyard.routing.plan.RoutingSnapshot;

import java.time.Duration;
import java.util.Set;
import java.util.function.Consumer;

/**
 * Holds this gateway's statements for the tables a traffic switch marks in the routing rules ({@code ks.t@hold}),
 * whichever gateway runs the switch: every gateway follows the topology store, so every gateway holds, and releases
 * when the marks go — in the same rules version as the flip, so released statements run where the new rules say.
 * Call it with each new snapshot after the planner has it. A hold ends by itself after {@code window} if the marks
 * outlive a crashed switch.
 */
public final class PeerHolds implements Consumer<RoutingSnapshot> {
    private final QueryBuffer buffer;
    private final Duration window;
    private final int maxHeld;
    private Set<String> current = Set.of(); // guarded by this
    private TrafficHold hold; // guarded by this

    public PeerHolds(QueryBuffer buffer, Duration window, int maxHeld) {
        this.buffer = buffer;
        this.window = window;
        this.maxHeld = maxHeld;
    }

    @Override
    public synchronized void accept(RoutingSnapshot snapshot) {
        Set<String> held = snapshot.routingRules().held();
        if (held.equals(current)) {
            return;
        }
        if (hold != null) {
            hold.release();
            hold = null;
        }
        current = held;
        if (!held.isEmpty()) {
            hold = buffer.hold(held, window, maxHeld);
        }
    }
}
