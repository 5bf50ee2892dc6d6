package io.switchyard.proxy.backend;

import io.netty.buffer.PooledByteBufAllocator;
import io.netty.buffer.UnpooledByteBufAllocator;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.nio.NioEventLoopGroup;
import io.netty.util.ResourceLeakDetector;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import io.switchyard.config.ConfigLoader;
import io.switchyard.config.PlaceholderResolver;
import io.switchyard.config.SwitchyardConfig;
import io.switchyard.proxy.metrics.GatewayMetrics;
import io.switchyard.sandbox.MariaDbServer;
import io.switchyard.sandbox.Sandbox;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.time.Clock;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.logging.Handler;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Event loops, scheduler and metrics for backend tests, plus a config for the sandbox's {@code commerce} shard built
 * from YAML (the documented config format, so tests read like operators' files). Close it after the class.
 */
final class BackendFixture implements AutoCloseable {
    final EventLoopGroup group = new NioEventLoopGroup(2);
    final ScheduledExecutorService scheduler = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread thread = new Thread(r, "backend-test-scheduler");
        thread.setDaemon(true);
        return thread;
    });
    final PrometheusRegistry registry = new PrometheusRegistry();
    final GatewayMetrics metrics = new GatewayMetrics(registry);
    /**
     * Netty's PARANOID leak reports (the build sets the level). SLF4J has no provider in tests, so Netty logs
     * through java.util.logging; a handler on the detector's logger turns reports into a test failure.
     */
    private final List<String> leaks = new CopyOnWriteArrayList<>();
    private final Logger leakLogger = Logger.getLogger(ResourceLeakDetector.class.getName());
    private final Handler leakHandler = new Handler() {
        @Override
        public void publish(LogRecord record) {
            if (record.getMessage() != null && record.getMessage().contains("LEAK")) {
                leaks.add(record.getMessage());
            }
        }

        @Override
        public void flush() {
        }

        @Override
        public void close() {
        }
    };

    BackendFixture() {
        leakLogger.addHandler(leakHandler);
    }

    Backends backends(SwitchyardConfig config) {
        return new Backends(config, group, metrics, Clock.systemUTC(), scheduler);
    }

    /**
     * A config with keyspace {@code commerce}, shard 0 on the given primary and replicas ({@code host:port}).
     *
     * @param backend YAML lines under {@code backend:}, e.g. {@code pool_max_size: 2}
     * @param keyspaceExtra YAML lines inside the keyspace, e.g. {@code credentials: {user: app, password: x}}
     */
    static SwitchyardConfig config(String backend, String keyspaceExtra, String primary, List<String> replicas) {
        String yaml = "users:\n"
                + "  - {name: root, password: \"\", role: admin}\n"
                + "topology:\n"
                + "  dsn: \"mysql://root:@127.0.0.1:3306/switchyard_topo\"\n"
                + "backend:\n"
                + indent(backend.isEmpty() ? "pool_max_size: 8" : backend, 2)
                + "keyspaces:\n"
                + "  - name: commerce\n"
                + indent(keyspaceExtra, 4)
                + "    shards:\n"
                + "      - name: \"0\"\n"
                + "        primary: " + primary + "\n"
                + "        replicas: [" + String.join(", ", replicas) + "]\n";
        return ConfigLoader.parse(yaml, PlaceholderResolver.none());
    }

    /** The sandbox's commerce shard as is: its primary and its replicas. */
    static SwitchyardConfig config(Sandbox sandbox, String backend) {
        return config(backend, "", sandbox.primary("commerce", "0").address(),
                sandbox.replicas("commerce", "0").stream().map(MariaDbServer::address).toList());
    }

    /** A port nothing listens on (bound and released; nothing else takes it during a test in practice). */
    static String deadEndpoint() {
        try (ServerSocket socket = new ServerSocket(0)) {
            return "127.0.0.1:" + socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String indent(String lines, int spaces) {
        if (lines.isEmpty()) {
            return "";
        }
        String pad = " ".repeat(spaces);
        return lines.lines().map(line -> pad + line).collect(Collectors.joining("\n", "", "\n"));
    }

    /**
     * Stops the loops, then makes the leak detector look: buffers dropped without release are reported when they
     * have been garbage collected and another buffer is allocated.
     */
    @Override
    public void close() {
        scheduler.shutdownNow();
        group.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
        try {
            for (int i = 0; i < 5; i++) {
                System.gc();
                Thread.sleep(20);
                for (int j = 0; j < 100; j++) {
                    PooledByteBufAllocator.DEFAULT.directBuffer(16).release();
                    UnpooledByteBufAllocator.DEFAULT.heapBuffer(16).release();
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            leakLogger.removeHandler(leakHandler);
        }
        assertTrue(leaks.isEmpty(), () -> leaks.size() + " buffer leaks: " + leaks);
    }
}
