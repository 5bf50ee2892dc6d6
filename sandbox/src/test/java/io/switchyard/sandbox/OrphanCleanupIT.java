package io.switchyard.sandbox;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * No {@code mariadbd} outlives its JVM: a child JVM starts a sandbox and is then killed, and its servers must go
 * away and its base directory must be deleted without anyone calling {@link Sandbox#close()}.
 */
class OrphanCleanupIT {
    private static final Duration CLEANUP_TIMEOUT = Duration.ofSeconds(30);

    @TempDir
    Path tmp;

    private Process child;

    @AfterEach
    void killChild() {
        if (child != null) {
            child.destroyForcibly();
        }
    }

    @Test
    void serversDieAndTheDirectoryGoesWhenTheJvmIsKilledWithSigkill() throws Exception {
        Path base = tmp.resolve("sandbox");
        List<Long> pids = startProbe(base);

        child.destroyForcibly(); // SIGKILL: no shutdown hook runs
        assertTrue(child.waitFor(10, TimeUnit.SECONDS));

        Poll.until(CLEANUP_TIMEOUT, () -> pids.stream().noneMatch(OrphanCleanupIT::running),
                () -> "mariadbd processes still running: " + pids.stream().filter(OrphanCleanupIT::running).toList());
        Poll.until(CLEANUP_TIMEOUT, () -> !Files.exists(base), () -> base + " still exists");
    }

    @Test
    void theShutdownHookClosesTheSandboxOnSigterm() throws Exception {
        Path base = tmp.resolve("sandbox");
        List<Long> pids = startProbe(base);

        child.destroy(); // SIGTERM: the JVM runs its shutdown hooks, which close the sandbox before it exits
        assertTrue(child.waitFor(60, TimeUnit.SECONDS));

        assertTrue(pids.stream().noneMatch(OrphanCleanupIT::running), "servers left running after the JVM exited");
        assertFalse(Files.exists(base), base + " left behind after the JVM exited");
    }

    /** Starts {@link OrphanProbe} with a one-shard, one-replica sandbox and returns the mariadbd pids it reports. */
    private List<Long> startProbe(Path base) throws Exception {
        String java = ProcessHandle.current().info().command()
                .orElse(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        Path log = tmp.resolve("probe.log");
        child = new ProcessBuilder(java, "-cp", System.getProperty("java.class.path"),
                OrphanProbe.class.getName(), base.toString(), "commerce:0+1")
                .redirectError(log.toFile())
                .start();
        CompletableFuture<String> ready = CompletableFuture.supplyAsync(() -> readyLine(child));
        String line;
        try {
            line = ready.get(120, TimeUnit.SECONDS);
        } catch (Exception e) {
            fail("the probe JVM did not report READY: " + e + "\n" + Files.readString(log));
            throw e;
        }
        if (line == null) {
            fail("the probe JVM exited before READY:\n" + Files.readString(log));
        }
        List<Long> pids = new ArrayList<>();
        Arrays.stream(line.substring("READY ".length()).split(" ")).map(Long::parseLong).forEach(pids::add);
        assertEquals(2, pids.size(), line);
        assertTrue(pids.stream().allMatch(OrphanCleanupIT::running), "servers not running: " + line);
        return pids;
    }

    private static String readyLine(Process process) {
        try {
            BufferedReader reader = new BufferedReader(new InputStreamReader(process.getInputStream(),
                    StandardCharsets.UTF_8));
            for (String line = reader.readLine(); line != null; line = reader.readLine()) {
                if (line.startsWith("READY ")) {
                    return line;
                }
            }
            return null;
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    /** Alive and not a zombie: a killed server's zombie lingers until its new parent (init) reaps it. */
    private static boolean running(long pid) {
        Path stat = Path.of("/proc", Long.toString(pid), "stat");
        if (Files.isReadable(Path.of("/proc/self/stat"))) {
            try {
                String text = Files.readString(stat);
                return text.charAt(text.lastIndexOf(')') + 2) != 'Z';
            } catch (IOException e) {
                return false;
            }
        }
        return ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false);
    }
}
