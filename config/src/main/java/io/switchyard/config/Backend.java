package io.switchyard.config;

import java.time.Duration;
import java.util.Objects;

/**
 * How the gateway uses backend servers.
 *
 * @param poolMaxSize most pooled connections per backend server
 * @param poolIdleTimeout an idle pooled connection is closed after this
 * @param connectTimeout limit on opening a backend connection, handshake included
 * @param healthCheckInterval how often each backend is probed
 * @param replicaFallbackToPrimary send {@code @replica} reads to the primary when a shard has no healthy replica,
 *     instead of failing them
 */
public record Backend(int poolMaxSize, Duration poolIdleTimeout, Duration connectTimeout, Duration healthCheckInterval,
                      boolean replicaFallbackToPrimary) {

    public static final int DEFAULT_POOL_MAX_SIZE = 64;
    public static final Duration DEFAULT_POOL_IDLE_TIMEOUT = Duration.ofSeconds(60);
    public static final Duration DEFAULT_CONNECT_TIMEOUT = Duration.ofSeconds(2);
    public static final Duration DEFAULT_HEALTH_CHECK_INTERVAL = Duration.ofSeconds(2);

    public Backend {
        Objects.requireNonNull(poolIdleTimeout, "poolIdleTimeout");
        Objects.requireNonNull(connectTimeout, "connectTimeout");
        Objects.requireNonNull(healthCheckInterval, "healthCheckInterval");
        Problems problems = new Problems();
        check(problems, poolMaxSize, poolIdleTimeout, connectTimeout, healthCheckInterval);
        problems.throwIfAny();
    }

    public static Backend defaults() {
        return new Backend(DEFAULT_POOL_MAX_SIZE, DEFAULT_POOL_IDLE_TIMEOUT, DEFAULT_CONNECT_TIMEOUT,
                DEFAULT_HEALTH_CHECK_INTERVAL, false);
    }

    static void check(Problems problems, Integer poolMaxSize, Duration poolIdleTimeout, Duration connectTimeout,
                      Duration healthCheckInterval) {
        if (poolMaxSize != null && poolMaxSize < 1) {
            problems.add("pool_max_size",
                    Problems.quote(poolMaxSize) + " is too small; a pool needs at least 1 connection");
        }
        positive(problems, "pool_idle_timeout", poolIdleTimeout);
        positive(problems, "connect_timeout", connectTimeout);
        positive(problems, "health_check_interval", healthCheckInterval);
    }

    private static void positive(Problems problems, String key, Duration value) {
        if (value != null && (value.isZero() || value.isNegative())) {
            problems.add(key, Problems.quote(Durations.format(value)) + " must be longer than zero");
        }
    }
}
