package io.switchyard.sandbox;

import java.nio.file.Path;
import java.util.stream.Collectors;

/**
 * Run in a child JVM by {@link OrphanCleanupIT}: starts a sandbox in the given base directory, prints
 * {@code READY <pid> <pid>...} and waits to be killed, never closing the sandbox itself.
 */
public final class OrphanProbe {
    private OrphanProbe() {
    }

    public static void main(String[] args) throws InterruptedException {
        Sandbox sandbox = Sandbox.start(SandboxSpec.parse(args[1]),
                SandboxOptions.defaults().baseDir(Path.of(args[0])));
        String pids = sandbox.servers().stream().map(s -> Long.toString(s.pid().orElseThrow()))
                .collect(Collectors.joining(" "));
        System.out.println("READY " + pids);
        System.out.flush();
        Thread.sleep(Long.MAX_VALUE);
    }
}
