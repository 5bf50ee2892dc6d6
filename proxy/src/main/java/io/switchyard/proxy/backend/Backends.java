package io.switchyard.proxy.backend;

import io.netty.channel.EventLoop;
import io.netty.channel.EventLoopGroup;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.handler.ssl.util.InsecureTrustManagerFactory;
import io.netty.util.concurrent.DefaultThreadFactory;
import io.switchyard.config.BackendTls;
import io.switchyard.config.Endpoint;
import io.switchyard.config.Keyspace;
import io.switchyard.config.Shard;
import io.switchyard.config.SwitchyardConfig;
import io.switchyard.proxy.codec.Collations;
import io.switchyard.proxy.metrics.GatewayMetrics;
import io.switchyard.proxy.session.TabletType;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Every backend pool of the gateway, built from the config: one {@link BackendServer} per endpoint (health and
 * connection budget) and, created on first use, one {@link BackendPool} per keyspace, shard, tablet type, endpoint
 * and {@link ClientOptions}. Thread-safe; nothing blocks an event loop except {@link #probeServerVersion}, which is
 * for startup and refuses to run on one.
 *
 * <p>Replica reads go round robin over the shard's replicas, skipping those in backoff after a failure and trying
 * the next when a connect fails; if none is usable they fail with an error naming each replica's problem, or, with
 * {@code backend.replica_fallback_to_primary}, go to the primary (the lease then says PRIMARY).
 *
 * <p>A health check runs every {@code backend.health_check_interval} on the injected scheduler: it closes idle
 * connections unused for {@code backend.pool_idle_timeout}, pings the longest-idle connection of each UP server and
 * tries to connect to DOWN servers whose backoff has elapsed, so a replica that came back is used again without
 * waiting for a read to probe it.
 */
public final class Backends implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(Backends.class);

    /** A connection lent to a session, with where it goes. {@code type} is what serves it (PRIMARY on fallback). */
    public record Lease(BackendConnection connection, String keyspace, String shard, TabletType type,
                        Endpoint endpoint) {
    }

    /** What a pool is for; the keyspace fixes the database, user and TLS. */
    private record PoolKey(String keyspace, String shard, TabletType type, Endpoint endpoint, ClientOptions options) {
    }

    private final SwitchyardConfig config;
    private final EventLoopGroup group;
    private final GatewayMetrics metrics;
    private final Clock clock;
    private final BackendConnector connector;
    private final Map<Endpoint, BackendServer> servers = new ConcurrentHashMap<>();
    /** Keyspaces attached while running (external keyspaces), beside the config's. */
    private final Map<String, Keyspace> attached = new ConcurrentHashMap<>();
    private final Map<String, Optional<SslContext>> sslContexts = new ConcurrentHashMap<>();
    private final Map<PoolKey, BackendPool> pools = new ConcurrentHashMap<>();
    private final Map<String, AtomicInteger> roundRobin = new ConcurrentHashMap<>();
    private final ScheduledFuture<?> healthCheck;
    /** Runs the JDK's blocking host-name lookups, so that they never stall an event loop. Owned; shut on close. */
    private final ExecutorService dnsExecutor;
    private final OffLoopResolver resolver;

    /**
     * @param group where probes and health-check connections run (session connections run on the session's loop)
     * @param scheduler runs the health check; never blocked by it
     * @throws IllegalArgumentException if a keyspace's TLS CA file cannot be loaded
     */
    public Backends(SwitchyardConfig config, EventLoopGroup group, GatewayMetrics metrics, Clock clock,
                    ScheduledExecutorService scheduler) {
        this.config = config;
        this.group = group;
        this.metrics = metrics;
        this.clock = clock;
        this.dnsExecutor = Executors.newCachedThreadPool(new DefaultThreadFactory("switchyard-backend-dns", true));
        this.resolver = new OffLoopResolver(dnsExecutor);
        this.connector = new BackendConnector(new SecureRandom(), resolver);
        for (Keyspace keyspace : config.keyspaces()) {
            sslContexts.put(keyspace.name(), sslContext(keyspace));
            for (Shard shard : keyspace.shards()) {
                server(shard.primary());
                shard.replicas().forEach(this::server);
            }
        }
        long interval = config.backend().healthCheckInterval().toMillis();
        this.healthCheck = scheduler.scheduleWithFixedDelay(this::checkHealth, interval, interval,
                TimeUnit.MILLISECONDS);
    }

    private BackendServer server(Endpoint endpoint) {
        return servers.computeIfAbsent(endpoint, e -> new BackendServer(e, config.backend().poolMaxSize()));
    }

    /** A keyspace of the config, or one attached while running. */
    public Optional<Keyspace> keyspace(String name) {
        Optional<Keyspace> configured = config.keyspace(name);
        return configured.isPresent() ? configured : Optional.ofNullable(attached.get(name));
    }

    /**
     * A connection for the shard's primary, or a usable replica, or (only with replica_fallback_to_primary) the
     * primary when no replica is usable. Created on {@code loop} when new. Fails with a {@link BackendException}
     * naming keyspace, shard and endpoint; never hangs (at most connect_timeout per attempt).
     */
    public CompletableFuture<Lease> acquire(String keyspace, String shard, TabletType type, ClientOptions options,
                                            EventLoop loop) {
        Keyspace ks = keyspace(keyspace).orElse(null);
        Shard sh = ks == null ? null : ks.shard(shard).orElse(null);
        if (sh == null) {
            return CompletableFuture.failedFuture(BackendException.of(BackendException.Kind.UNAVAILABLE,
                    ks == null ? "unknown keyspace " + keyspace : "keyspace " + keyspace + " has no shard " + shard));
        }
        if (type == TabletType.PRIMARY) {
            return acquire(ks, sh, TabletType.PRIMARY, sh.primary(), options, loop);
        }
        List<Endpoint> replicas = sh.replicas();
        List<Endpoint> order = new ArrayList<>(replicas.size());
        if (!replicas.isEmpty()) {
            int start = Math.floorMod(roundRobin.computeIfAbsent(keyspace + "/" + shard, k -> new AtomicInteger())
                    .getAndIncrement(), replicas.size());
            for (int i = 0; i < replicas.size(); i++) {
                order.add(replicas.get((start + i) % replicas.size()));
            }
        }
        return tryReplicas(ks, sh, order, 0, new ArrayList<>(), options, loop);
    }

    /**
     * Serves {@code keyspace} from now on, beside the config's keyspaces: an external keyspace attached at runtime.
     * Attaching it again with other settings replaces it for new connections.
     */
    public void attach(Keyspace keyspace) {
        if (config.keyspace(keyspace.name()).isPresent()) {
            throw new IllegalArgumentException("keyspace " + keyspace.name() + " is in the config already");
        }
        sslContexts.put(keyspace.name(), sslContext(keyspace));
        for (Shard shard : keyspace.shards()) {
            server(shard.primary());
            shard.replicas().forEach(this::server);
        }
        Keyspace previous = attached.put(keyspace.name(), keyspace);
        if (previous != null && !previous.equals(keyspace)) {
            retirePools(keyspace.name()); // new settings (a replica added or dropped), new pools
        }
    }

    /**
     * Stops serving an attached keyspace: new statements for it fail as for an unknown keyspace, its idle
     * connections close now and its busy ones when their statements end.
     */
    public void detach(String keyspace) {
        attached.remove(keyspace);
        retirePools(keyspace);
    }

    private void retirePools(String keyspace) {
        for (Iterator<Map.Entry<PoolKey, BackendPool>> it = pools.entrySet().iterator(); it.hasNext(); ) {
            Map.Entry<PoolKey, BackendPool> entry = it.next();
            if (entry.getKey().keyspace().equals(keyspace)) {
                it.remove();
                entry.getValue().retire();
            }
        }
    }

    /** Tries {@code order[index..]}; skips servers in backoff; moves on when a connect fails. */
    private CompletableFuture<Lease> tryReplicas(Keyspace ks, Shard sh, List<Endpoint> order, int index,
                                                 List<String> problems, ClientOptions options, EventLoop loop) {
        for (int i = index; i < order.size(); i++) {
            Endpoint endpoint = order.get(i);
            BackendServer server = servers.get(endpoint);
            BackendPool pool = pool(ks, sh, TabletType.REPLICA, endpoint, options);
            BackendException refused = server.refusal(pool.settings().description(), clock.millis());
            if (refused != null) {
                problems.add(refused.getMessage());
                continue;
            }
            int next = i + 1;
            return lease(pool, ks, sh, TabletType.REPLICA, endpoint, loop).handle((lease, error) -> {
                if (error == null) {
                    return CompletableFuture.completedFuture(lease);
                }
                BackendException cause = unwrap(error);
                if (cause.kind() != BackendException.Kind.UNAVAILABLE
                        && cause.kind() != BackendException.Kind.AUTH_REFUSED) {
                    return CompletableFuture.<Lease>failedFuture(cause);
                }
                problems.add(cause.getMessage());
                return tryReplicas(ks, sh, order, next, problems, options, loop);
            }).thenCompose(f -> f);
        }
        if (config.backend().replicaFallbackToPrimary()) {
            return acquire(ks, sh, TabletType.PRIMARY, sh.primary(), options, loop);
        }
        String where = "keyspace " + ks.name() + " shard " + sh.name();
        String message = order.isEmpty() ? where + " has no replica; read from @primary or set"
                + " backend.replica_fallback_to_primary"
                : where + " has no healthy replica: " + String.join("; ", problems);
        return CompletableFuture.failedFuture(BackendException.of(BackendException.Kind.UNAVAILABLE, message));
    }

    private CompletableFuture<Lease> acquire(Keyspace ks, Shard sh, TabletType type, Endpoint endpoint,
                                             ClientOptions options, EventLoop loop) {
        return lease(pool(ks, sh, type, endpoint, options), ks, sh, type, endpoint, loop);
    }

    private static CompletableFuture<Lease> lease(BackendPool pool, Keyspace ks, Shard sh, TabletType type,
                                                  Endpoint endpoint, EventLoop loop) {
        return pool.acquire(loop).thenApply(c -> new Lease(c, ks.name(), sh.name(), type, endpoint));
    }

    private BackendPool pool(Keyspace ks, Shard sh, TabletType type, Endpoint endpoint, ClientOptions options) {
        return pools.computeIfAbsent(new PoolKey(ks.name(), sh.name(), type, endpoint, options), key -> {
            String description = "keyspace " + ks.name() + " shard " + sh.name() + " " + type.label() + " "
                    + endpoint;
            ConnectSettings settings = new ConnectSettings(endpoint, ks.database(), ks.credentials(),
                    ks.tls().mode(), sslContexts.get(ks.name()), options, config.backend().connectTimeout(),
                    description, ks.tls().serverName());
            return new BackendPool(servers.get(endpoint), settings, connector,
                    metrics.pool(ks.name(), sh.name(), type.label(), endpoint.toString()), clock);
        });
    }

    /** Hands a lease's connection back to its pool, which resets or closes it. Callable from any thread. */
    public void release(Lease lease) {
        BackendConnection connection = lease.connection();
        if (connection.pool == null) {
            connection.close();
        } else {
            connection.pool.release(connection);
        }
    }

    /**
     * For KILL QUERY: opens a separate connection to the lease's server (outside the pool budget, so it works
     * when the pool is exhausted, which is when a client is most likely to cancel) and runs
     * {@code KILL QUERY <threadId>}. The killed statement ends with ERR 1317 on the lease's connection.
     */
    public CompletableFuture<Void> killQuery(Lease lease) {
        BackendConnection target = lease.connection();
        ConnectSettings settings = target.pool.settings().withOptions(defaultOptions());
        return connector.connect(settings, target.channel().eventLoop())
                .thenCompose(killer -> killer.query("KILL QUERY " + target.threadId())
                        .whenComplete((result, error) -> killer.close()))
                .thenApply(result -> null);
    }

    /**
     * The version string of the first backend that accepts a connection (primaries and replicas in config order),
     * for the gateway to advertise. Blocks up to {@code timeout} in total: call it at startup, not on an event loop.
     */
    public Optional<String> probeServerVersion(Duration timeout) {
        for (io.netty.util.concurrent.EventExecutor executor : group) {
            if (executor.inEventLoop()) {
                throw new IllegalStateException("probeServerVersion blocks; do not call it on an event loop");
            }
        }
        long deadline = System.nanoTime() + timeout.toNanos();
        for (Keyspace ks : config.keyspaces()) {
            for (Shard sh : ks.shards()) {
                List<Endpoint> endpoints = new ArrayList<>();
                endpoints.add(sh.primary());
                endpoints.addAll(sh.replicas());
                for (Endpoint endpoint : endpoints) {
                    long left = deadline - System.nanoTime();
                    if (left <= 0) {
                        return Optional.empty();
                    }
                    TabletType type = endpoint.equals(sh.primary()) ? TabletType.PRIMARY : TabletType.REPLICA;
                    ConnectSettings settings = pool(ks, sh, type, endpoint, defaultOptions()).settings();
                    Optional<String> version = probe(settings, left);
                    if (version.isPresent()) {
                        return version;
                    }
                }
            }
        }
        return Optional.empty();
    }

    private Optional<String> probe(ConnectSettings settings, long timeoutNanos) {
        CompletableFuture<BackendConnection> attempt = connector.connect(settings, group.next());
        try {
            BackendConnection connection = attempt.get(timeoutNanos, TimeUnit.NANOSECONDS);
            connection.close();
            return Optional.of(connection.serverVersion());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Optional.empty();
        } catch (ExecutionException | TimeoutException e) {
            log.debug("probing {} for its version failed: {}", settings.description(), e.toString());
            attempt.thenAccept(BackendConnection::close);
            return Optional.empty();
        }
    }

    /** The health check, run by the scheduler; it only starts I/O, which completes on event loops. */
    private void checkHealth() {
        try {
            long now = clock.millis();
            for (BackendServer server : servers.values()) {
                HealthCheck.run(server, now, config.backend(), group.next());
            }
        } catch (RuntimeException e) {
            // Never let an exception cancel the periodic task.
            log.warn("backend health check failed", e);
        }
    }

    /** Stops the health check, fails waiters and closes every connection. */
    @Override
    public void close() {
        healthCheck.cancel(false);
        for (BackendServer server : servers.values()) {
            for (Waiter waiter : server.close()) {
                waiter.future().completeExceptionally(BackendException.of(BackendException.Kind.UNAVAILABLE,
                        waiter.pool().settings().description() + " is unavailable: the gateway is shutting down"));
            }
        }
        for (BackendPool pool : pools.values()) {
            pool.snapshot().forEach(BackendConnection::close);
        }
        resolver.close();
        dnsExecutor.shutdownNow();
    }

    /**
     * Whether the gateway considers the server at {@code endpoint} up: false after a failed connection attempt until
     * one succeeds. For admin views and tests.
     */
    public boolean isUp(Endpoint endpoint) {
        BackendServer server = servers.get(endpoint);
        return server != null && server.health() == BackendServer.Health.UP;
    }

    /** Options for the gateway's own connections: no tracked client flags, utf8mb4 (known to MySQL and MariaDB). */
    static ClientOptions defaultOptions() {
        return new ClientOptions(0, Collations.UTF8MB4_GENERAL_CI);
    }

    private static BackendException unwrap(Throwable error) {
        Throwable cause = error;
        while ((cause instanceof java.util.concurrent.CompletionException
                || cause instanceof ExecutionException) && cause.getCause() != null) {
            cause = cause.getCause();
        }
        return cause instanceof BackendException b ? b
                : BackendException.of(BackendException.Kind.UNAVAILABLE, String.valueOf(cause.getMessage()), cause);
    }

    private static Optional<SslContext> sslContext(Keyspace keyspace) {
        BackendTls tls = keyspace.tls();
        if (tls.mode() == BackendTls.Mode.DISABLED) {
            return Optional.empty();
        }
        SslContextBuilder builder = SslContextBuilder.forClient();
        if (!tls.mode().verifies()) {
            // required/preferred encrypt without checking the certificate, as MySQL's --ssl-mode does.
            builder.trustManager(InsecureTrustManagerFactory.INSTANCE);
        } else if (tls.ca().isPresent()) {
            builder.trustManager(tls.ca().get().toFile());
        } else if (tls.caPem().isPresent()) {
            builder.trustManager(pem(tls.caPem().get()));
        }
        // External keyspaces (admin SQL) carry a client certificate for mutual TLS and a minimum TLS version.
        tls.client().ifPresent(client -> builder.keyManager(pem(client.certificatePem()), pem(client.keyPem())));
        if (tls.minVersion().isPresent()) {
            builder.protocols(tls.protocols());
        }
        try {
            return Optional.of(builder.build());
        } catch (javax.net.ssl.SSLException | IllegalArgumentException e) {
            throw new IllegalArgumentException("keyspace " + keyspace.name() + ": cannot set up backend TLS"
                    + tls.ca().map(ca -> " with CA file " + ca).orElse("") + ": " + e.getMessage(), e);
        }
    }

    private static java.io.InputStream pem(String text) {
        return new java.io.ByteArrayInputStream(text.getBytes(java.nio.charset.StandardCharsets.US_ASCII));
    }
}
