package io.switchyard.proxy.backend;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.util.ReferenceCountUtil;
import io.switchyard.proxy.codec.CommandType;
import io.switchyard.proxy.codec.Packet;
import io.switchyard.proxy.codec.ProtocolException;
import io.switchyard.proxy.packet.command.TextCommand;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.RejectedExecutionException;

/**
 * One authenticated client-side connection to a MariaDB/MySQL server, in the command phase.
 *
 * <p><b>Threading contract.</b> A connection is used by one session at a time. All its I/O and state live on its
 * channel's event loop: methods called from another thread hop onto that loop (so they never block and never race),
 * and every {@link ResponseListener} callback runs there. A connection opened for a session is opened on the
 * session's loop; an idle one handed out again may belong to another loop (pools prefer the caller's), so a
 * listener must not assume it runs on its session's loop. Never call {@code join()} or {@code get()} on a future of
 * this class from an event loop.
 *
 * <p><b>Failure.</b> When the channel closes, errors or the server breaks the protocol, the pending listener (if
 * any) gets {@link ResponseListener#onFailure} once and the connection is unusable: {@link #isOpen()} turns false
 * and its pool discards it on release.
 */
public final class BackendConnection {
    static final String HANDSHAKE = "handshake";
    private static final Logger log = LoggerFactory.getLogger(BackendConnection.class);

    private final Channel channel;
    private final HandshakeResult handshake;
    private final ConnectSettings settings;
    /** Where the response in flight stands; event-loop confined. */
    private final ResponseTracker tracker;
    /** The listener of the response in flight, or null; event-loop confined. */
    private ResponseListener listener;
    /** The sequence id after the server's last packet: LOCAL INFILE data continues from it. Event-loop confined. */
    private int nextSequenceId;
    /** Set once the connection can no longer be used; read from any thread. */
    private volatile boolean broken;

    /** Pool bookkeeping, guarded by the lock of the {@link BackendServer} the pool belongs to. */
    BackendPool pool;
    long idleSinceMillis;
    /** Lent to a session (or a waiter), from acquire until the pool has taken it back. */
    boolean lent;
    /** Released and being reset: a second release is ignored. */
    boolean releasing;

    /** Called on the channel's event loop once the handshake succeeded: takes over from the handshake handler. */
    BackendConnection(Channel channel, HandshakeResult handshake, ConnectSettings settings) {
        this.channel = channel;
        this.handshake = handshake;
        this.settings = settings;
        this.tracker = new ResponseTracker(handshake.capabilities(), handshake.statusFlags());
        channel.pipeline().replace(HANDSHAKE, "backend", new Handler());
    }

    /** The connection id from the server's greeting: what {@code KILL QUERY} takes. */
    public long threadId() {
        return handshake.threadId();
    }

    public String serverVersion() {
        return handshake.serverVersion();
    }

    /** The capabilities in effect on this connection (what the gateway asked for and the server offered). */
    public long capabilities() {
        return handshake.capabilities();
    }

    public boolean isTls() {
        return handshake.tls();
    }

    public io.netty.channel.Channel channel() {
        return channel;
    }

    /** Where this connection goes, for messages: {@code keyspace commerce shard 0 primary 127.0.0.1:3306}. */
    public String description() {
        return settings.description();
    }

    public ClientOptions options() {
        return settings.options();
    }

    public boolean isOpen() {
        return !broken && channel.isActive();
    }

    /**
     * Sends one command with sequence id 0 and streams the response to {@code listener} until it is complete (see
     * {@link ResponseTracker} for how the end is found). Takes ownership of {@code payload}. If a response is still
     * in flight or the connection is closed, the listener gets {@link ResponseListener#onFailure} instead.
     *
     * @throws IllegalArgumentException for a command without a response (use {@link #send}) or a replication stream
     */
    public void execute(CommandType command, ByteBuf payload, ResponseListener listener) {
        try {
            ResponseTracker.requireTrackable(command);
        } catch (IllegalArgumentException e) {
            payload.release();
            throw e;
        }
        onLoop(() -> doExecute(command, payload, listener), () -> {
            payload.release();
            listener.onFailure(BackendException.of(BackendException.Kind.LOST, settings.description()
                    + ": the gateway is shutting down"));
        });
    }

