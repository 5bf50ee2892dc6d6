package io.switchyard.sandbox;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/**
 * Removes a sandbox's base directory if the JVM dies without closing the sandbox (e.g. {@code kill -9}).
 *
 * <p>A {@code /bin/sh} loop that waits for the JVM to disappear, then for every server whose pid file is in the base
 * directory to exit (each server's own watchdog, see {@link ServerProcess}, is stopping it), then deletes the
 * directory. {@link Sandbox#close()} stops the janitor: on a clean close there is nothing left for it to do.
 */
final class Janitor implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(Janitor.class);

    static final String SCRIPT = """
            jvm=$1; base=$2; grace=$3
            trap '' INT HUP
            while kill -0 "$jvm" 2>/dev/null; do sleep 1; done
            waited=0
            while [ "$waited" -lt "$grace" ]; do
              alive=
              for f in "$base"/*/data/mariadbd.pid; do
                [ -f "$f" ] || continue
                p=$(cat "$f" 2>/dev/null)
                if [ -n "$p" ] && kill -0 "$p" 2>/dev/null; then alive=1; fi
              done
              [ -z "$alive" ] && break
              sleep 1
              waited=$((waited + 1))
            done
            rm -rf "$base"
            """;

    private final Process process;

    private Janitor(Process process) {
        this.process = process;
    }

    /** Starts the janitor for {@code baseDir}, which must be absolute and owned by this sandbox alone. */
    static Janitor start(Path baseDir, Duration stopTimeout) {
        if (!baseDir.isAbsolute() || baseDir.getNameCount() < 2) {
            throw new IllegalArgumentException("refusing to guard " + baseDir + ": not a private absolute directory");
        }
        List<String> command = List.of("/bin/sh", "-c", SCRIPT, "switchyard-janitor",
                Long.toString(ProcessHandle.current().pid()), baseDir.toString(),
                Long.toString(stopTimeout.toSeconds() + 10));
        try {
            Process process = new ProcessBuilder(command)
                    .redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.DISCARD)
                    .start();
            process.getOutputStream().close();
            return new Janitor(process);
        } catch (IOException e) {
            throw new SandboxException("cannot start the sandbox janitor (/bin/sh): " + e.getMessage(), e);
        }
    }

    @Override
    public void close() {
        process.destroy();
        try {
            process.waitFor();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            log.debug("interrupted while stopping the janitor (pid {})", process.pid());
        }
    }
}
