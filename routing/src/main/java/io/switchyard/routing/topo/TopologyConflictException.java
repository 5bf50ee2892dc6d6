package io.switchyard.routing.topo;

/**
 * A compare-and-set write lost: another writer (usually another gateway) changed the same state after the caller read
 * it. Nothing was written. The caller reads the state again, reapplies its change and retries; the message says so.
 */
public final class TopologyConflictException extends TopologyException {

    private static final long serialVersionUID = 1L;

    private final long expectedVersion;
    private final long actualVersion;

    TopologyConflictException(String what, long expectedVersion, long actualVersion) {
        super(what + " changed underneath: expected version " + expectedVersion + " but the topology store has version "
                + actualVersion + "; read it again, reapply the change and retry");
        this.expectedVersion = expectedVersion;
        this.actualVersion = actualVersion;
    }

    /** The version the caller based its change on. */
    public long expectedVersion() {
        return expectedVersion;
    }

    /** The version the store had when the write was refused. */
    public long actualVersion() {
        return actualVersion;
    }
}
