package io.switchyard.sandbox;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Optional;
import java.util.function.IntSupplier;

/**
 * One MariaDB server of a {@link Sandbox}: a primary or replica of a keyspace's shard, or the topology-store server.
 * It listens on {@code 127.0.0.1} only; user {@code root} has no password.
 *
 * <p>Thread-safe. {@link #stop()}, {@link #start()} and {@link #kill()} let a test take a backend down and bring it
 * back on the same port, server id and data.
 */
public final class MariaDbServer {
    private static final Logger log = LoggerFactory.getLogger(MariaDbServer.class);
    public static final String HOST = "127.0.0.1";
    private static final int PORT_ATTEMPTS = 8;

    /** What a server is for. */
    public enum Role {
        PRIMARY, REPLICA, TOPOLOGY
    }

    private final String keyspace;
    private final String shard;
    private final Role role;
    private final int replicaNumber;
    private final Path home;
    private final Path datadir;
    private final Path tmpdir;
    private final MariaDbBinaries binaries;
    private final SandboxOptions options;

    /** Fixed by the first start: the port is chosen then and the server id derives from it. */
    private volatile int port;
    // Written under the monitor, but volatile so that beginClose() can stop a server that another thread is still
    // starting (that thread holds the monitor for the whole start): a shutdown during start must not wait for it.
    private volatile ServerProcess process;
    private volatile boolean closed; // the sandbox is closed, its directory is gone
    /** mariadbd options added after the sandbox's own ones, set by {@link #restartWith}; later options win. */
    private volatile List<String> extraOptions = List.of();

    /** {@code home} holds this server's {@code data} directory, its private {@code tmp} directory and its stdout. */
    MariaDbServer(String keyspace, String shard, Role role, int replicaNumber, Path home,
                  MariaDbBinaries binaries, SandboxOptions options) {
        this.keyspace = keyspace;
        this.shard = shard;
        this.role = role;
        this.replicaNumber = replicaNumber;
        this.home = home;
        this.datadir = home.resolve("data");
        this.tmpdir = home.resolve("tmp");
        this.binaries = binaries;
        this.options = options;
    }

    /** The keyspace this server belongs to; {@code null} for the topology server. */
    public String keyspace() {
        return keyspace;
    }

    /** The shard this server belongs to ({@code 0}, {@code -80}, ...); {@code null} for the topology server. */
    public String shard() {
        return shard;
    }

    public Role role() {
        return role;
    }

    /** The database the sandbox created on this server: the keyspace's name, or {@value Sandbox#TOPOLOGY_DATABASE}. */
    public String database() {
        return role == Role.TOPOLOGY ? Sandbox.TOPOLOGY_DATABASE : keyspace;
    }

    /** For log lines and messages: {@code commerce/0 primary}, {@code customer/-80 replica 1}, {@code topology}. */
    public String name() {
        return switch (role) {
            case PRIMARY -> keyspace + "/" + shard + " primary";
            case REPLICA -> keyspace + "/" + shard + " replica " + replicaNumber;
            case TOPOLOGY -> "topology";
        };
    }

    public String host() {
        return HOST;
    }

    public int port() {
        return port;
    }

    /** {@code 127.0.0.1:PORT}. */
    public String address() {
        return HOST + ":" + port;
    }

    /**
     * The server's {@code server_id}: its port, so ids are unique among all sandboxes running on this machine, not
     * only within one. Binlog clients that need their own server id should pick one above 65535.
     */
    public long serverId() {
        return port;
    }

    /** The data directory; its {@code error.log} is the server's error log. */
    public Path datadir() {
        return datadir;
    }

    /** {@code jdbc:mariadb://127.0.0.1:PORT/DATABASE?user=root}; an empty {@code database} selects none. */
    public String jdbcUrl(String database) {
        return "jdbc:mariadb://" + address() + "/" + database + "?user=root";
    }

    /** A JDBC URL without a default database. */
    public String jdbcUrl() {
        return jdbcUrl("");
    }

    /** A new connection as root, no default database. The caller closes it. */
    public Connection connect() throws SQLException {
        return connect("");
    }

    /** A new connection as root to {@code database}. The caller closes it. */
    public Connection connect(String database) throws SQLException {
        return DriverManager.getConnection(jdbcUrl(database));
    }

    /** Runs each statement in turn on one connection (autocommit); for test setup. */
    public void execute(String... sql) {
        try (Connection c = connect(); Statement s = c.createStatement()) {
            for (String statement : sql) {
                try {
                    s.execute(statement);
                } catch (SQLException e) {
                    throw new SandboxException(name() + " (" + address() + "): " + statement + ": " + e.getMessage(),
                            e);
                }
            }
        } catch (SQLException e) {
            throw new SandboxException(name() + " (" + address() + "): cannot connect: " + e.getMessage(), e);
        }
    }

