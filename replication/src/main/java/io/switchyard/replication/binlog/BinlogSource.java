package io.switchyard.replication.binlog;

import java.time.Duration;
import java.util.Objects;

/**
 * Where and how a {@link BinlogStream} connects. Validated here, once, so a bad value fails before any connection.
 *
 * @param serverId  the replica server id this stream announces; must be unique among everything connected to the
 *                  source. Above 65535 because the sandbox (and many operators) use port numbers as server ids.
 * @param heartbeat how often an idle source sends a heartbeat; the connection is declared dead after
 *                  {@link #readTimeout()} without any packet, so a half-open TCP connection cannot hang the stream.
 * @param tls       TLS to the source, as its keyspace's settings ask
 */
public record BinlogSource(String host, int port, String user, String password, long serverId, Duration heartbeat,
                           BinlogTls tls) {
    private static final long MAX_UINT32 = 0xFFFF_FFFFL;

    public BinlogSource {
        Objects.requireNonNull(host, "host");
        Objects.requireNonNull(user, "user");
        password = password == null ? "" : password;
        check(port > 0 && port <= 65535, "binlog source port must be 1..65535 but was %s", port);
        check(serverId > 65535 && serverId <= MAX_UINT32,
                "binlog stream server id must be 65536..4294967295 (port numbers are taken by servers) but was %s",
                serverId);
        Objects.requireNonNull(heartbeat, "heartbeat");
        check(heartbeat.toMillis() >= 100 && heartbeat.toSeconds() <= 60,
                "binlog heartbeat must be 100ms..60s but was %s", heartbeat);
        Objects.requireNonNull(tls, "tls");
    }

    /** A source connected to without TLS. */
    public BinlogSource(String host, int port, String user, String password, long serverId, Duration heartbeat) {
        this(host, port, user, password, serverId, heartbeat, BinlogTls.DISABLED);
    }

    /** Three missed heartbeats: long enough for a busy source, short enough to notice a dead peer. */
    public Duration readTimeout() {
        return heartbeat.multipliedBy(3);
    }

    @Override
    public String toString() {
        return "BinlogSource[" + user + "@" + host + ":" + port + ", serverId=" + serverId + ", tls=" + tls + "]";
    }

    private static void check(boolean condition, String format, Object value) {
        if (!condition) {
            throw new IllegalArgumentException(String.format(format, value));
        }
    }
}
