package io.switchyard.config;

import java.util.Objects;
import java.util.Optional;

/**
 * Where the gateway listens for clients.
 *
 * @param bindAddress interface address for both listeners; 0.0.0.0 for all interfaces
 * @param mysqlPort MySQL protocol port
 * @param httpPort HTTP port for /metrics, the JSON API and the dashboard
 * @param maxPacketSize largest client packet (a whole statement or row) in bytes, as MySQL's max_allowed_packet
 * @param tls server-side TLS for MySQL clients; absent means clients cannot negotiate TLS
 */
public record Listeners(String bindAddress, int mysqlPort, int httpPort, long maxPacketSize, Optional<ServerTls> tls) {

    public static final String DEFAULT_BIND_ADDRESS = "127.0.0.1";
    public static final int DEFAULT_MYSQL_PORT = 15306;
    public static final int DEFAULT_HTTP_PORT = 15000;
    public static final long DEFAULT_MAX_PACKET_SIZE = 64L * 1024 * 1024;
    /** Below this, ordinary statements do not fit; 1 KiB is MySQL's own floor for max_allowed_packet. */
    static final long MIN_PACKET_SIZE = 1024;
    /** MySQL's ceiling for max_allowed_packet; a client cannot send more in one statement. */
    static final long MAX_PACKET_SIZE = 1024L * 1024 * 1024;

    public Listeners {
        Objects.requireNonNull(bindAddress, "bindAddress");
        Objects.requireNonNull(tls, "tls");
        Problems problems = new Problems();
        check(problems, bindAddress, mysqlPort, httpPort, maxPacketSize);
        problems.throwIfAny();
    }

    public static Listeners defaults() {
        return new Listeners(DEFAULT_BIND_ADDRESS, DEFAULT_MYSQL_PORT, DEFAULT_HTTP_PORT, DEFAULT_MAX_PACKET_SIZE,
                Optional.empty());
    }

    /** Reports problems with the given values under YAML key names; {@code null} values are skipped. */
    static void check(Problems problems, String bindAddress, Integer mysqlPort, Integer httpPort, Long maxPacketSize) {
        if (bindAddress != null) {
            boolean blank = bindAddress.isBlank() || bindAddress.chars().anyMatch(Character::isWhitespace);
            Checks.add(problems, "bind_address",
                    blank ? Problems.quote(bindAddress) + " is not an address (e.g. 127.0.0.1 or 0.0.0.0)" : null);
        }
        if (mysqlPort != null) {
            Checks.add(problems, "mysql_port", Checks.port(mysqlPort));
        }
        if (httpPort != null) {
            Checks.add(problems, "http_port", Checks.port(httpPort));
        }
        if (mysqlPort != null && mysqlPort.equals(httpPort)) {
            problems.add("http_port",
                    Problems.quote(httpPort) + " is also listeners.mysql_port; the two need different ports");
        }
        if (maxPacketSize != null && (maxPacketSize < MIN_PACKET_SIZE || maxPacketSize > MAX_PACKET_SIZE)) {
            problems.add("max_packet_size", Problems.quote(maxPacketSize) + " is out of range (" + MIN_PACKET_SIZE
                    + ".." + MAX_PACKET_SIZE + " bytes)");
        }
    }
}