    /** Runs a query and returns its rows, each column as {@link ResultSet#getString} gives it (SQL NULL: null). */
    public List<List<String>> query(String sql) {
        try (Connection c = connect(); Statement s = c.createStatement(); ResultSet rs = s.executeQuery(sql)) {
            int columns = rs.getMetaData().getColumnCount();
            List<List<String>> rows = new ArrayList<>();
            while (rs.next()) {
                List<String> row = new ArrayList<>(columns);
                for (int i = 1; i <= columns; i++) {
                    row.add(rs.getString(i));
                }
                rows.add(Collections.unmodifiableList(row));
            }
            return Collections.unmodifiableList(rows);
        } catch (SQLException e) {
            throw new SandboxException(name() + " (" + address() + "): " + sql + ": " + e.getMessage(), e);
        }
    }

    /** Whether mariadbd is running (it may still be starting up if {@link #start()} has not returned). */
    public synchronized boolean isRunning() {
        return process != null && process.isAlive();
    }

    /** The mariadbd process id, while it runs. */
    public synchronized Optional<Long> pid() {
        return isRunning() ? Optional.of(process.pid()) : Optional.empty();
    }

    /**
     * Starts a stopped server again on the same port with the same data, and waits until it accepts connections. A
     * replica resumes replicating by itself. No-op if it is running.
     *
     * @throws SandboxException if it does not come up (e.g. its port was taken meanwhile)
     */
    public synchronized void start() {
        if (closed) {
            throw new IllegalStateException(name() + ": its sandbox is closed");
        }
        if (isRunning()) {
            return;
        }
        launchAndAwait();
        options.logSink().accept("restarted " + name() + " on " + address());
    }

    /** Shuts the server down cleanly (SIGTERM; SIGKILL if it takes longer than the stop timeout). No-op if stopped. */
    public synchronized void stop() {
        if (!isRunning()) {
            return;
        }
        process.terminate();
        awaitStopped();
        options.logSink().accept("stopped " + name() + " on " + address());
    }

    /**
     * Stops the server cleanly and starts it again on the same port and data with extra {@code mariadbd} options,
     * e.g. {@code --ssl-ca=...}, {@code --ssl-cert=...}, {@code --ssl-key=...} for a TLS test. The options stay in
     * force for later {@link #start()}s; {@code restartWith(List.of())} goes back to the sandbox's own. Options are
     * appended to the sandbox's, so one given again (say {@code --binlog-format=STATEMENT}) overrides it.
     *
     * @throws IllegalArgumentException if an option does not start with {@code --}
     * @throws SandboxException if the server does not come back up (its error log says why); the options are kept
     */
    public synchronized void restartWith(List<String> options) {
        for (String option : options) {
            if (!option.startsWith("--")) {
                throw new IllegalArgumentException("mariadbd option \"" + option + "\" must start with --");
            }
        }
        stop();
        extraOptions = List.copyOf(options);
        start();
    }

    /** The extra options of the last {@link #restartWith}; empty by default. */
    public List<String> extraOptions() {
        return extraOptions;
    }

    /** SIGKILLs the server, as a crash would; {@link #start()} then runs InnoDB crash recovery. No-op if stopped. */
    public synchronized void kill() {
        if (!isRunning()) {
            return;
        }
        process.kill();
        options.logSink().accept("killed " + name() + " on " + address());
    }

    /** Lays out the server's directory: a copy of the template as data directory, and an empty tmp directory. */
    void prepare(Path template) {
        try {
            Files.createDirectories(tmpdir);
        } catch (IOException e) {
            throw new SandboxException(name() + ": cannot create " + tmpdir + ": " + e, e);
        }
        TemplateCache.copy(template, datadir);
    }

    /** First start: picks a free port, retrying with another one if some other process takes it first. */
    synchronized void startFirst(IntSupplier freePort) {
        for (int attempt = 1; ; attempt++) {
            port = freePort.getAsInt();
            try {
                launchAndAwait();
                return;
            } catch (ServerProcess.PortInUseException e) {
                if (attempt == PORT_ATTEMPTS) {
                    throw new SandboxException(name() + ": no free port after " + attempt + " attempts", e);
                }
                log.debug("{}: port {} was taken, trying another", name(), port);
            }
        }
    }

    /** First half of the sandbox's parallel shutdown: SIGTERM without waiting; the server cannot start again. */
    void beginClose() {
        closed = true;
        ServerProcess current = process;
        if (current != null) {
            current.terminate();
        }
    }

    /** Waits for the exit after SIGTERM (SIGKILL after the stop timeout); second half of the sandbox's shutdown. */
    synchronized void awaitStopped() {
        if (process == null) {
            return;
        }
        if (!process.awaitExit(options.stopTimeout())) {
            log.warn("{} did not shut down within {}; killed it", name(), options.stopTimeout());
        }
        process = null;
    }

    private void launchAndAwait() {
        List<String> command = new ArrayList<>(MariaDbCommand.server(binaries, datadir, tmpdir, port, serverId(),
                role == Role.REPLICA));
        command.addAll(extraOptions);
        ServerProcess started = ServerProcess.launch(command, home, datadir, options.stopTimeout());
        process = started;
        try {
            started.awaitReady(name(), jdbcUrl() + "&connectTimeout=2000&socketTimeout=10000",
                    options.startTimeout());
        } catch (RuntimeException e) {
            started.kill();
            process = null;
            throw e;
        }
    }

    @Override
    public String toString() {
        return name() + " " + address();
    }
}
