package io.switchyard.proxy.server;

import io.switchyard.routing.plan.Planner;
import io.switchyard.routing.plan.VSchemaChange;

/**
 * Where an {@code ALTER VSCHEMA} goes once an admin ran it. The gateway alone can only change its own planner;
 * with a topology store the admin module stores the change, and every gateway's watcher picks it up.
 */
@FunctionalInterface
public interface VSchemaChanges {
    /** Applies the change or throws with a message for the client. */
    void apply(VSchemaChange change);

    /** Changes this gateway's planner only: lost at restart and unseen by other gateways. */
    static VSchemaChanges inMemory(Planner planner) {
        return change -> planner.update(planner.snapshot().apply(change));
    }
}
