package io.switchyard.replication.workflow;

import java.time.Duration;
import java.util.Set;

/**
 * The gateway's side of a traffic switch: holding the statements for the moved tables while the target catches up,
 * and routing by the new rules at once. Implemented over the proxy's query buffer by the admin module (the
 * replication module does not depend on the proxy); {@link #NONE} holds nothing, for workflows driven without a
 * gateway, where the source-side table locks of {@link TrafficSwitch} alone keep writes out.
 */
public interface TrafficGate {
    /**
     * Starts holding new statements for {@code tables} ({@code keyspace.table}) for at most {@code window}, and at
     * most {@code maxHeld} of them (more are refused with an error saying to retry).
     */
    Hold hold(Set<String> tables, Duration window, int maxHeld);

    /** Makes this gateway route by the topology store's current rules now, not at its next poll. */
    void refreshRouting();

    /** One hold; see the proxy's {@code TrafficHold} for the states. */
    interface Hold {
        /** Whether the transactions that had touched the tables before the hold ended within {@code timeout}. */
        boolean awaitDrained(Duration timeout) throws InterruptedException;

        /** Stops the window from ending the hold; false if it already ended it (the switch must then undo). */
        boolean holdUntilRelease();

        /** Lets the held statements run, routed by the rules in force now. Idempotent. */
        void release();
    }

    TrafficGate NONE = new TrafficGate() {
        @Override
        public Hold hold(Set<String> tables, Duration window, int maxHeld) {
            return new Hold() {
                @Override
                public boolean awaitDrained(Duration timeout) {
                    return true;
                }

                @Override
                public boolean holdUntilRelease() {
                    return true;
                }

                @Override
                public void release() {
                }
            };
        }

        @Override
        public void refreshRouting() {
        }
    };
}
