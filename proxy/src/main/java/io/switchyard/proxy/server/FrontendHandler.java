package io.switchyard.proxy.server;

import io.netty.buffer.ByteBufAllocator;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.switchyard.config.User;
import io.switchyard.proxy.auth.Seeds;
import io.switchyard.proxy.backend.ClientOptions;
import io.switchyard.proxy.codec.Capabilities;
import io.switchyard.proxy.codec.Collations;
import io.switchyard.proxy.codec.MySqlError;
import io.switchyard.proxy.codec.Packet;
import io.switchyard.proxy.codec.ProtocolException;
import io.switchyard.proxy.codec.ServerStatus;
import io.switchyard.proxy.packet.MySqlPacket;
import io.switchyard.proxy.packet.generic.ErrPacket;
import io.switchyard.proxy.packet.generic.OkPacket;
import io.switchyard.proxy.packet.handshake.HandshakeResponse41;
import io.switchyard.proxy.packet.handshake.HandshakeV10;
import io.switchyard.proxy.packet.resultset.TextResultSet;
import io.switchyard.proxy.session.Target;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.net.InetSocketAddress;
import java.util.List;
import java.util.Optional;

/**
 * One client connection: the connection phase (greeting, optional TLS upgrade, authentication) as a small state
 * machine, then the command phase, which {@link CommandPhase} runs. All of it on the channel's event loop.
 */
final class FrontendHandler extends ChannelInboundHandlerAdapter {
    private static final Logger log = LoggerFactory.getLogger(FrontendHandler.class);

    private enum State { GREETING_SENT, AUTHENTICATING, COMMAND, CLOSED }

    private final GatewayContext context;
    private ChannelHandlerContext ctx;
    private State state = State.GREETING_SENT;
    private Session session;
    private byte[] seed;
    private long serverCapabilities;
    private boolean secure;
    private AuthExchange auth;
    private HandshakeResponse41 handshake;
    private int nextSequenceId;
    private CommandPhase commands;

    FrontendHandler(GatewayContext context) {
        this.context = context;
    }

    @Override
    public void channelActive(ChannelHandlerContext ctx) {
        this.ctx = ctx;
        InetSocketAddress remote = (InetSocketAddress) ctx.channel().remoteAddress();
        long id = context.sessions().nextId();
        session = new Session(id, remote == null ? "unknown" : remote.getAddress().getHostAddress());
        context.sessions().add(id, this);
        context.metrics().clientConnected();
        seed = Seeds.generate(context.random());
        serverCapabilities = Capabilities.GATEWAY_SERVER_DEFAULT
                | (context.ssl().isPresent() ? Capabilities.CLIENT_SSL : 0);
        HandshakeV10 greeting = new HandshakeV10(context.serverVersion(), id, seed, serverCapabilities,
                Collations.UTF8MB4_GENERAL_CI, ServerStatus.SERVER_STATUS_AUTOCOMMIT, context.defaultAuthPlugin());
        write(greeting, 0, serverCapabilities);
        ctx.flush();
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        Packet packet = (Packet) msg;
        context.metrics().bytesIn(packet.length() + 4L);
        try {
            switch (state) {
                case GREETING_SENT -> {
                    try {
                        onHandshakeResponse(packet);
                    } finally {
                        packet.release();
                    }
                }
                case AUTHENTICATING -> {
                    try {
                        nextSequenceId = packet.nextSequenceId();
                        onAuthStep(auth.next(packet.payload()));
                    } finally {
                        packet.release();
                    }
                }
                case COMMAND -> commands.onPacket(packet);
                case CLOSED -> packet.release();
            }
        } catch (ProtocolException e) {
            failConnection(e);
        }
    }

    private void onHandshakeResponse(Packet packet) {
        nextSequenceId = packet.nextSequenceId();
        if (HandshakeResponse41.isSslRequest(packet.payload())) {
            // TlsUpgrade takes SSLRequests off the wire; one that gets here was not asked for or came twice.
            throw MySqlError.ER_HANDSHAKE_ERROR.exception();
        }
        handshake = HandshakeResponse41.read(packet.reader(), serverCapabilities);
        auth = new AuthExchange(context.users(), seed, secure, context.rsaKey(), context.sha2Cache(),
                session.clientHost());
        state = State.AUTHENTICATING;
        onAuthStep(auth.start(handshake.username(), handshake.authPluginName(), handshake.authResponse()));
    }

    private void onAuthStep(AuthExchange.Step step) {
        long caps = negotiated();
        for (MySqlPacket packet : step.send()) {
            write(packet, nextSequenceId, caps);
            nextSequenceId = (nextSequenceId + 1) & 0xFF;
        }
        switch (step.outcome()) {
            case CONTINUE -> ctx.flush();
            case FAILURE -> failConnection(step.error());
            case SUCCESS -> onAuthenticated(step.user());
        }
    }

