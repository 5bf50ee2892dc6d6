package io.switchyard.proxy.backend;

import io.netty.channel.EventLoop;
import io.switchyard.proxy.codec.CommandType;
import io.switchyard.proxy.metrics.GatewayMetrics.PoolGauges;

import java.time.Clock;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;

/**
 * The connections to one server for one keyspace database, user and {@link ClientOptions}: an idle deque used LIFO
 * (the most recently used connection is the warmest and the others can age out), within the budget its
 * {@link BackendServer} keeps for all pools of that server.
 *
 * <p>{@link #acquire} hands out an idle connection (preferring one on the caller's event loop), else opens one on
 * the caller's loop within the budget, else waits up to {@code connect_timeout} for one to be returned and then
 * fails with 1040. {@link #release} resets the connection with COM_RESET_CONNECTION (MariaDB 10.2+, MySQL 5.7+:
 * session variables, temporary tables, prepared statements, user variables, open transaction) before it is lent
 * again; a broken connection, one with a response still in flight, or one whose reset fails is closed instead.
 *
 * <p>Thread-safe: the bookkeeping is guarded by the server's monitor ({@link BackendServer}); I/O happens outside it.
 */
public final class BackendPool {
    private final BackendServer server;
    private final ConnectSettings settings;
    private final BackendConnector connector;
    private final PoolGauges gauges;
    private final Clock clock;
    /** Idle connections, most recently returned first. Guarded by {@code server}. */
    private final ArrayDeque<BackendConnection> idle = new ArrayDeque<>();
    /** Every open connection of this pool. Guarded by {@code server}. */
    private final Set<BackendConnection> all = new HashSet<>();
    /** Set when its keyspace is detached: connections coming back are closed, not kept. Guarded by {@code server}. */
    private boolean retired;

    BackendPool(BackendServer server, ConnectSettings settings, BackendConnector connector, PoolGauges gauges,
                Clock clock) {
        this.server = server;
        this.settings = settings;
        this.connector = connector;
        this.gauges = gauges;
        this.clock = clock;
        server.register(this);
    }

    ConnectSettings settings() {
        return settings;
    }

    BackendServer server() {
        return server;
    }

    /**
     * A connection for exclusive use until {@link #release}. Fails fast with a {@link BackendException} while the
     * server is down, after {@code connect_timeout} when the budget stays spent; never hangs.
     */
    public CompletableFuture<BackendConnection> acquire(EventLoop loop) {
        CompletableFuture<BackendConnection> future = new CompletableFuture<>();
        long now = clock.millis();
        BackendException refused;
        BackendConnection reused = null;
        BackendConnection evicted = null;
        boolean open = false;
        Waiter waiter = null;
        synchronized (server) {
            refused = server.refusal(settings.description(), now);
            if (refused == null) {
                reused = takeIdle(loop);
                if (reused != null) {
                    reused.lent = true;
                } else if (server.reserve()) {
                    open = true;
                } else {
                    evicted = server.takeIdleFromOtherPool(this);
                    if (evicted != null) {
                        // The sibling's slot passes to the connection opened here.
                        evicted.pool.all.remove(evicted);
                        open = true;
                    } else {
                        waiter = new Waiter(this, loop, future);
                        server.enqueue(waiter);
                    }
                }
            }
        }
        if (refused != null) {
            future.completeExceptionally(refused);
        } else if (reused != null) {
            gauges.inUse().inc();
            future.complete(reused);
        } else if (open) {
            if (evicted != null) {
                evicted.pool.gauges.size().dec();
                evicted.close();
            }
            openConnection(loop, future);
        } else {
            gauges.waits().inc();
            scheduleTimeout(waiter);
        }
        return future;
    }

    /**
     * Takes a connection back. Broken, mid-response or unresettable connections are closed; the others are reset
     * and go to a waiter of this pool, to a waiter of a sibling pool (by closing it and opening theirs in its slot)
     * or to the idle deque. Callable from any thread; the reset runs on the connection's loop.
     */
    public void release(BackendConnection connection) {
        synchronized (server) {
            // A second release of the same lease must not put the connection in the idle deque twice.
            if (!connection.lent || connection.releasing) {
                return;
            }
            connection.releasing = true;
        }
        try {
            connection.channel().eventLoop().execute(() -> resetAndReturn(connection));
        } catch (RejectedExecutionException shuttingDown) {
            connection.channel().close();
        }
    }