    private void doExecute(CommandType command, ByteBuf payload, ResponseListener newListener) {
        if (!isOpen()) {
            payload.release();
            newListener.onFailure(BackendException.of(BackendException.Kind.LOST, settings.description()
                    + ": the backend connection is closed"));
            return;
        }
        if (listener != null || !tracker.isIdle()) {
            payload.release();
            newListener.onFailure(BackendException.of(BackendException.Kind.PROTOCOL, settings.description()
                    + ": a command was sent while the response to the previous one is still in flight"));
            return;
        }
        tracker.start(command);
        listener = newListener;
        channel.writeAndFlush(new Packet(0, payload)).addListener(writeFailure());
    }

    /** A command without a response (COM_STMT_CLOSE, COM_STMT_SEND_LONG_DATA): sends it and returns. */
    public void send(ByteBuf payload) {
        onLoop(() -> {
            if (!isOpen()) {
                payload.release();
                return;
            }
            channel.writeAndFlush(new Packet(0, payload)).addListener(writeFailure());
        }, payload::release);
    }

    /**
     * LOCAL INFILE: relays one packet of the client's file, renumbered to continue the exchange; an empty payload
     * ends the file, after which the server's OK or ERR completes the pending {@link #execute}. Takes ownership.
     */
    public void sendLocalInfileData(Packet packet) {
        onLoop(() -> {
            if (!isOpen() || !tracker.awaitsLocalInfile()) {
                // Closed meanwhile (the listener hears of it), or the file already ended: nothing to send it to.
                log.debug("{}: dropping LOCAL INFILE data, no file was requested", settings.description());
                packet.release();
                return;
            }
            Packet out = new Packet(nextSequenceId, packet.payload());
            nextSequenceId = out.nextSequenceId();
            if (out.length() == 0) {
                tracker.localInfileSent();
            }
            channel.writeAndFlush(out).addListener(writeFailure());
        }, packet::release);
    }

    /** Backpressure: stops or resumes reading from the server (Netty's AUTO_READ); callable from any thread. */
    public void setAutoRead(boolean on) {
        channel.config().setAutoRead(on);
    }

    /**
     * Runs a statement the gateway issues itself (session replay, health check, KILL). Completes with the first
     * result set's rows as strings and the final status, or exceptionally with a {@link BackendException}: kind
     * {@link BackendException.Kind#SERVER_ERROR} carrying the server's code, SQLSTATE and message when the statement
     * failed (the connection stays usable), another kind when the connection failed.
     */
    public CompletableFuture<SimpleResult> query(String sql) {
        CompletableFuture<SimpleResult> result = new CompletableFuture<>();
        ByteBuf payload = TextCommand.query(sql).encode(channel.alloc(), capabilities());
        execute(CommandType.COM_QUERY, payload, new QueryCollector(this, result));
        return result;
    }

    /** Runs a command answered by one OK (COM_PING, COM_RESET_CONNECTION); fails with the ERR otherwise. */
    CompletableFuture<Void> simpleCommand(CommandType command) {
        CompletableFuture<Void> result = new CompletableFuture<>();
        execute(command, Unpooled.buffer(1).writeByte(command.code()), new ResponseListener() {
            @Override
            public void onPacket(Packet packet, boolean last, int statusFlags) {
                try {
                    if (packet.header() == 0x00) {
                        result.complete(null);
                    } else {
                        result.completeExceptionally(QueryCollector.serverError(packet, capabilities()));
                    }
                } finally {
                    packet.release();
                }
            }

            @Override
            public void onFailure(BackendException cause) {
                result.completeExceptionally(cause);
            }
        });
        return result;
    }

    /** True when no response is in flight; on the event loop only. */
    boolean isIdleOnLoop() {
        return listener == null && tracker.isIdle();
    }