    private void onAuthenticated(User user) {
        long caps = negotiated();
        session.authenticated(user, caps, ClientOptions.of(caps, handshake.characterSet()));
        if (handshake.database() != null && !handshake.database().isEmpty()) {
            Optional<ProtocolException> refused = useDatabase(handshake.database());
            if (refused.isPresent()) {
                failConnection(refused.get());
                return;
            }
        }
        state = State.COMMAND;
        auth = null;
        commands = new CommandPhase(context, this, session);
        write(OkPacket.of(0, 0, session.statusFlags(), 0), nextSequenceId, caps);
        ctx.flush();
        log.debug("connection {} authenticated as {} from {}", session.id(), user.name(), session.clientHost());
    }

    /** Makes {@code database} the session's target: a keyspace, optionally with shard and tablet type. */
    Optional<ProtocolException> useDatabase(String database) {
        Target target;
        try {
            target = Target.parse(database);
        } catch (IllegalArgumentException e) {
            return Optional.of(new ProtocolException(MySqlError.ER_BAD_DB_ERROR.code(),
                    MySqlError.ER_BAD_DB_ERROR.sqlState(), "Unknown database '" + database + "': " + e.getMessage()));
        }
        var keyspace = context.keyspace(target.keyspace());
        if (keyspace.isEmpty()) {
            return Optional.of(MySqlError.ER_BAD_DB_ERROR.exception(database));
        }
        if (target.shard().isPresent() && keyspace.get().shard(target.shard().get()).isEmpty()) {
            return Optional.of(new ProtocolException(MySqlError.ER_BAD_DB_ERROR.code(),
                    MySqlError.ER_BAD_DB_ERROR.sqlState(), "Unknown database '" + database + "': keyspace "
                    + target.keyspace() + " has no shard " + target.shard().get() + " (shards: "
                    + String.join(", ", keyspace.get().shards().stream().map(s -> s.name()).toList()) + ")"));
        }
        session.target(target);
        return Optional.empty();
    }

    /** The capabilities both sides have: what every later packet's layout follows. */
    long negotiated() {
        long client = handshake == null ? 0 : handshake.capabilities();
        return client & serverCapabilities;
    }

    byte[] seed() {
        return seed;
    }

    boolean secure() {
        return secure;
    }

    ChannelHandlerContext ctx() {
        return ctx;
    }

    Session session() {
        return session;
    }

    ByteBufAllocator alloc() {
        return ctx.alloc();
    }

    void write(MySqlPacket packet, int sequenceId, long capabilities) {
        Packet out = packet.toPacket(ctx.alloc(), sequenceId, capabilities);
        context.metrics().bytesOut(out.length() + 4L * out.chunkCount());
        ctx.write(out, ctx.voidPromise());
    }

    void writeRelayed(Packet packet) {
        context.metrics().bytesOut(packet.length() + 4L * packet.chunkCount());
        ctx.write(packet, ctx.voidPromise());
    }

    void writeOk(int sequenceId, long affectedRows, long lastInsertId, String info) {
        write(new OkPacket(OkPacket.HEADER, affectedRows, lastInsertId, session.statusFlags(), 0, info,
                new byte[0]), sequenceId, session.clientCapabilities());
        ctx.flush();
    }

    void writeError(int sequenceId, ProtocolException e) {
        context.metrics().error(e.errorCode());
        write(ErrPacket.of(e), sequenceId, session.clientCapabilities());
        ctx.flush();
    }

    void writeResultSet(int sequenceId, TextResultSet resultSet) {
        List<Packet> packets = resultSet.toPackets(ctx.alloc(), sequenceId, session.clientCapabilities(),
                session.statusFlags());
        packets.forEach(this::writeRelayed);
        ctx.flush();
    }

    /** Sends the error (in sequence) and closes the connection after it is written. */
    void failConnection(ProtocolException e) {
        if (state == State.CLOSED || !ctx.channel().isActive()) {
            return;
        }
        state = State.CLOSED;
        context.metrics().error(e.errorCode());
        Packet out = ErrPacket.of(e).toPacket(ctx.alloc(), nextSequenceId, negotiated());
        ctx.writeAndFlush(out).addListener(ChannelFutureListener.CLOSE);
    }

    /** KILL CONNECTION from another session: closes this one from its own event loop. */
    void kill() {
        ctx.executor().execute(() -> {
            state = State.CLOSED;
            ctx.close();
        });
    }

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object event) {
        if (event == TlsUpgrade.STARTED && state == State.GREETING_SENT) {
            secure = true;
            nextSequenceId = 2;
        }
        ctx.fireUserEventTriggered(event);
    }

    @Override
    public void channelWritabilityChanged(ChannelHandlerContext ctx) {
        if (commands != null && ctx.channel().isWritable()) {
            commands.clientWritable();
        }
        ctx.fireChannelWritabilityChanged();
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        state = State.CLOSED;
        context.sessions().remove(session.id());
        context.metrics().clientDisconnected();
        if (commands != null) {
            commands.close();
        }
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        ProtocolException protocol = cause instanceof ProtocolException p ? p
                : cause.getCause() instanceof ProtocolException p2 ? p2 : null;
        if (protocol != null) {
            log.debug("connection {}: {}", session == null ? -1 : session.id(), protocol.getMessage());
            failConnection(protocol);
        } else {
            log.debug("connection {} failed", session == null ? -1 : session.id(), cause);
            ctx.close();
        }
    }
}
