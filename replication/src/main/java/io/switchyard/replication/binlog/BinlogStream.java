package io.switchyard.replication.binlog;

import com.github.shyiko.mysql.binlog.BinaryLogClient;
import com.github.shyiko.mysql.binlog.event.Event;
import com.github.shyiko.mysql.binlog.event.deserialization.EventDeserializer;
import com.github.shyiko.mysql.binlog.network.SSLMode;
import com.github.shyiko.mysql.binlog.network.ServerException;
import io.switchyard.replication.copy.SqlConnector;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import javax.net.ssl.SSLSocket;
import java.io.IOException;
import java.net.Socket;
import java.net.SocketException;
import java.time.Clock;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;

/**
 * Streams row changes of chosen tables from a MariaDB (or MySQL) source's binlog, from a GTID position, as
 * {@link BinlogEvent}s. One stream is one replica connection (server id from {@link BinlogSource}).
 *
 * <p><b>Threading.</b> {@link #start} creates one thread with the given factory; the binlog client's blocking read
 * loop, the decoding and every call to {@code events} and {@code failures} run on it, in source order, so the consumer
 * needs no locking and may block (that is the backpressure: nothing is read while it runs). {@link #close} may be
 * called from any thread, including from inside the consumer.
 *
 * <p><b>Failures.</b> Anything unexpected — a network error, a missed heartbeat window, an event that cannot be
 * decoded, an exception thrown by the consumer — stops the stream and is reported exactly once to {@code failures}
 * (as {@link BinlogPurgedException} when the position is no longer on the source). No event is ever skipped; no
 * reconnect happens here: the caller restarts from the position it committed, which keeps exactly-once simple.
 * Nothing is reported after {@link #close}.
 */
