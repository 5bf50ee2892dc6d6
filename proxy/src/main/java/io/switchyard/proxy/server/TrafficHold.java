package io.switchyard.proxy.server;

import io.switchyard.proxy.codec.MySqlError;
import io.switchyard.proxy.codec.ProtocolException;
import io.switchyard.proxy.metrics.GatewayMetrics;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.LongSupplier;
import java.util.stream.Collectors;

/**
 * One traffic switch's hold on a set of tables, from {@link QueryBuffer#hold}: the handle the cutover drives.
 *
 * <p>The cutover's sequence: {@code hold} → {@link #awaitDrained} (transactions already writing finish) → read the
 * source position, let the target catch up → {@link #holdUntilRelease()} → flip the routing rules and make this
 * gateway route by them ({@code Gateway.refreshRouting()}) → {@link #release()}. On any failure, {@link #release()}
 * without flipping: the held statements then run on the source, as before.
 *
 * <p>States: {@code HOLDING} → ({@link #holdUntilRelease()}) {@code HELD_UNTIL_RELEASE} → {@code RELEASED}. In
 * {@code HOLDING} the window can end the hold by itself; after {@link #holdUntilRelease()} only {@link #release()}
 * can, so a cutover past its point of no return never sees its held writes escape to the source mid-flip.
 * Thread-safe.
 */
public final class TrafficHold {
    private static final Logger log = LoggerFactory.getLogger(TrafficHold.class);

    public enum State { HOLDING, HELD_UNTIL_RELEASE, RELEASED }

    private final QueryBuffer buffer;
    private final Set<String> tables;
    private final Set<String> keyspaces;
    private final Duration window;
    private final int maxHeldStatements;
    private final LongSupplier nanoTime;
    private final GatewayMetrics metrics;
    private final long startedNanos;
    private final CompletableFuture<Void> drained = new CompletableFuture<>();
    /** Sessions whose transaction touched the tables before the hold and has not ended. Mutated under this. */
    private final Set<QueryBuffer.Participant> draining = ConcurrentHashMap.newKeySet();
    // Guarded by this.
    private int scansPending = 1;
    private State state = State.HOLDING;
    private final ArrayDeque<HeldStatement> parked = new ArrayDeque<>();
    private ScheduledFuture<?> timer;

    TrafficHold(QueryBuffer buffer, Set<String> tables, Duration window, int maxHeldStatements, LongSupplier nanoTime,
                GatewayMetrics metrics) {
        this.buffer = buffer;
        this.tables = Set.copyOf(tables);
        this.keyspaces = this.tables.stream().map(t -> t.substring(0, t.indexOf('.'))).collect(Collectors.toSet());
        this.window = window;
        this.maxHeldStatements = maxHeldStatements;
        this.nanoTime = nanoTime;
        this.metrics = metrics;
        this.startedNanos = nanoTime.getAsLong();
    }

    /** Starts the window and asks every session whether its open transaction touched the tables. */
    void start(List<QueryBuffer.Participant> participants, ScheduledExecutorService scheduler) {
        synchronized (this) {
            scansPending += participants.size();
            timer = scheduler.schedule(this::windowElapsed, window.toNanos(), TimeUnit.NANOSECONDS);
        }
        for (QueryBuffer.Participant participant : participants) {
            try {
                participant.execute(() -> {
                    try {
                        if (participant.touched(this)) {
                            draining(participant);
                        }
                    } finally {
                        scanned();
                    }
                });
            } catch (RejectedExecutionException e) {
                scanned(); // its event loop is shutting down: the session is ending anyway
            }
        }
        scanned();
    }

    /** The tables held, as {@code keyspace.table}. */
    public Set<String> tables() {
        return tables;
    }

    public Duration window() {
        return window;
    }

    public synchronized State state() {
        return state;
    }

    public synchronized boolean isActive() {
        return state != State.RELEASED;
    }

    /** Statements waiting now. */
    public synchronized int heldStatements() {
        return parked.size();
    }

    /**
     * Waits until no transaction that touched the held tables before the hold is still open (autocommit statements
     * included: they count until their OK). Only then does the source have every write the held tables will get,
     * so that is when the cutover may read the source position (the gap Vitess had in #16563).
     *
     * <p>Blocks: never call it on an event loop (the sessions it waits for may run there); use {@link #drained()}.
     *
     * @return true once drained; false if {@code timeout} passed first
     */
    public boolean awaitDrained(Duration timeout) throws InterruptedException {
        try {
            drained.get(timeout.toNanos(), TimeUnit.NANOSECONDS);
            return true;
        } catch (TimeoutException e) {
            return false;
        } catch (ExecutionException e) {
            throw new IllegalStateException("cannot happen: the drained future never fails", e);
        }
    }

    /** Completes when {@link #awaitDrained} would return true; for callers that must not block. */
    public CompletableFuture<Void> drained() {
        return drained.copy();
    }

    /**
     * Takes the window's power to end the hold: from now on only {@link #release()} does. Call it right before
     * flipping the routing rules, and release in a {@code finally}.
     *
     * @return false if the hold has already ended (the window elapsed): held statements may already have run on the
     *     source, so the cutover must not flip and must undo instead
     */
    public synchronized boolean holdUntilRelease() {
        if (state == State.RELEASED) {
            return false;
        }
        state = State.HELD_UNTIL_RELEASE;
        timer.cancel(false);
        return true;
    }

