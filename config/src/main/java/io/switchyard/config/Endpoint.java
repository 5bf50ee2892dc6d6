package io.switchyard.config;

import java.util.Objects;
import java.util.regex.Pattern;

/**
 * A MySQL server address. Written {@code host:port}, with IPv6 literals in brackets ({@code [::1]:3306}); the host is
 * kept without brackets.
 */
public record Endpoint(String host, int port) {

    private static final Pattern HOST_NAME = Pattern.compile("[A-Za-z0-9]([A-Za-z0-9._-]*[A-Za-z0-9])?");
    private static final Pattern IPV6 = Pattern.compile("[0-9A-Fa-f:.]*:[0-9A-Fa-f:.]*");

    public Endpoint {
        Objects.requireNonNull(host, "host");
        if (!HOST_NAME.matcher(host).matches() && !IPV6.matcher(host).matches()) {
            throw new ConfigException("", "host " + Problems.quote(host) + " is not a host name or IP address");
        }
        String problem = Checks.port(port);
        if (problem != null) {
            throw new ConfigException("", problem);
        }
    }

    /**
     * Parses {@code host:port} or {@code [ipv6]:port}.
     *
     * @throws ConfigException with an empty path, e.g. {@code "db1" is not host:port (e.g. 127.0.0.1:3306)}
     */
    public static Endpoint parse(String text) {
        Objects.requireNonNull(text, "text");
        String host;
        String port;
        if (text.startsWith("[")) {
            int close = text.indexOf("]:");
            if (close < 0) {
                throw notHostPort(text);
            }
            host = text.substring(1, close);
            port = text.substring(close + 2);
        } else {
            int colon = text.lastIndexOf(':');
            if (colon < 0 || text.indexOf(':') != colon) {
                throw notHostPort(text);
            }
            host = text.substring(0, colon);
            port = text.substring(colon + 1);
        }
        if (host.isEmpty() || !port.matches("[0-9]{1,9}")) {
            throw notHostPort(text);
        }
        try {
            return new Endpoint(host, Integer.parseInt(port));
        } catch (ConfigException e) {
            throw new ConfigException("", Problems.quote(text) + ": " + e.problems().get(0).message());
        }
    }

    @Override
    public String toString() {
        return host.indexOf(':') >= 0 ? "[" + host + "]:" + port : host + ":" + port;
    }

    private static ConfigException notHostPort(String text) {
        return new ConfigException("", Problems.quote(text) + " is not host:port (e.g. 127.0.0.1:3306)");
    }
}
