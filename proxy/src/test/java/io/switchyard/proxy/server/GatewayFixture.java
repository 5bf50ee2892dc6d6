package io.switchyard.proxy.server;

import io.netty.channel.EventLoopGroup;
import io.netty.channel.nio.NioEventLoopGroup;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import io.switchyard.config.ConfigLoader;
import io.switchyard.config.SwitchyardConfig;
import io.switchyard.proxy.backend.Backends;
import io.switchyard.proxy.metrics.GatewayMetrics;
import io.switchyard.sandbox.MariaDbServer;
import io.switchyard.sandbox.Sandbox;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.time.Clock;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/** A gateway on a free port in front of a sandbox, for tests that connect real clients through it. */
final class GatewayFixture implements AutoCloseable {
    /** Users root (admin, no password), app/app and a user with a password for the auth tests. */
    static final String USERS = """
            users:
              - {name: root, password: "", role: admin}
              - {name: app, password: app, role: app}
              - {name: secret, password: "s3cr3t-pw", role: app}
            topology:
              dsn: "mysql://root:@127.0.0.1:1/switchyard_topo"
            """;

    final SwitchyardConfig config;
    final PrometheusRegistry registry = new PrometheusRegistry();
    private final EventLoopGroup group;
    private final ScheduledExecutorService scheduler;
    private final Backends backends;
    final GatewayServer server;

    private GatewayFixture(SwitchyardConfig config, LocalCommands local, GatewayServer.Options options)
            throws InterruptedException {
        this.config = config;
        group = new NioEventLoopGroup(2);
        scheduler = Executors.newSingleThreadScheduledExecutor();
        GatewayMetrics metrics = new GatewayMetrics(registry);
        backends = new Backends(config, group, metrics, Clock.systemUTC(), scheduler);
        server = GatewayServer.start(config, backends, local, metrics, group, group, options.withPort(0));
    }

    /** {@code keyspaceYaml} may use ${sandbox:KS/SHARD/primary} and ${sandbox:KS/SHARD/replica/N}. */
    static GatewayFixture start(Sandbox sandbox, String keyspaceYaml, LocalCommands local,
                                GatewayServer.Options options) throws InterruptedException {
        return start(sandbox, keyspaceYaml, local, config -> options);
    }

    /** For options that need the parsed config, such as a planner the test keeps to change routing rules. */
    static GatewayFixture start(Sandbox sandbox, String keyspaceYaml, LocalCommands local,
                                java.util.function.Function<SwitchyardConfig, GatewayServer.Options> options)
            throws InterruptedException {
        SwitchyardConfig config = ConfigLoader.parse(USERS + keyspaceYaml, (prefix, name) -> {
            if (!prefix.equals("sandbox")) {
                return Optional.empty();
            }
            String[] parts = name.split("/");
            if (parts[2].equals("primary")) {
                return Optional.of(sandbox.primary(parts[0], parts[1]).address());
            }
            List<MariaDbServer> replicas = sandbox.replicas(parts[0], parts[1]);
            return Optional.of(replicas.get(Integer.parseInt(parts[3]) - 1).address());
        });
        return new GatewayFixture(config, local, options.apply(config));
    }

    int port() {
        return server.localAddress().getPort();
    }

    String mariadbUrl(String database, String extra) {
        return "jdbc:mariadb://127.0.0.1:" + port() + "/" + database + "?" + extra;
    }

    String mysqlUrl(String database, String extra) {
        return "jdbc:mysql://127.0.0.1:" + port() + "/" + database + "?sslMode=DISABLED&" + extra;
    }

    Connection mariadb(String database, String user, String password) throws SQLException {
        return DriverManager.getConnection(mariadbUrl(database, "user=" + user + "&password=" + password));
    }

    Connection mysql(String database, String user, String password) throws SQLException {
        return DriverManager.getConnection(mysqlUrl(database, "user=" + user + "&password=" + password));
    }

    @Override
    public void close() {
        server.close();
        backends.close();
        group.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
        scheduler.shutdownNow();
    }
}
