package io.switchyard.sandbox;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Start, close and failure paths of sandboxes this test starts itself. */
class SandboxLifecycleIT {
    @TempDir
    Path tmp;

    @Test
    void closeStopsEveryServerAndDeletesTheBaseDirectoryOnce() {
        Path base = tmp.resolve("sandbox");
        List<String> log = new CopyOnWriteArrayList<>();
        Sandbox sandbox = Sandbox.start(SandboxSpec.parse("commerce"),
                SandboxOptions.defaults().baseDir(base).logSink(log::add));
        MariaDbServer primary = sandbox.primary("commerce", "0");
        long pid = primary.pid().orElseThrow();
        assertEquals(base, sandbox.baseDir());
        assertTrue(primary.datadir().startsWith(base));
        assertTrue(sandbox.replicas("commerce", "0").isEmpty());
        assertTrue(log.stream().anyMatch(l -> l.startsWith("started commerce/0 primary on 127.0.0.1:")), log::toString);
        assertTrue(log.stream().anyMatch(l -> l.startsWith("sandbox up: 1 servers")), log::toString);

        IllegalStateException noTopology = assertThrows(IllegalStateException.class, sandbox::topology);
        assertTrue(noTopology.getMessage().contains("no topology server"), noTopology.getMessage());

        sandbox.close();
        assertFalse(primary.isRunning());
        assertFalse(ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false));
        assertFalse(Files.exists(base));
        int lines = log.size();
        sandbox.close();
        assertEquals(lines, log.size(), "second close did something: " + log);
    }

    @Test
    void aServerThatDoesNotComeUpFailsTheStartAndLeavesNothingBehind() throws IOException {
        Path base = tmp.resolve("sandbox");
        SandboxException e = assertThrows(SandboxException.class, () -> Sandbox.start(SandboxSpec.parse("commerce:0+1"),
                SandboxOptions.defaults().baseDir(base).startTimeout(Duration.ofMillis(1))));

        assertTrue(e.getMessage().contains("did not accept connections within PT0.001S"), e.getMessage());
        assertTrue(e.getMessage().contains("error.log"), e.getMessage());
        assertFalse(Files.exists(base), "base directory left behind");
        assertEquals(List.of(), processesMentioning(base).stream().filter(cmd -> !isWatchdog(cmd)).toList());
        // Each server's watchdog shell notices within a second that its server is gone, and exits.
        Poll.until(Duration.ofSeconds(10), () -> processesMentioning(base).isEmpty(),
                () -> "processes left: " + processesMentioning(base));
    }

    private static boolean isWatchdog(String cmd) {
        return cmd.startsWith("/bin/sh -c ") && cmd.contains(" switchyard-watchdog ");
    }

    @Test
    void aNonEmptyBaseDirectoryIsRefused() throws IOException {
        Path base = Files.createDirectories(tmp.resolve("sandbox"));
        Files.writeString(base.resolve("precious.txt"), "keep me");

        SandboxException e = assertThrows(SandboxException.class,
                () -> Sandbox.start(SandboxSpec.parse("commerce"), SandboxOptions.defaults().baseDir(base)));
        assertTrue(e.getMessage().contains("is not empty"), e.getMessage());
        assertTrue(Files.exists(base.resolve("precious.txt")));
    }

    /** Command lines (from /proc) that mention {@code path}: mariadbd has its datadir on its command line. */
    private static List<String> processesMentioning(Path path) {
        try (Stream<Path> procs = Files.list(Path.of("/proc"))) {
            return procs.filter(p -> p.getFileName().toString().matches("\\d+"))
                    .map(p -> {
                        try {
                            return new String(Files.readAllBytes(p.resolve("cmdline")), StandardCharsets.UTF_8)
                                    .replace('\0', ' ');
                        } catch (IOException e) {
                            return "";
                        }
                    })
                    .filter(cmd -> cmd.contains(path.toString()) && cmd.contains("mariadbd"))
                    .toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
