package io.switchyard.routing.topo;

import io.switchyard.routing.plan.RoutingSnapshot;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps a gateway's routing snapshot in step with the topology store: polls the store's combined version every
 * {@code interval} and, when it moved, loads the new snapshot and hands it to the listener (the planner's
 * {@code update}). With the default 250 ms a change written by another gateway is routed by this one well within the
 * one second the design promises.
 *
 * <p>An unreachable or unusable store is an outage, not an error: the gateway keeps routing by its last snapshot,
 * the watcher logs once when the outage starts and once when it ends, and keeps polling. Nothing is ever thrown into
 * the scheduler, which would silently cancel the polling for good.
 *
 * <p>Threading: polls run on the injected scheduler; {@link #refresh()} runs one on the caller's thread. Polls are
 * serialized, so the listener is called from one thread at a time, with strictly increasing versions, and never
 * after {@link #close()} returns. It should be quick (a volatile swap): the next poll waits for it.
 */
public final class TopologyWatcher implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(TopologyWatcher.class);

    /** Four polls a second: a change reaches every gateway within 1 s even if one poll is slow. */
    public static final Duration DEFAULT_INTERVAL = Duration.ofMillis(250);

    /**
     * What the watcher knows, for health checks and metrics.
     *
     * @param version the version of the last snapshot handed to the listener (or the initial one)
     * @param unreachableSince when the current outage began; empty while the store answers
     * @param problem why the last poll failed; empty while the store answers
     */
    public record Status(long version, Optional<Instant> unreachableSince, Optional<String> problem) {

        public Status {
            Objects.requireNonNull(unreachableSince, "unreachableSince");
            Objects.requireNonNull(problem, "problem");
        }

        public boolean reachable() {
            return unreachableSince.isEmpty();
        }
    }

    private final TopologyStore store;
    private final Consumer<RoutingSnapshot> listener;
    private final Clock clock;
    private final ScheduledFuture<?> task;

    // Guarded by this: polls are serialized.
    private RoutingSnapshot current;
    private Instant unreachableSince;
    private String problem;
    private long backwardsVersionLogged = -1;
    private boolean closed;

    private TopologyWatcher(TopologyStore store, RoutingSnapshot initial, Consumer<RoutingSnapshot> listener,
                            ScheduledExecutorService scheduler, Clock clock, Duration interval) {
        this.store = store;
        this.listener = listener;
        this.clock = clock;
        this.current = initial;
        long millis = interval.toMillis();
        this.task = scheduler.scheduleWithFixedDelay(this::poll, millis, millis, TimeUnit.MILLISECONDS);
    }

    /** Starts polling every {@link #DEFAULT_INTERVAL}; see the other {@code start}. */
    public static TopologyWatcher start(TopologyStore store, RoutingSnapshot initial,
                                        Consumer<RoutingSnapshot> listener, ScheduledExecutorService scheduler,
                                        Clock clock) {
        return start(store, initial, listener, scheduler, clock, DEFAULT_INTERVAL);
    }

    /**
     * Starts polling. Fixed delay, not fixed rate: a slow store delays the next poll instead of piling polls up.
     *
     * @param initial the snapshot the planner starts with (normally {@link TopologyStore#loadSnapshot()}); only
     *     newer versions are handed to the listener
     * @param listener gets each newer snapshot; should be the only path that updates the planner
     * @param scheduler runs the polls; the watcher does not shut it down
     * @param clock stamps outages
     * @param interval between the end of one poll and the start of the next; at least 1 ms
     */
    public static TopologyWatcher start(TopologyStore store, RoutingSnapshot initial,
                                        Consumer<RoutingSnapshot> listener, ScheduledExecutorService scheduler,
                                        Clock clock, Duration interval) {
        Objects.requireNonNull(store, "store");
        Objects.requireNonNull(initial, "initial");
        Objects.requireNonNull(listener, "listener");
        Objects.requireNonNull(scheduler, "scheduler");
        Objects.requireNonNull(clock, "clock");
        Objects.requireNonNull(interval, "interval");
        if (interval.toMillis() < 1) {
            throw new IllegalArgumentException("interval was " + interval + "; it must be at least 1 ms");
        }
        return new TopologyWatcher(store, initial, listener, scheduler, clock, interval);
    }

    /** The last snapshot handed to the listener, or the initial one. */
    public synchronized RoutingSnapshot current() {
        return current;
    }

    public synchronized Status status() {
        return new Status(current.version(), Optional.ofNullable(unreachableSince), Optional.ofNullable(problem));
    }

    /**
     * Polls now, on the caller's thread. After writing to the store, an admin command calls this so that its own
     * gateway routes by the change before the command returns, without waiting for the next scheduled poll.
     */
    public void refresh() {
        poll();
    }

    /** Stops polling. Does not close the store or the scheduler. Idempotent. */
    @Override
    public synchronized void close() {
        closed = true; // a poll in flight holds the lock, so once we have it no listener call can follow
        task.cancel(false);
    }

    /** One poll. Never throws: see the class comment. */
    private synchronized void poll() {
        if (closed) {
            return;
        }
        RoutingSnapshot next;
        try {
            long version = store.version();
            if (version == current.version()) {
                recovered();
                return;
            }
            if (version < current.version()) {
                backwards(version);
                recovered();
                return;
            }
            next = store.loadSnapshot();
            recovered();
        } catch (RuntimeException e) {
            // Every failure, not only TopologyException: an unexpected bug must not cancel the polling either.
            failed(e);
            return;
        }
        if (next.version() <= current.version()) {
            return; // the version went back between the two reads; the next poll reports it
        }
        current = next; // before the listener: a listener failure must not make every poll deliver it again
        try {
            listener.accept(next);
        } catch (RuntimeException e) {
            LOG.warn("the routing snapshot listener failed on version {}; this gateway may route by an older version"
                    + " until the next change", next.version(), e);
        }
    }

    private void failed(RuntimeException e) {
        problem = e.getMessage() == null ? e.toString() : e.getMessage();
        if (unreachableSince == null) {
            unreachableSince = clock.instant();
            LOG.warn("topology store unusable; routing by snapshot version {} until it recovers: {}",
                    current.version(), problem, e);
        } else {
            LOG.debug("topology store still unusable: {}", problem);
        }
    }

    private void recovered() {
        if (unreachableSince != null) {
            LOG.info("topology store usable again after {} ms", Duration.between(unreachableSince, clock.instant())
                    .toMillis());
            unreachableSince = null;
            problem = null;
        }
    }

    private void backwards(long version) {
        if (backwardsVersionLogged != version) {
            backwardsVersionLogged = version;
            // Planner versions only go up, so nothing older can be applied. This happens when the store's tables
            // were dropped and recreated; gateways restarted against the new store pick it up.
            LOG.warn("topology store version went back from {} to {} (were its tables recreated?); keeping version {}"
                    + " until the store's version passes it; restart the gateways to start over from the store",
                    current.version(), version, current.version());
        }
    }
}
