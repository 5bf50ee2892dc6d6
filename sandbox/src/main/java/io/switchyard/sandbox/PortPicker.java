package io.switchyard.sandbox;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.util.HashSet;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Picks free 127.0.0.1 ports for the servers of one sandbox.
 *
 * <p>Ports come from {@value #LOW}-{@value #HIGH}, below Linux's ephemeral range (32768-60999): a port the kernel
 * hands out for outgoing connections could otherwise be taken between a server's {@code stop()} and {@code start()}.
 * A port is tried by binding it; another process can still take it before mariadbd binds it, which
 * {@link MariaDbServer} handles by retrying with another port.
 */
final class PortPicker {
    static final int LOW = 20000;
    static final int HIGH = 32767;
    private static final int ATTEMPTS = 200;

    private final Set<Integer> handedOut = new HashSet<>();

    synchronized int next() {
        for (int i = 0; i < ATTEMPTS; i++) {
            int port = ThreadLocalRandom.current().nextInt(LOW, HIGH + 1);
            if (!handedOut.contains(port) && isFree(port)) {
                handedOut.add(port);
                return port;
            }
        }
        throw new SandboxException("no free port found on 127.0.0.1 between " + LOW + " and " + HIGH + " after "
                + ATTEMPTS + " tries");
    }

    private static boolean isFree(int port) {
        try (ServerSocket socket = new ServerSocket()) {
            socket.setReuseAddress(true);
            socket.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), port));
            return true;
        } catch (IOException e) {
            return false;
        }
    }
}
