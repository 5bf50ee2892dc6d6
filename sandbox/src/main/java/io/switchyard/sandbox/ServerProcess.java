package io.switchyard.sandbox;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * One running {@code mariadbd}, started so that it cannot outlive this JVM.
 *
 * <p>The process is started as {@code /bin/sh -c WATCHDOG jvm-pid grace mariadbd args...}. The shell forks a
 * watchdog loop and then {@code exec}s mariadbd, so the {@link Process} this class holds <em>is</em> mariadbd (same
 * pid: signals and exit codes are mariadbd's), and the watchdog knows that pid as {@code $$}. Once a second the
 * watchdog checks the JVM with {@code kill -0}; when the JVM is gone (even after {@code kill -9}, when no shutdown
 * hook runs) it sends mariadbd SIGTERM, and SIGKILL after the grace period. It exits by itself when mariadbd exits.
 * A non-interactive shell starts background jobs with SIGINT ignored, so Ctrl-C in a terminal never takes the
 * watchdog down before the JVM's shutdown hook has run.
 */
final class ServerProcess {
    static final String WATCHDOG = """
            jvm=$1; grace=$2; shift 2
            (
              trap '' INT HUP
              while kill -0 "$jvm" 2>/dev/null; do
                kill -0 $$ 2>/dev/null || exit 0
                sleep 1
              done
              kill -TERM $$ 2>/dev/null || exit 0
              waited=0
              while kill -0 $$ 2>/dev/null; do
                if [ "$waited" -ge "$grace" ]; then kill -KILL $$ 2>/dev/null; exit 0; fi
                sleep 1
                waited=$((waited + 1))
              done
            ) </dev/null >/dev/null 2>&1 &
            exec "$@"
            """;

    /** Thrown when mariadbd could not bind its port (another process took it first): retry with another port. */
    static final class PortInUseException extends SandboxException {
        private static final long serialVersionUID = 1L;

        PortInUseException(String message) {
            super(message);
        }
    }

    private final Process process;
    private final Path datadir;
    private final long errorLogOffset;

    private ServerProcess(Process process, Path datadir, long errorLogOffset) {
        this.process = process;
        this.datadir = datadir;
        this.errorLogOffset = errorLogOffset;
    }

    /** Starts {@code command} (a mariadbd command line) under the watchdog; its stdout goes to {@code home}. */
    static ServerProcess launch(List<String> command, Path home, Path datadir, Duration stopTimeout) {
        Path errorLog = datadir.resolve(MariaDbCommand.ERROR_LOG);
        List<String> wrapped = new ArrayList<>(List.of("/bin/sh", "-c", WATCHDOG, "switchyard-watchdog",
                Long.toString(ProcessHandle.current().pid()), Long.toString(stopTimeout.toSeconds() + 1)));
        wrapped.addAll(command);
        try {
            long offset = Files.exists(errorLog) ? Files.size(errorLog) : 0;
            Process process = new ProcessBuilder(wrapped)
                    .directory(datadir.toFile())
                    .redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.appendTo(home.resolve("mariadbd.out").toFile()))
                    .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
                    .start();
            return new ServerProcess(process, datadir, offset);
        } catch (IOException e) {
            throw new SandboxException("cannot start " + command.get(0) + ": " + e.getMessage(), e);
        }
    }

    long pid() {
        return process.pid();
    }

    boolean isAlive() {
        return process.isAlive();
    }

    /**
     * Polls until the server accepts a root connection on {@code jdbcUrl}.
     *
     * @throws PortInUseException if mariadbd died because its port was taken
     * @throws SandboxException   if it died otherwise or did not come up in time, with its error log's tail
     */
    void awaitReady(String name, String jdbcUrl, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        long pauseMillis = 10;
        SQLException last = null;
        while (true) {
            if (!process.isAlive()) {
                String log = newErrorLog();
                if (log.contains("Address already in use") || log.contains("Bind on TCP/IP port")) {
                    throw new PortInUseException(name + ": port already in use");
                }
                throw new SandboxException(name + ": mariadbd exited with code " + process.exitValue()
                        + " while starting; last lines of " + errorLog() + ":\n" + errorLogTail());
            }
            try (Connection ignored = DriverManager.getConnection(jdbcUrl)) {
                return;
            } catch (SQLException e) {
                last = e;
                String state = e.getSQLState();
                if (state != null && !state.startsWith("08") && !state.startsWith("HY")) {
                    throw new SandboxException(name + ": mariadbd is up but refused root: " + e.getMessage(), e);
                }
            }
            if (System.nanoTime() > deadline) {
                throw new SandboxException(name + ": mariadbd did not accept connections within " + timeout
                        + " (last error: " + (last == null ? "none" : last.getMessage()) + "); last lines of "
                        + errorLog() + ":\n" + errorLogTail());
            }
            sleep(pauseMillis);
            pauseMillis = Math.min(pauseMillis * 2, 200);
        }
    }

    /** SIGTERM (mariadbd shuts down cleanly on it); {@link #awaitExit} waits for it. */
    void terminate() {
        process.destroy();
    }

    /**
     * Waits up to {@code timeout} for the process to exit, then SIGKILLs it.
     *
     * @return whether it exited by itself
     */
    boolean awaitExit(Duration timeout) {
        try {
            if (process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                return true;
            }
            process.destroyForcibly();
            process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS);
            return false;
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
            return false;
        }
    }

    /** SIGKILL, then waits for the process to be gone. mariadbd leaves its pid file behind; it is removed here. */
    void kill() {
        process.destroyForcibly();
        try {
            process.waitFor(30, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        try {
            Files.deleteIfExists(datadir.resolve(MariaDbCommand.PID_FILE));
        } catch (IOException e) {
            // The janitor skips pid files of dead processes anyway.
        }
    }

    Path errorLog() {
        return datadir.resolve(MariaDbCommand.ERROR_LOG);
    }

    String errorLogTail() {
        return FileTrees.tail(errorLog(), 25);
    }

    /** What this launch appended to the error log (it is shared with earlier launches of the same server). */
    private String newErrorLog() {
        try {
            byte[] all = Files.readAllBytes(errorLog());
            int from = (int) Math.min(errorLogOffset, all.length);
            return new String(all, from, all.length - from, StandardCharsets.UTF_8);
        } catch (IOException e) {
            return "";
        }
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new SandboxException("interrupted while waiting for mariadbd to start", e);
        }
    }
}