    private void resetAndReturn(BackendConnection connection) {
        if (!connection.isOpen() || !connection.isIdleOnLoop() || server.isClosed()) {
            connection.close();
            return;
        }
        connection.setAutoRead(true);
        connection.simpleCommand(CommandType.COM_RESET_CONNECTION).whenComplete((ok, error) -> {
            if (error != null) {
                connection.close();
            } else {
                returned(connection);
            }
        });
    }

    private void returned(BackendConnection connection) {
        Waiter same;
        Waiter other = null;
        boolean toIdle = false;
        boolean shutDown;
        synchronized (server) {
            connection.releasing = false;
            shutDown = server.isClosed() || retired;
            same = shutDown ? null : server.pollWaiter(this);
            if (same == null && !shutDown) {
                other = server.pollWaiter();
                if (other != null) {
                    all.remove(connection); // its slot passes to the other pool's new connection
                } else {
                    connection.lent = false;
                    connection.idleSinceMillis = clock.millis();
                    idle.addFirst(connection);
                    toIdle = true;
                }
            }
        }
        if (shutDown) {
            connection.close();
        } else if (same != null) {
            if (!same.future().complete(connection)) {
                release(connection); // its caller gave up meanwhile
            }
        } else if (other != null) {
            gauges.inUse().dec();
            gauges.size().dec();
            connection.close();
            other.pool().openConnection(other.loop(), other.future());
        } else if (toIdle) {
            gauges.inUse().dec();
        }
    }

    /** Opens a connection in a slot already reserved for it and lends it to {@code future}. */
    void openConnection(EventLoop loop, CompletableFuture<BackendConnection> future) {
        connector.connect(settings, loop).whenComplete((connection, error) -> {
            if (error != null) {
                connectFailed(error, future);
                return;
            }
            connection.pool = this;
            synchronized (server) {
                server.markUp();
                connection.lent = true;
                all.add(connection);
            }
            gauges.size().inc();
            gauges.inUse().inc();
            connection.channel().closeFuture().addListener(f -> closed(connection));
            if (!future.complete(connection)) {
                release(connection); // the waiter timed out or the caller gave up meanwhile
            }
        });
    }

    private void connectFailed(Throwable error, CompletableFuture<BackendConnection> future) {
        long now = clock.millis();
        BackendException cause = error instanceof BackendException b ? b
                : BackendException.of(BackendException.Kind.UNAVAILABLE, settings.description() + ": " + error, error);
        BackendServer.Down down;
        BackendException failure;
        synchronized (server) {
            server.unreserve();
            down = server.markDown(reasonOf(cause), cause, now);
            failure = server.unavailable(settings.description(), now);
        }
        future.completeExceptionally(failure);
        for (Waiter waiter : down.waiters()) {
            waiter.future().completeExceptionally(server.unavailable(waiter.pool().settings.description(), now));
        }
        down.idle().forEach(BackendConnection::close);
    }

    /** A channel closed: forget the connection, and give its slot to a waiter if one can be served. */
    private void closed(BackendConnection connection) {
        boolean wasMine;
        boolean wasLent;
        Waiter next = null;
        synchronized (server) {
            wasMine = all.remove(connection);
            idle.remove(connection);
            wasLent = connection.lent;
            connection.lent = false;
            connection.releasing = false;
            if (wasMine) {
                if (server.admits(clock.millis())) {
                    next = server.pollWaiter();
                }
                if (next == null) {
                    server.unreserve();
                }
            }
        }
        if (!wasMine) {
            return; // its slot was handed on when it was evicted or transferred; gauges were updated then
        }
        gauges.size().dec();
        if (wasLent) {
            gauges.inUse().dec();
        }
        if (next != null) {
            next.pool().openConnection(next.loop(), next.future());
        }
    }

