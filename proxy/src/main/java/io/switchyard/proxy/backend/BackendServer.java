package io.switchyard.proxy.backend;

import io.switchyard.config.Endpoint;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;

/**
 * One backend server (endpoint), shared by every {@link BackendPool} that connects to it: its health, its budget of
 * {@code backend.pool_max_size} connections and the sessions waiting for one.
 *
 * <p><b>Pool sizing scope:</b> the budget is per server, across the pools of different keyspaces, users and
 * {@link ClientOptions} that use it, because it protects the server ({@code max_connections}), as the config's
 * "most pooled connections per backend server" says. When the budget is spent and a pool has no idle connection,
 * an idle connection of a sibling pool is closed to make room, so option variants cannot starve each other.
 *
 * <p><b>Health:</b> UP until a connection attempt fails; then DOWN with exponential backoff
 * ({@value #INITIAL_BACKOFF_MILLIS} ms doubling up to {@value #MAX_BACKOFF_MILLIS} ms), during which acquires fail
 * fast. Once the backoff has elapsed, the next acquire or health check tries to connect (half-open); success makes it
 * UP again. The time comes from the injected clock.
 *
 * <p><b>Locking:</b> this object's monitor guards its own fields and the idle deques and per-connection pool fields
 * of its pools. Sections are short and never do I/O or complete futures: callers collect what to do and act after
 * leaving the lock.
 */
final class BackendServer {
    static final long INITIAL_BACKOFF_MILLIS = 100;
    static final long MAX_BACKOFF_MILLIS = 5_000;

    /** Health of the server as seen by the gateway. */
    enum Health {
        UP,
        DOWN
    }

    private final Endpoint endpoint;
    private final int maxSize;
    private final List<BackendPool> pools = new ArrayList<>();
    private final ArrayDeque<Waiter> waiters = new ArrayDeque<>();
    private Health health = Health.UP;
    private int failures;
    private long nextAttemptMillis;
    /** Why the last attempt failed, without the description prefix: "connection refused". */
    private String lastReason = "";
    private BackendException lastFailure;
    /** Connections open or being opened, across all pools. */
    private int open;
    private boolean closed;

    BackendServer(Endpoint endpoint, int maxSize) {
        this.endpoint = endpoint;
        this.maxSize = maxSize;
    }

    Endpoint endpoint() {
        return endpoint;
    }

    int maxSize() {
        return maxSize;
    }

    synchronized void register(BackendPool pool) {
        pools.add(pool);
    }

    /** Forgets a retired pool: its remaining connections close as they come back. */
    synchronized void unregister(BackendPool pool) {
        pools.remove(pool);
    }

    synchronized List<BackendPool> pools() {
        return List.copyOf(pools);
    }

    synchronized Health health() {
        return health;
    }

    synchronized int open() {
        return open;
    }

    /** Whether a connection attempt is allowed now: UP, or DOWN with the backoff elapsed (a probe). */
    synchronized boolean admits(long nowMillis) {
        return !closed && (health == Health.UP || nowMillis >= nextAttemptMillis);
    }

    /**
     * Null if an attempt is allowed now, else the fail-fast error for a pool whose place is {@code description}:
     * {@code <description> is unavailable: <why> (retrying with backoff; next attempt in 1.2 s)}.
     */
    synchronized BackendException refusal(String description, long nowMillis) {
        if (closed) {
            return BackendException.of(BackendException.Kind.UNAVAILABLE, description
                    + " is unavailable: the gateway is shutting down");
        }
        if (health == Health.UP || nowMillis >= nextAttemptMillis) {
            return null;
        }
        return unavailable(description, nowMillis);
    }

    /** The error describing the last failure, as seen from a pool whose place is {@code description}. */
    synchronized BackendException unavailable(String description, long nowMillis) {
        String message = description + " is unavailable: " + lastReason + " (retrying with backoff; next attempt in "
                + BackendPool.seconds(Math.max(0, nextAttemptMillis - nowMillis)) + ")";
        return lastFailure == null ? BackendException.of(BackendException.Kind.UNAVAILABLE, message)
                : lastFailure.withMessage(message);
    }

    /** Takes one connection out of the budget; false when it is spent. */
    synchronized boolean reserve() {
        if (closed || open >= maxSize) {
            return false;
        }
        open++;
        return true;
    }

    /** Returns a reserved slot (attempt failed, or a connection closed without handing its slot on). */
    synchronized void unreserve() {
        open--;
    }

    /** A connection attempt succeeded: the server is UP. */
    synchronized void markUp() {
        health = Health.UP;
        failures = 0;
    }

    /**
     * A connection attempt failed: DOWN, with the backoff grown. Every waiter is removed and returned (to be failed:
     * they would only wait for a server that does not answer), as are the idle connections (likely dead too).
     */
    synchronized Down markDown(String reason, BackendException failure, long nowMillis) {
        health = Health.DOWN;
        failures++;
        long backoff = Math.min(MAX_BACKOFF_MILLIS, INITIAL_BACKOFF_MILLIS << Math.min(failures - 1, 16));
        nextAttemptMillis = nowMillis + backoff;
        lastReason = reason;
        lastFailure = failure;
        List<Waiter> failed = new ArrayList<>(waiters);
        waiters.clear();
        List<BackendConnection> idle = new ArrayList<>();
        for (BackendPool pool : pools) {
            pool.drainIdle(idle);
        }
        return new Down(failed, idle);
    }

    /** What {@link #markDown} took out: waiters to fail and idle connections to close. */
    record Down(List<Waiter> waiters, List<BackendConnection> idle) {
    }

    /** Queues a session for the next connection that is returned or closed. */
    synchronized void enqueue(Waiter waiter) {
        waiters.add(waiter);
    }

    /** Removes a waiter (timed out); false if it was already served or failed. */
    synchronized boolean dequeue(Waiter waiter) {
        return waiters.remove(waiter);
    }

    /** The first waiter of {@code pool}, removed from the queue, or null. */
    synchronized Waiter pollWaiter(BackendPool pool) {
        for (Iterator<Waiter> it = waiters.iterator(); it.hasNext(); ) {
            Waiter waiter = it.next();
            if (waiter.pool() == pool) {
                it.remove();
                return waiter;
            }
        }
        return null;
    }

    /** The first waiter of any pool, removed from the queue, or null. */
    synchronized Waiter pollWaiter() {
        return waiters.poll();
    }

    /**
     * An idle connection of another pool than {@code except}, removed from its pool's idle deque (the oldest first,
     * it is the least likely to be wanted), or null.
     */
    synchronized BackendConnection takeIdleFromOtherPool(BackendPool except) {
        for (BackendPool pool : pools) {
            if (pool != except) {
                BackendConnection victim = pool.pollOldestIdle();
                if (victim != null) {
                    return victim;
                }
            }
        }
        return null;
    }

    /** Stops admitting; returns the waiters to fail. */
    synchronized List<Waiter> close() {
        closed = true;
        List<Waiter> failed = new ArrayList<>(waiters);
        waiters.clear();
        return failed;
    }

    synchronized boolean isClosed() {
        return closed;
    }

    @Override
    public synchronized String toString() {
        return "BackendServer[" + endpoint + " " + health + ", " + open + "/" + maxSize + " open, " + waiters.size()
                + " waiting]";
    }
}
