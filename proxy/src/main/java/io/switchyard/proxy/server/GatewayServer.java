package io.switchyard.proxy.server;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.WriteBufferWaterMark;
import io.netty.channel.socket.SocketChannel;
import io.switchyard.proxy.transport.Transports;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.switchyard.config.ServerTls;
import io.switchyard.config.SwitchyardConfig;
import io.switchyard.config.User;
import io.switchyard.proxy.auth.NativePassword;
import io.switchyard.proxy.auth.ServerRsaKey;
import io.switchyard.proxy.backend.Backends;
import io.switchyard.proxy.codec.PacketFrameDecoder;
import io.switchyard.proxy.codec.PacketFrameEncoder;
import io.switchyard.proxy.metrics.GatewayMetrics;
import io.switchyard.routing.plan.Planner;
import io.switchyard.routing.plan.RoutingSnapshot;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import javax.net.ssl.SSLException;
import java.net.InetSocketAddress;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/** The MySQL-protocol listener: accepts clients and gives each a {@link FrontendHandler}. */
public final class GatewayServer implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(GatewayServer.class);
    /** What the gateway calls itself when no backend answered the version probe (Vitess says 8.0.30-Vitess). */
    static final String FALLBACK_VERSION = "8.0.40-Switchyard";

    /**
     * Start-up choices that are not configuration: the port (0 picks a free one, for tests), the auth plugin offered
     * in the greeting, an explicit TLS context (otherwise built from {@code listeners.tls}), and the query buffer the
     * cutover holds statements in (otherwise one of the gateway's own, reachable through {@link #buffer()}).
     */
    public record Options(Optional<Integer> port, String defaultAuthPlugin, Optional<SslContext> ssl,
                          Optional<String> serverVersion, Optional<Planner> planner,
                          Optional<VSchemaChanges> vschemaChanges, Optional<QueryBuffer> buffer) {
        public Options {
            Objects.requireNonNull(port, "port");
            Objects.requireNonNull(defaultAuthPlugin, "defaultAuthPlugin");
            Objects.requireNonNull(ssl, "ssl");
            Objects.requireNonNull(serverVersion, "serverVersion");
            Objects.requireNonNull(planner, "planner");
            Objects.requireNonNull(vschemaChanges, "vschemaChanges");
            Objects.requireNonNull(buffer, "buffer");
        }

        public static Options defaults() {
            return new Options(Optional.empty(), NativePassword.PLUGIN_NAME, Optional.empty(), Optional.empty(),
                    Optional.empty(), Optional.empty(), Optional.empty());
        }

        public Options withPort(int port) {
            return new Options(Optional.of(port), defaultAuthPlugin, ssl, serverVersion, planner, vschemaChanges,
                    buffer);
        }

        public Options withDefaultAuthPlugin(String plugin) {
            return new Options(port, plugin, ssl, serverVersion, planner, vschemaChanges, buffer);
        }

        public Options withSsl(SslContext context) {
            return new Options(port, defaultAuthPlugin, Optional.of(context), serverVersion, planner, vschemaChanges,
                    buffer);
        }

        /** The planner to use (e.g. one a topology watcher keeps current) instead of one built from the config. */
        public Options withPlanner(Planner planner, VSchemaChanges changes) {
            return new Options(port, defaultAuthPlugin, ssl, serverVersion, Optional.of(planner),
                    Optional.of(changes), buffer);
        }

        /**
         * The version in the greeting instead of the backends' (probed at start). Drivers branch on it: MySQL
         * Connector/J, for one, follows the caching_sha2 exchange of MySQL 8 only for a server of 5.5.16 or later,
         * and a MariaDB 10.x backend announces itself as "5.5.5-10.x".
         */
        public Options withServerVersion(String version) {
            return new Options(port, defaultAuthPlugin, ssl, Optional.of(version), planner, vschemaChanges, buffer);
        }

        /** The query buffer to hold statements in during a traffic switch, one the caller also hands the cutover. */
        public Options withBuffer(QueryBuffer buffer) {
            return new Options(port, defaultAuthPlugin, ssl, serverVersion, planner, vschemaChanges,
                    Optional.of(buffer));
        }
    }

    private final Channel channel;
    private final SessionRegistry sessions;
    private final QueryBuffer buffer;

    private GatewayServer(Channel channel, SessionRegistry sessions, QueryBuffer buffer) {
        this.channel = channel;
        this.sessions = sessions;
        this.buffer = buffer;
    }

    public static GatewayServer start(SwitchyardConfig config, Backends backends, LocalCommands localCommands,
                                      GatewayMetrics metrics, EventLoopGroup boss, EventLoopGroup workers,
                                      Options options) throws InterruptedException {
        Map<String, User> users = new LinkedHashMap<>();
        config.users().forEach(u -> users.put(u.name(), u));
        SecureRandom random = new SecureRandom();
        Optional<SslContext> ssl = options.ssl().isPresent() ? options.ssl() : config.listeners().tls().map(GatewayServer::ssl);
        String version = options.serverVersion().orElseGet(() -> backends.probeServerVersion(Duration.ofSeconds(2))
                .map(v -> (v.endsWith("-log") ? v.substring(0, v.length() - 4) : v) + "-Switchyard")
                .orElse(FALLBACK_VERSION));
        SessionRegistry sessions = new SessionRegistry();
        Set<String> sha2Cache = ConcurrentHashMap.newKeySet();
        Planner planner = options.planner().orElseGet(() -> new Planner(RoutingSnapshot.fromConfig(config)));
        // Hold windows are timed on a worker loop: the timer task only hands statements back to their sessions.
        QueryBuffer buffer = options.buffer().orElseGet(() -> new QueryBuffer(workers, System::nanoTime, metrics));
        GatewayContext context = new GatewayContext(config, Map.copyOf(users), backends, localCommands, sessions,
                metrics, ServerRsaKey.generate(random), sha2Cache, ssl, version, options.defaultAuthPlugin(), random,
                // Sequences reserve id blocks on connections of their own, opened on one of the worker loops.
                planner, new Sequences(config, backends, workers.next()),
                options.vschemaChanges().orElseGet(() -> VSchemaChanges.inMemory(planner)), buffer,
                new KeyspaceMentions(config));
        int maxPacket = (int) Math.min(Integer.MAX_VALUE, config.listeners().maxPacketSize());
        PacketFrameEncoder encoder = new PacketFrameEncoder();
        int port = options.port().orElse(config.listeners().mysqlPort());
        Channel channel = new ServerBootstrap().group(boss, workers).channel(Transports.serverChannel(boss))
                .option(ChannelOption.SO_BACKLOG, 1024)
                .childOption(ChannelOption.TCP_NODELAY, true)
                .childOption(ChannelOption.WRITE_BUFFER_WATER_MARK, new WriteBufferWaterMark(256 * 1024, 1024 * 1024))
                .childHandler(new ChannelInitializer<SocketChannel>() {
                    @Override
                    protected void initChannel(SocketChannel ch) {
                        ssl.ifPresent(context -> ch.pipeline().addLast("tls-upgrade", new TlsUpgrade(context)));
                        ch.pipeline().addLast("frames", new PacketFrameDecoder(maxPacket))
                                .addLast("encoder", encoder)
                                .addLast("session", new FrontendHandler(context));
                    }
                })
                .bind(new InetSocketAddress(config.listeners().bindAddress(), port)).sync().channel();
        log.info("MySQL protocol listening on {} as {} ({} transport)", channel.localAddress(), version,
                Transports.name(workers));
        return new GatewayServer(channel, sessions, buffer);
    }

    private static SslContext ssl(ServerTls tls) {
        try {
            return SslContextBuilder.forServer(tls.cert().toFile(), tls.key().toFile()).build();
        } catch (SSLException | IllegalArgumentException e) {
            throw new IllegalStateException("listeners.tls: cannot load certificate " + tls.cert() + " and key "
                    + tls.key() + ": " + e.getMessage(), e);
        }
    }

    public InetSocketAddress localAddress() {
        return (InetSocketAddress) channel.localAddress();
    }

    /** Where a cutover holds statements on the tables it switches; see {@link QueryBuffer}. */
    public QueryBuffer buffer() {
        return buffer;
    }

    /** Client connections open now. */
    public int connections() {
        return sessions.size();
    }

    @Override
    public void close() {
        channel.close().syncUninterruptibly();
    }
}