    /** An idle connection on {@code loop} if there is one, else the most recent open one; null if none. */
    private BackendConnection takeIdle(EventLoop loop) {
        BackendConnection fallback = null;
        for (Iterator<BackendConnection> it = idle.iterator(); it.hasNext(); ) {
            BackendConnection candidate = it.next();
            if (!candidate.isOpen()) {
                continue; // its close listener removes it
            }
            if (candidate.channel().eventLoop() == loop) {
                it.remove();
                return candidate;
            }
            if (fallback == null) {
                fallback = candidate;
            }
        }
        if (fallback != null) {
            idle.remove(fallback);
        }
        return fallback;
    }

    private void scheduleTimeout(Waiter waiter) {
        long timeoutMillis = settings.connectTimeout().toMillis();
        var timer = waiter.loop().schedule(() -> {
            if (server.dequeue(waiter)) {
                waiter.future().completeExceptionally(BackendException.of(BackendException.Kind.POOL_EXHAUSTED,
                        settings.description() + ": too many connections: all " + server.maxSize()
                                + " connections to " + settings.endpoint() + " are in use (backend.pool_max_size)"
                                + " and none was released within " + seconds(timeoutMillis)
                                + " (backend.connect_timeout)"));
            }
        }, timeoutMillis, TimeUnit.MILLISECONDS);
        waiter.future().whenComplete((connection, error) -> timer.cancel(false));
    }

    /** Removes idle connections unused since before {@code cutoffMillis} into {@code out}. Under the server lock. */
    void drainExpired(long cutoffMillis, List<BackendConnection> out) {
        for (Iterator<BackendConnection> it = idle.descendingIterator(); it.hasNext(); ) {
            BackendConnection connection = it.next();
            if (connection.idleSinceMillis < cutoffMillis) {
                it.remove();
                out.add(connection);
            }
        }
    }

    /**
     * Closes the idle connections now and every lent one when it comes back: the keyspace was detached (an import
     * completed), and its server must not keep sessions of ours open until the idle timeout.
     */
    void retire() {
        List<BackendConnection> idleNow = new ArrayList<>();
        synchronized (server) {
            retired = true;
            drainIdle(idleNow);
            server.unregister(this);
        }
        idleNow.forEach(BackendConnection::close);
    }

    /** Removes every idle connection into {@code out}. Under the server lock. */
    void drainIdle(List<BackendConnection> out) {
        out.addAll(idle);
        idle.clear();
    }

    /** Removes and returns the least recently used idle connection, or null. Under the server lock. */
    BackendConnection pollOldestIdle() {
        return idle.pollLast();
    }

    /** The least recently used idle connection if it has been idle since before {@code cutoffMillis}, else null. */
    BackendConnection peekOldestIdle(long cutoffMillis) {
        BackendConnection oldest = idle.peekLast();
        return oldest != null && oldest.idleSinceMillis < cutoffMillis ? oldest : null;
    }

    /** Puts a connection that was checked by the health check back, keeping its idle age. */
    void returnChecked(BackendConnection connection) {
        boolean back;
        synchronized (server) {
            back = all.contains(connection) && !server.isClosed();
            if (back) {
                idle.addLast(connection);
            }
        }
        if (!back) {
            connection.close();
        }
    }

    /** Every open connection, for shutdown. */
    List<BackendConnection> snapshot() {
        synchronized (server) {
            return new ArrayList<>(all);
        }
    }

    int idleCount() {
        synchronized (server) {
            return idle.size();
        }
    }

    /** {@code 1.2 s}, {@code 0.1 s}: durations in messages. */
    static String seconds(long millis) {
        return String.format(Locale.ROOT, "%.1f s", millis / 1000.0);
    }

    /** The part of a connect failure's message after its description: "connection refused". */
    private String reasonOf(BackendException cause) {
        String message = cause.getMessage();
        String prefix = settings.description() + ": ";
        return message.startsWith(prefix) ? message.substring(prefix.length()) : message;
    }

    @Override
    public String toString() {
        return "BackendPool[" + settings.description() + ", " + settings.options() + "]";
    }
}
