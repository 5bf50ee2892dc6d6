package io.switchyard.proxy.server;

import io.switchyard.proxy.codec.ProtocolException;
import io.switchyard.proxy.metrics.GatewayMetrics;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledExecutorService;
import java.util.function.LongSupplier;

/**
 * Holds statements on tables whose traffic is being switched, so that clients wait instead of failing while a
 * cutover flips routing rules, then runs them against the new routing. One per gateway, shared by its sessions and
 * given to {@link GatewayServer} through its options; the cutover that runs on this gateway calls {@link #hold}.
 *
 * <p>What waits: a statement that reads or writes a held table (by the planner's parse; statements the planner cannot
 * attribute wait if they run in a keyspace with a held table), unless the session's open transaction had already
 * touched a held table when it arrived — such transactions run to their end, which {@link TrafficHold#awaitDrained}
 * waits for. A waiting statement is parked without blocking its event loop; the session's later commands queue
 * behind it, so each session's order is kept. Other sessions and tables are not affected.
 *
 * <p>Buffering happens before routing: {@link TrafficHold#release()} plans each held statement again, against the
 * routing snapshot current at that moment, so they land where the flipped rules point (Vitess buffers the same way;
 * see docs/architecture.md, "Query buffering during a traffic switch").
 *
 * <p>Threading: {@link #hold} and the handle's methods are called from any thread; sessions call the package-private
 * methods from their event loops. With no hold active a session pays one volatile read per statement.
 */
public final class QueryBuffer {
    /** How long a hold lasts at most unless the cutover says otherwise: Vitess's {@code --buffer_window}. */
    public static final Duration DEFAULT_WINDOW = Duration.ofSeconds(10);

    /**
     * Statements one hold keeps at most before it refuses more: Vitess's {@code --buffer_size}. Each waiting statement
     * keeps its packet in memory, and a session has at most one waiting, so the bound is reached only with that many
     * sessions on the moving tables.
     */
    public static final int DEFAULT_MAX_HELD_STATEMENTS = 1000;

    /** A client session as the buffer sees it. Implemented by {@link CommandPhase}. */
    interface Participant {
        /** Runs {@code task} on the session's own thread (its event loop). */
        void execute(Runnable task);

        /** On the session's thread: whether its open transaction (or running statement) touched {@code hold}. */
        boolean touched(TrafficHold hold);
    }

    private final ScheduledExecutorService scheduler;
    private final LongSupplier nanoTime;
    private final GatewayMetrics metrics;
    private final Set<Participant> participants = ConcurrentHashMap.newKeySet();
    /** Copy-on-write: read on every statement, written once per hold. */
    private volatile List<TrafficHold> holds = List.of();

    /**
     * @param scheduler ends holds whose window elapsed (the gateway's worker event loops will do)
     * @param nanoTime  measures how long statements waited ({@code System::nanoTime} outside tests)
     */
    public QueryBuffer(ScheduledExecutorService scheduler, LongSupplier nanoTime, GatewayMetrics metrics) {
        this.scheduler = Objects.requireNonNull(scheduler, "scheduler");
        this.nanoTime = Objects.requireNonNull(nanoTime, "nanoTime");
        this.metrics = Objects.requireNonNull(metrics, "metrics");
    }

    /** {@link #hold(Set, Duration, int)} with {@link #DEFAULT_WINDOW} and {@link #DEFAULT_MAX_HELD_STATEMENTS}. */
    public TrafficHold hold(Set<String> tables) {
        return hold(tables, DEFAULT_WINDOW, DEFAULT_MAX_HELD_STATEMENTS);
    }

    /**
     * Starts holding new statements on {@code tables}. Returns at once; transactions that had already touched them
     * keep running (see {@link TrafficHold#awaitDrained}).
     *
     * @param tables            {@code keyspace.table}, as the routing rules resolve them <em>at the moment</em>: the
     *                          source keyspace's tables before the flip. Naming the target's tables too keeps
     *                          statements that arrive between the flip and {@link TrafficHold#release()} waiting
     *                          as well, instead of running on the target ahead of the ones held before them
     * @param maxWindow         when it elapses the hold ends by itself ({@link TrafficHold#release()}), unless the
     *                          cutover called {@link TrafficHold#holdUntilRelease()}
     * @param maxHeldStatements statements beyond it are refused with error 1317 instead of waiting
     * @throws IllegalArgumentException naming the bad argument
     */
    public TrafficHold hold(Set<String> tables, Duration maxWindow, int maxHeldStatements) {
        Objects.requireNonNull(tables, "tables");
        Objects.requireNonNull(maxWindow, "maxWindow");
        if (tables.isEmpty()) {
            throw new IllegalArgumentException("tables was empty; name at least one keyspace.table to hold");
        }
        for (String table : tables) {
            int dot = table.indexOf('.');
            if (dot <= 0 || dot == table.length() - 1 || table.indexOf('.', dot + 1) >= 0) {
                throw new IllegalArgumentException("table '" + table + "' is not keyspace.table");
            }
        }
        if (maxWindow.isNegative() || maxWindow.isZero()) {
            throw new IllegalArgumentException("maxWindow was " + maxWindow + "; it must be positive");
        }
        if (maxHeldStatements < 1) {
            throw new IllegalArgumentException("maxHeldStatements was " + maxHeldStatements + "; it must be >= 1");
        }
        TrafficHold hold = new TrafficHold(this, tables, maxWindow, maxHeldStatements, nanoTime, metrics);
        synchronized (this) {
            List<TrafficHold> next = new ArrayList<>(holds);
            next.add(hold);
            holds = List.copyOf(next);
            metrics.bufferHolds(next.size());
        }
        // Published first, then every session is asked on its own thread what its open transaction touched: a
        // statement that missed the hold has recorded its tables by then (both run on the session's event loop).
        hold.start(List.copyOf(participants), scheduler);
        return hold;
    }

    /** The holds in force now, oldest first. */
    public List<TrafficHold> holds() {
        return holds;
    }

    /** Whether any hold is in force: sessions then plan every statement, even on the fast path. */
    boolean holding() {
        return !holds.isEmpty();
    }

    void join(Participant participant) {
        participants.add(participant);
    }

    /** The session ended: it no longer holds any transaction open. */
    void leave(Participant participant) {
        participants.remove(participant);
        workEnded(participant);
    }

    /** The session's transaction (or autocommit statement) ended. */
    void workEnded(Participant participant) {
        for (TrafficHold hold : holds) {
            hold.workEnded(participant);
        }
    }

    /**
     * Whether the statement must wait: returns its ticket if it was parked (it then runs through {@code resume}, on
     * the session's thread, when the hold ends), or null if it may run now.
     *
     * @throws ProtocolException 1317 if a hold it belongs to is full
     */
    TrafficHold.HeldStatement admit(Participant participant, Touches touches, Runnable resume) {
        for (TrafficHold hold : holds) {
            if (!hold.matches(touches)) {
                continue;
            }
            if (participant.touched(hold)) {
                hold.draining(participant); // its transaction was under way before the hold: let it finish
                continue;
            }
            TrafficHold.HeldStatement held = hold.park(participant, touches, resume);
            if (held != null) {
                return held;
            }
        }
        return null;
    }

    synchronized void remove(TrafficHold hold) {
        List<TrafficHold> next = new ArrayList<>(holds);
        next.remove(hold);
        holds = List.copyOf(next);
        metrics.bufferHolds(next.size());
    }
}
