package io.switchyard.sandbox;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.function.Consumer;

/**
 * How a {@link Sandbox} runs, as opposed to what it runs ({@link SandboxSpec}). Immutable: each setter-style method
 * returns a copy, e.g. {@code SandboxOptions.defaults().baseDir(dir).mariadbHome(Path.of("/opt/mariadb"))}.
 */
public final class SandboxOptions {
    private static final Logger log = LoggerFactory.getLogger(Sandbox.class);
    private static final Consumer<String> SLF4J_SINK = log::info;

    private final Path baseDir;
    private final Path mariadbHome;
    private final Path templateRoot;
    private final Consumer<String> logSink;
    private final ExecutorService executor;
    private final Duration startTimeout;
    private final Duration stopTimeout;

    private SandboxOptions(Path baseDir, Path mariadbHome, Path templateRoot, Consumer<String> logSink,
                           ExecutorService executor, Duration startTimeout, Duration stopTimeout) {
        this.baseDir = baseDir;
        this.mariadbHome = mariadbHome;
        this.templateRoot = templateRoot;
        this.logSink = logSink;
        this.executor = executor;
        this.startTimeout = startTimeout;
        this.stopTimeout = stopTimeout;
    }

    /**
     * A fresh temp base directory, binaries found on the usual paths, templates cached in {@code java.io.tmpdir},
     * progress logged at INFO, a 60 s start timeout per server and a 30 s clean-shutdown timeout.
     */
    public static SandboxOptions defaults() {
        return new SandboxOptions(null, null, null, SLF4J_SINK, null, Duration.ofSeconds(60), Duration.ofSeconds(30));
    }

    /**
     * Where the servers' data directories go. It must not exist or be empty; {@link Sandbox#close()} deletes it.
     * Default: a fresh {@code switchyard-sandbox-*} directory under {@code java.io.tmpdir}.
     */
    public SandboxOptions baseDir(Path dir) {
        return new SandboxOptions(absolute(dir, "baseDir"), mariadbHome, templateRoot, logSink, executor,
                startTimeout, stopTimeout);
    }

    /**
     * A MariaDB installation to use instead of searching PATH, {@code /usr/sbin}, {@code /usr/bin} and
     * {@code /usr/local/mysql/bin}: {@code mariadbd} is looked for in its {@code bin}, {@code sbin} and itself, and
     * {@code mariadb-install-db} also in {@code scripts}.
     */
    public SandboxOptions mariadbHome(Path home) {
        return new SandboxOptions(baseDir, absolute(home, "mariadbHome"), templateRoot, logSink, executor,
                startTimeout, stopTimeout);
    }

    /** Where initialized template data directories are cached between runs. Default: {@code java.io.tmpdir}. */
    public SandboxOptions templateRoot(Path dir) {
        return new SandboxOptions(baseDir, mariadbHome, absolute(dir, "templateRoot"), logSink, executor,
                startTimeout, stopTimeout);
    }

    /** Receives one line per lifecycle step (server started, stopped, ...). Default: this package's slf4j logger. */
    public SandboxOptions logSink(Consumer<String> sink) {
        return new SandboxOptions(baseDir, mariadbHome, templateRoot, Objects.requireNonNull(sink, "logSink"),
                executor, startTimeout, stopTimeout);
    }

    /**
     * Runs server starts and stops in parallel. The sandbox does not shut it down. Default: a pool of named daemon
     * threads owned by the sandbox.
     */
    public SandboxOptions executor(ExecutorService executorService) {
        return new SandboxOptions(baseDir, mariadbHome, templateRoot, logSink,
                Objects.requireNonNull(executorService, "executor"), startTimeout, stopTimeout);
    }

    /** How long one server may take to accept connections before the start fails. */
    public SandboxOptions startTimeout(Duration timeout) {
        return new SandboxOptions(baseDir, mariadbHome, templateRoot, logSink, executor, positive(timeout,
                "startTimeout"), stopTimeout);
    }

    /** How long a server may take to shut down after SIGTERM before it gets SIGKILL. */
    public SandboxOptions stopTimeout(Duration timeout) {
        return new SandboxOptions(baseDir, mariadbHome, templateRoot, logSink, executor, startTimeout,
                positive(timeout, "stopTimeout"));
    }

    public Optional<Path> baseDir() {
        return Optional.ofNullable(baseDir);
    }

    public Optional<Path> mariadbHome() {
        return Optional.ofNullable(mariadbHome);
    }

    public Path templateRoot() {
        return templateRoot != null ? templateRoot : Path.of(System.getProperty("java.io.tmpdir")).toAbsolutePath();
    }

    public Consumer<String> logSink() {
        return logSink;
    }

    public Optional<ExecutorService> executor() {
        return Optional.ofNullable(executor);
    }

    public Duration startTimeout() {
        return startTimeout;
    }

    public Duration stopTimeout() {
        return stopTimeout;
    }

    private static Path absolute(Path path, String name) {
        return Objects.requireNonNull(path, name).toAbsolutePath().normalize();
    }

    private static Duration positive(Duration duration, String name) {
        Objects.requireNonNull(duration, name);
        if (duration.isNegative() || duration.isZero()) {
            throw new IllegalArgumentException(name + " must be positive, was " + duration);
        }
        return duration;
    }
}