    /**
     * Closes the connection, politely (COM_QUIT) when no response is in flight. A pending listener gets
     * {@link ResponseListener#onFailure}. Idempotent; callable from any thread.
     */
    public void close() {
        onLoop(() -> {
            boolean idle = isIdleOnLoop();
            broken = true;
            failPending(BackendException.of(BackendException.Kind.LOST, settings.description()
                    + ": the gateway closed the backend connection during the query"));
            if (idle && channel.isActive()) {
                channel.writeAndFlush(new Packet(0, Unpooled.buffer(1).writeByte(CommandType.COM_QUIT.code())))
                        .addListener(ChannelFutureListener.CLOSE);
            } else {
                channel.close();
            }
        });
    }

    private void onLoop(Runnable task) {
        onLoop(task, () -> {
        });
    }

    /** Runs {@code task} on the channel's loop, or {@code rejected} here if that loop has shut down. */
    private void onLoop(Runnable task, Runnable rejected) {
        if (channel.eventLoop().inEventLoop()) {
            task.run();
            return;
        }
        try {
            channel.eventLoop().execute(task);
        } catch (RejectedExecutionException shuttingDown) {
            // The loop is gone, and with it the channel.
            broken = true;
            rejected.run();
        }
    }

    private ChannelFutureListener writeFailure() {
        return future -> {
            if (!future.isSuccess()) {
                broken = true;
                failPending(BackendException.of(BackendException.Kind.LOST, settings.description()
                        + ": cannot write to the backend: " + future.cause().getMessage(), future.cause()));
                channel.close();
            }
        };
    }

    /** Ends the response in flight with {@code cause}; on the event loop. */
    private void failPending(BackendException cause) {
        ResponseListener pending = listener;
        listener = null;
        tracker.abandon();
        if (pending != null) {
            pending.onFailure(cause);
        }
    }

    @Override
    public String toString() {
        return "BackendConnection[" + settings.description() + ", thread " + threadId() + (isOpen() ? "" : ", closed")
                + "]";
    }

    /** The command-phase handler: feeds the tracker and hands packets to the pending listener. */
    private final class Handler extends ChannelInboundHandlerAdapter {
        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            if (!(msg instanceof Packet packet)) {
                ReferenceCountUtil.release(msg);
                return;
            }
            ResponseListener current = listener;
            if (current == null) {
                // E.g. MariaDB's ERR "Connection was killed" on an idle connection: it is gone either way.
                log.debug("{}: unsolicited packet {} with no command in flight; closing", settings.description(),
                        packet);
                packet.release();
                broken = true;
                ctx.close();
                return;
            }
            boolean last;
            try {
                last = tracker.accept(packet.payload());
            } catch (ProtocolException e) {
                packet.release();
                broken = true;
                failPending(BackendException.of(BackendException.Kind.PROTOCOL, settings.description()
                        + ": protocol violation by the backend: " + e.getMessage(), e));
                ctx.close();
                return;
            }
            nextSequenceId = packet.nextSequenceId();
            boolean infile = !last && tracker.awaitsLocalInfile();
            if (last) {
                listener = null; // before the callback, which may already send the next command
            }
            try {
                current.onPacket(packet, last, last ? tracker.statusFlags() : -1);
                if (infile) {
                    current.onLocalInfileRequest();
                }
            } catch (RuntimeException e) {
                // The listener's bug leaves the exchange in an unknown state: drop the connection. If the response
                // was not complete, channelInactive tells the listener.
                log.warn("{}: response listener failed; closing the backend connection", settings.description(), e);
                broken = true;
                ctx.close();
            }
        }

        @Override
        public void channelInactive(ChannelHandlerContext ctx) {
            boolean pending = listener != null;
            broken = true;
            failPending(BackendException.of(BackendException.Kind.LOST, settings.description()
                    + (pending ? ": lost connection to the backend during the query" : " closed the connection")));
            ctx.fireChannelInactive();
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            broken = true;
            BackendException.Kind kind = cause instanceof ProtocolException
                    ? BackendException.Kind.PROTOCOL : BackendException.Kind.LOST;
            failPending(BackendException.of(kind, settings.description() + ": lost connection to the backend during"
                    + " the query: " + cause.getMessage(), cause));
            ctx.close();
        }
    }
}
