package io.switchyard.admin;

import io.netty.channel.EventLoopGroup;
import io.switchyard.proxy.transport.Transports;
import io.netty.util.concurrent.DefaultThreadFactory;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.switchyard.admin.api.BasicAuth;
import io.switchyard.admin.api.ExternalKeyspaceApi;
import io.switchyard.admin.api.WorkflowApi;
import io.switchyard.admin.http.HttpServer;
import io.switchyard.admin.http.MetricsRoute;
import io.switchyard.admin.sql.AdminCommands;
import io.switchyard.admin.sql.ExternalKeyspaceCommands;
import io.switchyard.admin.sql.WorkflowCommands;
import io.switchyard.admin.workflow.BufferGate;
import io.switchyard.admin.workflow.ExternalServing;
import io.switchyard.admin.workflow.PeerHolds;
import io.switchyard.replication.workflow.SwitchOptions;
import io.switchyard.admin.workflow.WorkflowMetrics;
import io.switchyard.admin.workflow.Workflows;
import io.switchyard.proxy.server.LocalCommands;
import io.switchyard.config.SwitchyardConfig;
import io.switchyard.proxy.backend.Backends;
import io.switchyard.proxy.metrics.GatewayMetrics;
import io.switchyard.proxy.server.GatewayServer;
import io.switchyard.proxy.server.QueryBuffer;
import io.switchyard.proxy.server.VSchemaChanges;
import io.switchyard.replication.external.ExternalKeyspaces;
import io.switchyard.replication.external.ExternalValidator;
import io.switchyard.routing.plan.Planner;
import io.switchyard.routing.plan.RoutingSnapshot;
import io.switchyard.routing.topo.TopologyStore;
import io.switchyard.routing.topo.TopologyWatcher;

import java.net.InetSocketAddress;
import java.security.SecureRandom;
import java.sql.SQLException;
import java.time.Clock;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * A running gateway: the MySQL-protocol listener, the HTTP listener and everything they share, built from one
 * config. {@code serve} and {@code demo} run one; tests start one on free ports.
 */
public final class Gateway implements AutoCloseable {
    private static final java.time.Duration TOPOLOGY_TIMEOUT = java.time.Duration.ofSeconds(2);

    private final EventLoopGroup boss;
    private final EventLoopGroup workers;
    private final ScheduledExecutorService scheduler;
    private final TopologyStore topology;
    private final TopologyWatcher watcher;
    private final Planner planner;
    private final Backends backends;
    private final GatewayServer mysql;
    private final HttpServer http;
    private final Workflows workflows;
    private final ExecutorService external;
    private final java.util.concurrent.atomic.AtomicBoolean closed = new java.util.concurrent.atomic.AtomicBoolean();

    private Gateway(EventLoopGroup boss, EventLoopGroup workers, ScheduledExecutorService scheduler,
                    TopologyStore topology, TopologyWatcher watcher, Planner planner, Backends backends,
                    GatewayServer mysql, HttpServer http, Workflows workflows, ExecutorService external) {
        this.boss = boss;
        this.workers = workers;
        this.scheduler = scheduler;
        this.topology = topology;
        this.watcher = watcher;
        this.planner = planner;
        this.backends = backends;
        this.mysql = mysql;
        this.http = http;
        this.workflows = workflows;
        this.external = external;
    }

    /**
     * @param httpPort the HTTP port instead of {@code listeners.http_port} (0 picks a free one)
     */
    public static Gateway start(SwitchyardConfig config, GatewayServer.Options options, Optional<Integer> httpPort)
            throws InterruptedException {
        return start(config, options, httpPort, System.getenv());
    }

