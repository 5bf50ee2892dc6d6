package io.switchyard.sandbox;

import io.switchyard.sandbox.MariaDbServer.Role;
import io.switchyard.sandbox.SandboxSpec.KeyspaceSpec;
import io.switchyard.sandbox.SandboxSpec.ShardSpec;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;

/**
 * A local MariaDB cluster as a {@link SandboxSpec} describes it: per shard one primary and its replicas (GTID
 * replication, {@code MASTER_USE_GTID=slave_pos}), plus optionally a topology-store server. Every server runs
 * {@code mariadbd} from a fresh copy of a cached template data directory, on a free 127.0.0.1 port, with the binary
 * log on in ROW format. On each primary the keyspace's database exists; on the topology server
 * {@value #TOPOLOGY_DATABASE}. When {@link #start} returns, every server accepts connections and every replica has
 * caught up with its primary.
 *
 * <p>{@link #close()} stops every server and deletes the base directory. If the JVM exits without closing, a shutdown
 * hook closes the sandbox; if it is killed outright, per-server watchdog processes stop the servers and a janitor
 * process deletes the base directory, so no {@code mariadbd} outlives its JVM by more than a few seconds.
 */
public final class Sandbox implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(Sandbox.class);
    /** The database created on the topology server. */
    public static final String TOPOLOGY_DATABASE = "switchyard_topo";

    private final SandboxSpec spec;
    private final SandboxOptions options;
    private final Path baseDir;
    private final List<MariaDbServer> servers;
    private final Map<String, List<MariaDbServer>> shards; // "keyspace/shard" -> primary, replicas...
    private final Thread shutdownHook;
    private final Janitor janitor;
    private boolean closed; // guarded by this

    private Sandbox(SandboxSpec spec, SandboxOptions options, Path baseDir, List<MariaDbServer> servers,
                    Janitor janitor) {
        this.spec = spec;
        this.options = options;
        this.baseDir = baseDir;
        this.servers = List.copyOf(servers);
        this.janitor = janitor;
        Map<String, List<MariaDbServer>> byShard = new LinkedHashMap<>();
        for (MariaDbServer server : servers) {
            if (server.role() != Role.TOPOLOGY) {
                byShard.computeIfAbsent(key(server.keyspace(), server.shard()), k -> new ArrayList<>()).add(server);
            }
        }
        byShard.replaceAll((k, v) -> List.copyOf(v));
        this.shards = byShard;
        this.shutdownHook = new Thread(this::close, "switchyard-sandbox-shutdown");
    }

    /** Starts {@code spec} with {@link SandboxOptions#defaults()}. */
    public static Sandbox start(SandboxSpec spec) {
        return start(spec, SandboxOptions.defaults());
    }

    /**
     * Starts every server of {@code spec} in parallel and returns when all accept connections and every replica has
     * caught up. On failure everything started so far is stopped and removed before the exception propagates.
     *
     * @throws SandboxException if MariaDB is not installed or a server does not come up; the message says why
     */
    public static Sandbox start(SandboxSpec spec, SandboxOptions options) {
        Objects.requireNonNull(spec, "spec");
        Objects.requireNonNull(options, "options");
        long started = System.nanoTime();
        MariaDbBinaries binaries = MariaDbBinaries.locate(options.mariadbHome());
        Path template = new TemplateCache(options.templateRoot()).template(binaries);
        Path baseDir = createBaseDir(options);
        List<MariaDbServer> servers = plan(spec, baseDir, binaries, options);
        Janitor janitor;
        try {
            janitor = Janitor.start(baseDir, options.stopTimeout());
        } catch (RuntimeException e) {
            TemplateCache.deleteQuietly(baseDir);
            throw e;
        }
        Sandbox sandbox = new Sandbox(spec, options, baseDir, servers, janitor);
        Runtime.getRuntime().addShutdownHook(sandbox.shutdownHook);
        try {
            sandbox.startServers(template);
            ReplicationWiring.wire(sandbox, options.startTimeout());
        } catch (RuntimeException | Error e) {
            try {
                sandbox.close();
            } catch (RuntimeException closeFailure) {
                e.addSuppressed(closeFailure);
            }
            throw e;
        }
        options.logSink().accept(String.format("sandbox up: %d servers in %d ms (%s) in %s", servers.size(),
                TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started), spec, baseDir));
        return sandbox;
    }

    public SandboxSpec spec() {
        return spec;
    }

    /** Every server: per keyspace and shard the primary then its replicas, the topology server last. */
    public List<MariaDbServer> servers() {
        return servers;
    }

    /** @throws IllegalArgumentException if the spec has no such shard */
    public MariaDbServer primary(String keyspace, String shard) {
        return shard(keyspace, shard).get(0);
    }

    /** The shard's replicas in order (replica 1 first); empty if it has none. */
    public List<MariaDbServer> replicas(String keyspace, String shard) {
        List<MariaDbServer> all = shard(keyspace, shard);
        return all.subList(1, all.size());
    }

    /** @throws IllegalStateException if the spec has no topology server */
    public MariaDbServer topology() {
        return servers.stream().filter(s -> s.role() == Role.TOPOLOGY).findFirst().orElseThrow(() ->
                new IllegalStateException("this sandbox has no topology server; add \"topology\" to its spec ("
                        + spec + ")"));
    }

    /**
     * Waits until every replica has applied every transaction its primary had in its binary log when this was
     * called. For tests that write on a primary and then read a replica.
     *
     * @throws SandboxException if a replica does not catch up in time; the message has its replication errors
     */
    public void awaitReplicasCaughtUp(Duration timeout) {
        ReplicationWiring.awaitCaughtUp(this, timeout);
    }

    /** The directory holding every server's data directory; deleted by {@link #close()}. */
    public Path baseDir() {
        return baseDir;
    }

    /**
     * Stops every server (SIGTERM, SIGKILL after the stop timeout) and deletes the base directory. Idempotent; a
     * concurrent second call waits for the first to finish.
     */
    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        long started = System.nanoTime();
        servers.forEach(MariaDbServer::beginClose);
        servers.forEach(MariaDbServer::awaitStopped);
        janitor.close();
        try {
            FileTrees.delete(baseDir);
        } catch (IOException e) {
            log.warn("cannot delete the sandbox directory {}: {}", baseDir, e.toString());
        }
        try {
            Runtime.getRuntime().removeShutdownHook(shutdownHook);
        } catch (IllegalStateException shuttingDown) {
            // Called from the hook itself, or another hook: nothing to remove.
        }
        options.logSink().accept(String.format("sandbox stopped: %d servers in %d ms", servers.size(),
                TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started)));
    }

    @Override
    public String toString() {
        return "Sandbox[" + spec + " in " + baseDir + "]";
    }

    private List<MariaDbServer> shard(String keyspace, String shard) {
        List<MariaDbServer> found = shards.get(key(keyspace, shard));
        if (found == null) {
            throw new IllegalArgumentException("this sandbox has no shard " + key(keyspace, shard) + "; it has "
                    + shards.keySet());
        }
        return found;
    }

    private static String key(String keyspace, String shard) {
        return keyspace + "/" + shard;
    }

    private static Path createBaseDir(SandboxOptions options) {
        try {
            if (options.baseDir().isEmpty()) {
                Path tmp = Path.of(System.getProperty("java.io.tmpdir")).toAbsolutePath();
                return Files.createTempDirectory(tmp, "switchyard-sandbox-");
            }
            Path dir = options.baseDir().get();
            if (Files.isDirectory(dir)) {
                try (Stream<Path> entries = Files.list(dir)) {
                    if (entries.findAny().isPresent()) {
                        throw new SandboxException("sandbox base directory " + dir + " is not empty; the sandbox"
                                + " deletes its base directory on close, so it must own it");
                    }
                }
                return dir;
            }
            return Files.createDirectories(dir);
        } catch (IOException e) {
            throw new SandboxException("cannot create the sandbox base directory: " + e, e);
        }
    }

    private static List<MariaDbServer> plan(SandboxSpec spec, Path baseDir, MariaDbBinaries binaries,
                                            SandboxOptions options) {
        List<MariaDbServer> servers = new ArrayList<>();
        for (KeyspaceSpec keyspace : spec.keyspaces()) {
            for (ShardSpec shard : keyspace.shards()) {
                String prefix = keyspace.name() + "-" + shard.name() + "-";
                servers.add(new MariaDbServer(keyspace.name(), shard.name(), Role.PRIMARY, 0,
                        baseDir.resolve(prefix + "primary"), binaries, options));
                for (int i = 1; i <= shard.replicas(); i++) {
                    servers.add(new MariaDbServer(keyspace.name(), shard.name(), Role.REPLICA, i,
                            baseDir.resolve(prefix + "replica" + i), binaries, options));
                }
            }
        }
        if (spec.topology()) {
            servers.add(new MariaDbServer(null, null, Role.TOPOLOGY, 0, baseDir.resolve("topology"), binaries,
                    options));
        }
        return servers;
    }

    /** Copies the template and starts every server, in parallel; waits for all, then reports the first failure. */
    private void startServers(Path template) {
        PortPicker ports = new PortPicker();
        ExecutorService executor = options.executor().orElseGet(() -> Executors.newFixedThreadPool(
                Math.min(servers.size(), Math.max(2, Runtime.getRuntime().availableProcessors() * 2)),
                namedDaemonThreads()));
        try {
            List<Future<?>> futures = new ArrayList<>();
            for (MariaDbServer server : servers) {
                futures.add(executor.submit(() -> {
                    server.prepare(template);
                    server.startFirst(ports::next);
                    options.logSink().accept("started " + server.name() + " on " + server.address());
                }));
            }
            Futures.awaitAll(futures, "starting the sandbox servers");
        } finally {
            if (options.executor().isEmpty()) {
                executor.shutdownNow();
            }
        }
    }

    private static ThreadFactory namedDaemonThreads() {
        AtomicInteger count = new AtomicInteger();
        return runnable -> {
            Thread thread = new Thread(runnable, "switchyard-sandbox-" + count.incrementAndGet());
            thread.setDaemon(true);
            return thread;
        };
    }
}
