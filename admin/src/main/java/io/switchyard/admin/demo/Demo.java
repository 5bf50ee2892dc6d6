package io.switchyard.admin.demo;

import io.switchyard.admin.Gateway;
import io.switchyard.config.ConfigLoader;
import io.switchyard.config.PlaceholderResolver;
import io.switchyard.config.Placeholders;
import io.switchyard.config.SwitchyardConfig;
import io.switchyard.proxy.server.GatewayServer;
import io.switchyard.proxy.tls.SelfSignedCertificate;
import io.switchyard.sandbox.MariaDbServer;
import io.switchyard.sandbox.Sandbox;

import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;

/**
 * {@code ./switchyard demo}: a sandbox cluster described by the bundled {@code demo/demo.yaml}, loaded with the
 * Vitess local example's {@code commerce} schema and rows, running until Ctrl-C.
 */
public final class Demo {
    static final String CONFIG_RESOURCE = "demo/demo.yaml";
    static final String COMMERCE_SQL = "demo/commerce.sql";

    private final PrintStream out;

    public Demo(PrintStream out) {
        this.out = out;
    }

    /**
     * A started demo: the sandbox, the config resolved against it and the gateway in front of it. Closing it stops
     * the gateway, then every server, and removes their data.
     */
    public record Running(Sandbox sandbox, SwitchyardConfig config, Gateway gateway, Duration startup)
            implements AutoCloseable {
        @Override
        public void close() {
            try {
                gateway.close();
            } finally {
                sandbox.close();
            }
        }
    }

    /** Starts the demo on the ports of demo.yaml (15306 and 15000). */
    public Running start() throws InterruptedException {
        return start(GatewayServer.Options.defaults(), Optional.empty());
    }

    /** Starts the demo cluster and its gateway and returns them; the caller owns them. */
    public Running start(GatewayServer.Options options, Optional<Integer> httpPort) throws InterruptedException {
        long started = System.nanoTime();
        String yaml = resource(CONFIG_RESOURCE);
        SandboxPlaceholders placeholders = SandboxPlaceholders.of(Placeholders.find(yaml));
        Sandbox sandbox = Sandbox.start(placeholders.spec());
        try {
            SelfSignedCertificate tls = SelfSignedCertificate.generate(sandbox.baseDir().resolve("tls"),
                    Clock.systemUTC(), new SecureRandom());
            PlaceholderResolver demo = (prefix, name) -> !prefix.equals("demo") ? Optional.empty()
                    : name.equals("tls-cert") ? Optional.of(tls.certificate().toString())
                    : name.equals("tls-key") ? Optional.of(tls.privateKey().toString()) : Optional.empty();
            PlaceholderResolver servers = (prefix, name) -> SandboxPlaceholders.resolve(sandbox, prefix, name);
            SwitchyardConfig config = ConfigLoader.parse(yaml, servers.or(demo));
            loadCommerce(sandbox.primary("commerce", "0"));
            Gateway gateway = Gateway.start(config, options, httpPort);
            return new Running(sandbox, config, gateway, Duration.ofNanos(System.nanoTime() - started));
        } catch (RuntimeException | InterruptedException e) {
            sandbox.close();
            throw e;
        }
    }

    /** Runs the demo in the foreground until the JVM is asked to stop (Ctrl-C). */
    public void runUntilInterrupted() throws InterruptedException {
        Running running = start();
        CountDownLatch stopped = new CountDownLatch(1);
        Thread hook = new Thread(() -> {
            out.println();
            out.println("Stopping the demo cluster...");
            running.close();
            out.println("Stopped; every server is down and its data directory removed.");
            stopped.countDown();
        }, "switchyard-demo-shutdown");
        Runtime.getRuntime().addShutdownHook(hook);
        printBanner(running);
        stopped.await();
    }

    void printBanner(Running running) {
        out.printf("Switchyard demo cluster up in %.1f s%n%n", running.startup().toMillis() / 1000.0);
        out.printf("  %-10s %-6s %-9s %s%n", "KEYSPACE", "SHARD", "ROLE", "ADDRESS");
        for (MariaDbServer server : running.sandbox().servers()) {
            out.printf("  %-10s %-6s %-9s %s%n", Optional.ofNullable(server.keyspace()).orElse("-"),
                    Optional.ofNullable(server.shard()).orElse("-"), server.role().name().toLowerCase(),
                    server.address());
        }
        MariaDbServer commerce = running.sandbox().primary("commerce", "0");
        out.println();
        out.printf("Gateway: MySQL protocol on 127.0.0.1:%d, HTTP (metrics) on 127.0.0.1:%d%n",
                running.gateway().mysqlAddress().getPort(), running.gateway().httpAddress().getPort());
        out.println("Connect through the gateway (users: root with no password, or app/app; TLS with a"
                + " self-signed certificate when the client asks for it):");
        out.printf("  mariadb -h127.0.0.1 -P%d -uroot commerce%n", running.gateway().mysqlAddress().getPort());
        out.println("Or to a server directly (user root, no password), e.g. the commerce primary:");
        out.printf("  mariadb -h127.0.0.1 -P%d -uroot commerce%n", commerce.port());
        out.println();
        out.println("Press Ctrl-C to stop every server and remove its data.");
    }

    private static void loadCommerce(MariaDbServer primary) {
        try (Connection c = primary.connect("commerce"); Statement s = c.createStatement()) {
            for (String sql : statements(resource(COMMERCE_SQL))) {
                s.execute(sql);
            }
        } catch (SQLException e) {
            throw new IllegalStateException("loading the commerce schema into " + primary.address() + " failed: "
                    + e.getMessage(), e);
        }
    }

    /** Splits our own bundled SQL file: statements end with ';' at the end of a line; '--' lines are comments. */
    static List<String> statements(String script) {
        StringBuilder current = new StringBuilder();
        List<String> result = new ArrayList<>();
        for (String line : script.split("\n")) {
            String trimmed = line.strip();
            if (trimmed.isEmpty() || trimmed.startsWith("--")) {
                continue;
            }
            current.append(line).append('\n');
            if (trimmed.endsWith(";")) {
                String sql = current.toString().strip();
                result.add(sql.substring(0, sql.length() - 1));
                current.setLength(0);
            }
        }
        if (!current.toString().isBlank()) {
            throw new IllegalArgumentException("SQL script ends without ';': " + current.toString().strip());
        }
        return List.copyOf(result);
    }

    static String resource(String name) {
        try (InputStream in = Demo.class.getClassLoader().getResourceAsStream(name)) {
            if (in == null) {
                throw new IllegalStateException("bundled resource " + name + " is missing from the jar");
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
