package io.switchyard.admin.cli;

import com.fasterxml.jackson.databind.ObjectMapper;

import java.util.Map;
import java.util.Optional;

/**
 * Where the CLI finds the gateway's HTTP API and whom it signs in as. {@code --gateway HOST[:PORT]},
 * {@code --gateway-user} and {@code --gateway-password} work in every command; {@code workflow} also takes the
 * shorter {@code --host}, {@code --port}, {@code --user} and {@code --password}, which in {@code external create}
 * describe the external database instead. The password: the flag, else {@code SWITCHYARD_PASSWORD}, else empty.
 */
record ApiTarget(String host, int port, String user, String password) {
    static final String DEFAULT_HOST = "127.0.0.1";
    static final int DEFAULT_PORT = 15000;

    /**
     * @param shortFlags whether {@code --host}, {@code --port}, {@code --user}, {@code --password} name the gateway
     */
    static ApiTarget of(CliArgs cli, Map<String, String> env, boolean shortFlags) throws CliArgs.UsageException {
        String host = DEFAULT_HOST;
        int port = DEFAULT_PORT;
        if (cli.flag("gateway").isPresent()) {
            if (shortFlags && (cli.flag("host").isPresent() || cli.flag("port").isPresent())) {
                throw new CliArgs.UsageException("give either --gateway HOST:PORT or --host/--port, not both");
            }
            String gateway = cli.flag("gateway").get();
            String portText = null;
            if (gateway.startsWith("[") && gateway.contains("]")) {
                int close = gateway.indexOf(']');
                host = gateway.substring(1, close);
                portText = gateway.length() > close + 1 && gateway.charAt(close + 1) == ':'
                        ? gateway.substring(close + 2) : null;
            } else if (gateway.indexOf(':') >= 0 && gateway.indexOf(':') == gateway.lastIndexOf(':')) {
                host = gateway.substring(0, gateway.indexOf(':'));
                portText = gateway.substring(gateway.indexOf(':') + 1);
            } else {
                host = gateway;
            }
            if (portText != null) {
                port = port("--gateway " + gateway, portText);
            }
        } else if (shortFlags) {
            host = cli.flag("host").orElse(DEFAULT_HOST);
            if (cli.flag("port").isPresent()) {
                port = port("--port", cli.flag("port").get());
            }
        }
        String user = either(cli, shortFlags, "gateway-user", "user").orElse("root");
        String password = either(cli, shortFlags, "gateway-password", "password")
                .orElse(env.getOrDefault("SWITCHYARD_PASSWORD", ""));
        return new ApiTarget(host, port, user, password);
    }

    ApiClient client(ObjectMapper json) {
        return new ApiClient(host, port, user, password, json);
    }

    private static Optional<String> either(CliArgs cli, boolean shortFlags, String longName, String shortName)
            throws CliArgs.UsageException {
        if (shortFlags && cli.flag(longName).isPresent() && cli.flag(shortName).isPresent()) {
            throw new CliArgs.UsageException("give either --" + longName + " or --" + shortName + ", not both");
        }
        return cli.flag(longName).or(() -> shortFlags ? cli.flag(shortName) : Optional.empty());
    }

    private static int port(String flag, String text) throws CliArgs.UsageException {
        int port;
        try {
            port = Integer.parseInt(text.strip());
        } catch (NumberFormatException e) {
            throw new CliArgs.UsageException(flag + ": the port is not a number");
        }
        if (port < 1 || port > 65535) {
            throw new CliArgs.UsageException(flag + ": use a port in 1..65535");
        }
        return port;
    }
}