    /**
     * Ends the hold: every held statement is planned again against the routing snapshot current now and runs, each
     * on its own session, in the order the session sent it. Idempotent.
     *
     * @return how many statements were held
     */
    public int release() {
        return end("released");
    }

    private void windowElapsed() {
        synchronized (this) {
            if (state != State.HOLDING) {
                return;
            }
        }
        int released = end("window of " + window.toMillis() + " ms elapsed");
        log.warn("traffic hold on {} ended by its window of {} ms; {} statement(s) run by the routing in force now",
                tables, window.toMillis(), released);
    }

    private int end(String why) {
        List<HeldStatement> out;
        synchronized (this) {
            if (state == State.RELEASED) {
                return 0;
            }
            state = State.RELEASED;
            out = new ArrayList<>(parked);
            parked.clear();
            if (timer != null) {
                timer.cancel(false);
            }
        }
        // Out of the buffer before anything runs, so no released statement is parked here again.
        buffer.remove(this);
        long now = nanoTime.getAsLong();
        long longest = 0;
        for (HeldStatement held : out) {
            long waited = now - held.parkedAtNanos();
            longest = Math.max(longest, waited);
            metrics.bufferReleased(waited);
            held.resume();
        }
        metrics.bufferLongestHold(longest);
        log.info("traffic hold on {} {} after {} ms: {} statement(s) released, longest wait {} ms", tables, why,
                (now - startedNanos) / 1_000_000, out.size(), longest / 1_000_000);
        return out.size();
    }

    boolean matches(Touches touches) {
        return touches.overlaps(tables, keyspaces);
    }

    /** Whether a session's open transaction, which touched {@code tables} and {@code keyspaces}, touched this. */
    boolean matches(Set<String> touchedTables, Set<String> touchedKeyspaces) {
        return new Touches(touchedTables, touchedKeyspaces).overlaps(tables, keyspaces);
    }

    /** Parks a statement; null if the hold has ended meanwhile (run it). */
    synchronized HeldStatement park(QueryBuffer.Participant participant, Touches touches, Runnable resume) {
        if (state == State.RELEASED) {
            return null;
        }
        if (parked.size() >= maxHeldStatements) {
            metrics.bufferOverflow();
            throw overflow(touches);
        }
        HeldStatement held = new HeldStatement(this, participant, resume, nanoTime.getAsLong());
        parked.add(held);
        metrics.bufferHeld();
        return held;
    }

    /** The session went away: forget its statement. False if it was released already (its resume will run). */
    synchronized boolean cancel(HeldStatement held) {
        if (parked.remove(held)) {
            metrics.bufferReleased(nanoTime.getAsLong() - held.parkedAtNanos());
            return true;
        }
        return false;
    }

    synchronized void draining(QueryBuffer.Participant participant) {
        draining.add(participant);
    }

    void workEnded(QueryBuffer.Participant participant) {
        if (!draining.contains(participant)) {
            return; // the common case, without the lock
        }
        synchronized (this) {
            draining.remove(participant);
            completeIfDrained();
        }
    }

    private synchronized void scanned() {
        scansPending--;
        completeIfDrained();
    }

    private void completeIfDrained() {
        if (scansPending == 0 && draining.isEmpty()) {
            drained.complete(null);
        }
    }

    /**
     * 1317 (ER_QUERY_INTERRUPTED, SQLSTATE 70100): MySQL's code for a statement stopped before it finished, and here
     * it never started, so a retry is safe. The message names the table so that an operator reading it knows why.
     */
    private ProtocolException overflow(Touches touches) {
        Set<String> named = new TreeSet<>(touches.tables());
        named.retainAll(tables);
        String what = named.isEmpty() ? "keyspace " + String.join(", ", new TreeSet<>(touches.keyspaces()))
                : "table " + String.join(", ", named);
        return new ProtocolException(MySqlError.ER_QUERY_INTERRUPTED.code(), MySqlError.ER_QUERY_INTERRUPTED.sqlState(),
                "traffic switch in progress for " + what + ": the gateway already holds " + maxHeldStatements
                        + " statements waiting for it; the statement was not run, retry it");
    }

    @Override
    public String toString() {
        return "TrafficHold" + new TreeSet<>(tables) + "[" + state() + ", held " + heldStatements() + "]";
    }

    /** A statement waiting in a hold; runs through {@code resume} on its session's thread when the hold ends. */
    static final class HeldStatement {
        private final TrafficHold hold;
        private final QueryBuffer.Participant participant;
        private final Runnable resume;
        private final long parkedAtNanos;

        private HeldStatement(TrafficHold hold, QueryBuffer.Participant participant, Runnable resume,
                              long parkedAtNanos) {
            this.hold = hold;
            this.participant = participant;
            this.resume = Objects.requireNonNull(resume, "resume");
            this.parkedAtNanos = parkedAtNanos;
        }

        long parkedAtNanos() {
            return parkedAtNanos;
        }

        /** The session closed while this waited; false if the hold released it first. */
        boolean cancel() {
            return hold.cancel(this);
        }

        private void resume() {
            try {
                participant.execute(resume);
            } catch (RejectedExecutionException e) {
                log.debug("session event loop gone; held statement dropped", e);
            }
        }
    }
}