    /**
     * As {@link #start(SwitchyardConfig, GatewayServer.Options, Optional)}, with the environment variables the
     * gateway reads ({@code SWITCHYARD_CREDENTIALS_KEY}) given rather than taken from the process.
     */
    public static Gateway start(SwitchyardConfig config, GatewayServer.Options options, Optional<Integer> httpPort,
                                java.util.Map<String, String> environment) throws InterruptedException {
        EventLoopGroup boss = Transports.group(1, new DefaultThreadFactory("switchyard-accept"));
        EventLoopGroup workers = Transports.group(0, new DefaultThreadFactory("switchyard-io"));
        ScheduledExecutorService scheduler = Executors.newSingleThreadScheduledExecutor(
                new DefaultThreadFactory("switchyard-scheduler", true));
        TopologyStore topology = null;
        TopologyWatcher watcher = null;
        Workflows workflows = null;
        // External-keyspace commands validate and connect to outside servers: seconds of blocking, off the loops.
        ExecutorService external = Executors.newCachedThreadPool(new DefaultThreadFactory("switchyard-external", true));
        Backends backends = null;
        GatewayServer mysql = null;
        try {
            // The routing rules and vschemas live in the topology store; every gateway on the same store follows
            // the same snapshot, picked up by the watcher within a poll interval of any change.
            topology = TopologyStore.open(config, TOPOLOGY_TIMEOUT);
            RoutingSnapshot initial = topology.loadSnapshot();
            Planner planner = new Planner(initial);
            PrometheusRegistry registry = new PrometheusRegistry();
            GatewayMetrics metrics = new GatewayMetrics(registry);
            QueryBuffer buffer = new QueryBuffer(scheduler, System::nanoTime, metrics);
            // Holds asked for by a traffic switch on any gateway; applied after the planner has the same snapshot.
            PeerHolds peerHolds = new PeerHolds(buffer, SwitchOptions.DEFAULTS.window(),
                    SwitchOptions.DEFAULTS.maxHeld());
            peerHolds.accept(initial);
            backends = new Backends(config, workers, metrics, Clock.systemUTC(), scheduler);
            SecureRandom random = new SecureRandom();
            ExternalKeyspaces externals = openExternals(config, environment, random);
            ExternalServing serving = new ExternalServing(config, externals, backends);
            serving.follow(initial);
            watcher = TopologyWatcher.start(topology, initial, snapshot -> {
                serving.follow(snapshot); // backends first: the planner may route to an external keyspace next
                planner.update(snapshot);
                peerHolds.accept(snapshot);
            }, scheduler, Clock.systemUTC());
            TopologyStore store = topology;
            TopologyWatcher follow = watcher;
            VSchemaChanges changes = change -> {
                store.applyVSchemaChange(change);
                follow.refresh();
            };
            ExternalValidator validator = new ExternalValidator(config.backend().connectTimeout().plusSeconds(3),
                    random);
            workflows = new Workflows(config, topology, Clock.systemUTC(), new WorkflowMetrics(registry),
                    new BufferGate(buffer, follow::refresh), serving, validator);
            workflows.resumeAll();
            AdminCommands admin = new AdminCommands(config, planner::snapshot);
            WorkflowCommands workflowCommands = new WorkflowCommands(workflows, Clock.systemUTC());
            ExternalKeyspaceCommands externalCommands = new ExternalKeyspaceCommands(externals, validator,
                    config.keyspaces().stream()
                    .map(k -> k.name()).collect(java.util.stream.Collectors.toSet()), external);
            LocalCommands local = (caller, sql) -> admin.execute(caller, sql)
                    .or(() -> workflowCommands.execute(caller, sql))
                    .or(() -> externalCommands.execute(caller, sql));
            mysql = GatewayServer.start(config, backends, local, metrics, boss, workers,
                    options.withPlanner(planner, changes).withBuffer(buffer));
            // The JSON API runs the same admin SQL as the MySQL port, as the config's admin users.
            Map<String, HttpServer.Route> routes = new HashMap<>(
                    new WorkflowApi(local, new BasicAuth(config), new ObjectMapper()).routes());
            routes.putAll(new ExternalKeyspaceApi(local, new BasicAuth(config), new ObjectMapper()).routes());
            routes.put("/metrics", MetricsRoute.of(registry));
            HttpServer http = HttpServer.start(boss, workers, new InetSocketAddress(config.listeners().bindAddress(),
                    httpPort.orElse(config.listeners().httpPort())), routes);
            return new Gateway(boss, workers, scheduler, topology, watcher, planner, backends, mysql, http, workflows,
                    external);
        } catch (RuntimeException | InterruptedException e) {
            external.shutdownNow();
            if (mysql != null) {
                mysql.close();
            }
            if (backends != null) {
                backends.close();
            }
            if (workflows != null) {
                workflows.close();
            }
            if (watcher != null) {
                watcher.close();
            }
            if (topology != null) {
                topology.close();
            }
            shutdown(boss, workers, scheduler);
            throw e;
        }
    }

    /**
     * The external keyspaces registry in the topology store; the credentials key comes from
     * {@code topology.credentials_key}, else the environment variable {@code SWITCHYARD_CREDENTIALS_KEY}.
     */
    private static ExternalKeyspaces openExternals(SwitchyardConfig config, java.util.Map<String, String> environment,
                                                   SecureRandom random) {
        try {
            return ExternalKeyspaces.open(config.topology(), environment, random);
        } catch (SQLException e) {
            throw new IllegalStateException("cannot create the external_keyspaces table in the topology store: "
                    + e.getMessage(), e);
        }
    }

    public InetSocketAddress mysqlAddress() {
        return mysql.localAddress();
    }

    public InetSocketAddress httpAddress() {
        return http.localAddress();
    }

    public GatewayServer mysql() {
        return mysql;
    }

    /** The routing snapshot this gateway plans with now. */
    public RoutingSnapshot routing() {
        return planner.snapshot();
    }

    /**
     * Where a cutover run by this gateway holds statements on the tables it switches (see {@link QueryBuffer}).
     * Other gateways on the same store have buffers of their own.
     */
    public QueryBuffer buffer() {
        return mysql.buffer();
    }

    /**
     * Reads the topology store now and routes by what it holds before returning, instead of at the next poll (up
     * to 250 ms later): a cutover calls this after writing the flipped routing rules and before
     * {@link io.switchyard.proxy.server.TrafficHold#release()}, so released statements are planned by the new rules.
     */
    public void refreshRouting() {
        watcher.refresh();
    }

    /** The topology store this gateway shares with the others on the same DSN. */
    public TopologyStore topology() {
        return topology;
    }

    /** Stops everything; a second call does nothing. */
    @Override
    public void close() {
        if (closed.getAndSet(true)) {
            return;
        }
        http.close();
        mysql.close();
        workflows.close();
        backends.close();
        watcher.close();
        topology.close();
        external.shutdownNow();
        shutdown(boss, workers, scheduler);
    }

    private static void shutdown(EventLoopGroup boss, EventLoopGroup workers, ScheduledExecutorService scheduler) {
        boss.shutdownGracefully(0, 2, TimeUnit.SECONDS).syncUninterruptibly();
        workers.shutdownGracefully(0, 2, TimeUnit.SECONDS).syncUninterruptibly();
        scheduler.shutdownNow();
    }
}
