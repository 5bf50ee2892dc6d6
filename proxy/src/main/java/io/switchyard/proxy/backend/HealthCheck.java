package io.switchyard.proxy.backend;

import io.netty.channel.EventLoop;
import io.switchyard.config.Backend;
import io.switchyard.proxy.codec.CommandType;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * One round of the periodic check of one server: close idle connections past {@code pool_idle_timeout}; if the
 * server is UP, ping its longest-idle connection (if idle for a whole interval: busy connections prove health by
 * themselves); if it is DOWN and its backoff has elapsed, try to connect, which brings it back UP and leaves the new
 * connection idle. Decisions are taken under the server's lock, I/O is started after it.
 */
final class HealthCheck {
    private HealthCheck() {
    }

    static void run(BackendServer server, long nowMillis, Backend settings, EventLoop probeLoop) {
        List<BackendConnection> expired = new ArrayList<>();
        BackendConnection ping = null;
        BackendPool pingPool = null;
        BackendPool probe = null;
        synchronized (server) {
            if (server.isClosed()) {
                return;
            }
            List<BackendPool> pools = server.pools();
            long idleCutoff = nowMillis - settings.poolIdleTimeout().toMillis();
            for (BackendPool pool : pools) {
                pool.drainExpired(idleCutoff, expired);
            }
            if (server.health() == BackendServer.Health.UP) {
                long pingCutoff = nowMillis - settings.healthCheckInterval().toMillis();
                for (BackendPool pool : pools) {
                    if (pool.peekOldestIdle(pingCutoff) != null) {
                        ping = pool.pollOldestIdle();
                        pingPool = pool;
                        break;
                    }
                }
            } else if (!pools.isEmpty() && server.admits(nowMillis) && server.reserve()) {
                probe = pools.get(0);
            }
        }
        expired.forEach(BackendConnection::close);
        if (ping != null) {
            BackendConnection checked = ping;
            BackendPool owner = pingPool;
            checked.simpleCommand(CommandType.COM_PING).whenComplete((ok, error) -> {
                if (error == null) {
                    owner.returnChecked(checked);
                } else {
                    checked.close();
                }
            });
        }
        if (probe != null) {
            BackendPool pool = probe;
            CompletableFuture<BackendConnection> probed = new CompletableFuture<>();
            pool.openConnection(probeLoop, probed);
            // A successful probe leaves the connection idle for the next session.
            probed.thenAccept(pool::release);
        }
    }
}