public final class BinlogStream implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(BinlogStream.class);

    private final BinlogSource source;
    private final String startPosition;
    private final BinaryLogClient client;
    private final TransactionAssembler assembler;
    private final Consumer<BinlogStreamException> failures;
    private final Thread thread;
    private final AtomicBoolean closed = new AtomicBoolean();
    /** First failure seen; written and read on the stream thread only (the client calls back on it). */
    private Exception failure;
    /** {@link TransactionAssembler#position()} as of the last event, for readers on other threads. */
    private volatile String position;

    private BinlogStream(BinlogSource source, String startPosition, Set<TableName> tables,
                         SqlConnector schemaSource, ThreadFactory threads, Consumer<BinlogEvent> events,
                         Consumer<BinlogStreamException> failures, Clock clock) {
        this.source = source;
        this.startPosition = startPosition;
        this.position = startPosition;
        this.failures = failures;
        this.assembler = new TransactionAssembler(startPosition, tables, new TableSchemas(schemaSource), events, clock);
        this.client = newClient(source, startPosition);
        this.thread = threads.newThread(this::run);
    }

    /**
     * Connects and streams every transaction after {@code fromGtid} that changes one of {@code tables}.
     *
     * @param fromGtid     MariaDB {@code 0-100-5,1-200-7} or MySQL {@code uuid:1-5}; the last transaction already
     *                     applied (e.g. a snapshot's position or the last {@link BinlogEvent#gtid()} committed)
     * @param schemaSource JDBC access to the source, for column names and types
     * @param threads      makes the one stream thread (name it after the workflow and shard)
     */
    public static BinlogStream start(BinlogSource source, String fromGtid, Set<TableName> tables,
                                     SqlConnector schemaSource, ThreadFactory threads, Consumer<BinlogEvent> events,
                                     Consumer<BinlogStreamException> failures, Clock clock) {
        Objects.requireNonNull(source, "source");
        Objects.requireNonNull(fromGtid, "fromGtid");
        if (tables.isEmpty()) {
            throw new IllegalArgumentException("binlog stream needs at least one table to watch");
        }
        if (fromGtid.isBlank()) {
            // An empty MariaDB connect state means "from the first binlog", which is almost never what a caller
            // that lost its position wants; make it explicit instead.
            throw new IllegalArgumentException("binlog stream start position is empty: read @@gtid_binlog_pos"
                    + " (MariaDB) or @@gtid_executed (MySQL) after at least one transaction");
        }
        BinlogStream stream = new BinlogStream(source, fromGtid, Set.copyOf(tables), schemaSource, threads,
                Objects.requireNonNull(events, "events"), Objects.requireNonNull(failures, "failures"), clock);
        stream.thread.start();
        return stream;
    }

    /** The position after the last complete transaction the stream has read (delivered or filtered out). */
    public String position() {
        return position;
    }

    /** Whether the stream thread is still running. */
    public boolean isRunning() {
        return thread.isAlive();
    }

    /** Stops streaming; waits for the stream thread unless called from it. Idempotent; reports no failure. */
    @Override
    public void close() {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        disconnectQuietly();
        if (Thread.currentThread() != thread) {
            try {
                thread.join(10_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            if (thread.isAlive()) {
                LOG.warn("binlog stream from {} did not stop within 10s", source);
            }
        }
    }

    private BinaryLogClient newClient(BinlogSource source, String startPosition) {
        BinaryLogClient c = new BinaryLogClient(source.host(), source.port(), source.user(), source.password());
        c.setServerId(source.serverId());
        c.setGtidSet(startPosition);
        // No client-side reconnects: the client would resume from its own GTID bookkeeping while we may hold half a
        // transaction. The caller restarts from its committed position instead.
        c.setKeepAlive(false);
        c.setHeartbeatInterval(source.heartbeat().toMillis());
        int readTimeout = Math.toIntExact(source.readTimeout().toMillis());
        c.setSocketFactory(() -> {
            Socket socket = new Socket();
            // Heartbeats arrive at least every heartbeat interval, so a silent socket means a dead peer.
            socket.setSoTimeout(readTimeout);
            return socket;
        });
        useTls(c, source);
        EventDeserializer deserializer = new EventDeserializer();
        deserializer.setCompatibilityMode(EventDeserializer.CompatibilityMode.DATE_AND_TIME_AS_LONG_MICRO,
                EventDeserializer.CompatibilityMode.CHAR_AND_BINARY_AS_BYTE_ARRAY,
                EventDeserializer.CompatibilityMode.INVALID_DATE_AND_TIME_AS_MIN_VALUE);
        c.setEventDeserializer(deserializer);
        c.registerEventListener(this::onEvent);
        c.registerLifecycleListener(new BinaryLogClient.AbstractLifecycleListener() {
            @Override
            public void onConnect(BinaryLogClient client) {
                if (closed.get()) {
                    // close() ran before the client had a connection to end: end it now, on this thread, which
                    // holds the client's connect lock, so the read loop finds the channel closed and returns.
                    disconnectQuietly();
                    return;
                }
                LOG.info("binlog stream connected to {} from {}", source, startPosition);
            }

            @Override
            public void onCommunicationFailure(BinaryLogClient client, Exception ex) {
                fail(ex);
            }

            @Override
            public void onEventDeserializationFailure(BinaryLogClient client, Exception ex) {
                // The client would log and carry on with the next event; that would skip this one.
                fail(ex);
                disconnectQuietly();
            }
        });
        return c;
    }

    /**
     * The client's own checks are not used: its VERIFY_IDENTITY compares the certificate with the reverse-DNS name of
     * the address connected to (e.g. "localhost" for 127.0.0.1) and cannot take a server name. Our context checks CA
     * and name during the handshake, so the client is told VERIFY_CA (no identity check of its own) instead.
     */
    private static void useTls(BinaryLogClient c, BinlogSource source) {
        BinlogTls tls = source.tls();
        c.setSSLMode(switch (tls.mode()) {
            case DISABLED -> SSLMode.DISABLED;
            case PREFERRED -> SSLMode.PREFERRED;
            case REQUIRED -> SSLMode.REQUIRED;
            case VERIFY_CA, VERIFY_IDENTITY -> SSLMode.VERIFY_CA;
        });
        tls.context().ifPresent(context -> c.setSslSocketFactory(plain -> {
            try {
                // The name given here is the one sent as SNI (not for an IP address) and used for session reuse.
                SSLSocket socket = (SSLSocket) context.getSocketFactory().createSocket(plain, source.host(),
                        source.port(), true);
                if (!tls.protocols().isEmpty()) {
                    List<String> supported = List.of(socket.getSupportedProtocols());
                    String[] enabled = tls.protocols().stream().filter(supported::contains).toArray(String[]::new);
                    if (enabled.length == 0) {
                        throw new IllegalArgumentException("this JVM supports none of the TLS versions "
                                + tls.protocols());
                    }
                    socket.setEnabledProtocols(enabled);
                }
                return socket;
            } catch (IOException | IllegalArgumentException e) {
                SocketException failure = new SocketException("cannot start TLS to " + source.host() + ":"
                        + source.port() + ": " + e.getMessage());
                failure.initCause(e);
                throw failure;
            }
        }));
    }

    private void run() {
        if (closed.get()) {
            return; // closed before this thread ran: never connect
        }
        try {
            client.connect(); // blocks: runs the read loop on this thread until disconnect or failure
        } catch (IOException | RuntimeException e) {
            fail(e);
        }
        if (closed.get()) {
            LOG.info("binlog stream from {} closed at {}", source, position());
            return;
        }
        BinlogStreamException reported = classify(failure);
        LOG.error("binlog stream from {} stopped at {}: {}", source, position(), reported.getMessage(), reported);
        failures.accept(reported);
    }

    private void onEvent(Event event) {
        if (closed.get()) {
            // Not delivered, and the position does not move past them. A close that raced with the connect may
            // have found no connection to end; heartbeats keep coming, so the first event after it ends it here.
            disconnectQuietly();
            return;
        }
        if (failure != null) {
            return; // already stopping
        }
        try {
            assembler.accept(event);
            position = assembler.position();
        } catch (RuntimeException e) {
            // The client swallows listener exceptions and moves on; stop here instead.
            fail(e);
            disconnectQuietly();
        }
    }

    private void fail(Exception e) {
        if (failure == null && !closed.get()) {
            failure = e;
        }
    }

    private BinlogStreamException classify(Exception e) {
        if (e == null) {
            return new BinlogStreamException("source " + source + " ended the binlog connection at " + position());
        }
        if (e instanceof BinlogStreamException known) {
            return known;
        }
        if (e instanceof ServerException server && server.getErrorCode() == BinlogPurgedException.ERROR_CODE
                && isPurgedMessage(server.getMessage())) {
            return new BinlogPurgedException(position(), server.getMessage(), e);
        }
        return new BinlogStreamException("binlog stream from " + source + " failed at " + position() + ": " + e, e);
    }

    /** Error 1236 also covers other fatal read errors (corrupt event, GTID ahead of source); only these are "gone". */
    private static boolean isPurgedMessage(String message) {
        String m = message == null ? "" : message.toLowerCase(Locale.ROOT);
        return m.contains("could not find gtid state") || m.contains("purged") || m.contains("could not find first log");
    }

    private void disconnectQuietly() {
        try {
            client.disconnect();
        } catch (IOException e) {
            LOG.debug("disconnect from {} failed: {}", source, e.toString());
        }
    }
}
