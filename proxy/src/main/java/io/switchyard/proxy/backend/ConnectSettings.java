package io.switchyard.proxy.backend;

import io.netty.handler.ssl.SslContext;
import io.switchyard.config.BackendTls;
import io.switchyard.config.Credentials;
import io.switchyard.config.Endpoint;

import java.time.Duration;
import java.util.Objects;
import java.util.Optional;

/**
 * Everything needed to open one backend connection.
 *
 * @param database the schema to connect to (the keyspace's database)
 * @param tlsMode the keyspace's {@code tls.mode}
 * @param sslContext the client TLS context for that mode; present unless the mode is DISABLED
 * @param connectTimeout limit on TCP connect plus handshake and authentication
 * @param description names the connection's place in messages, e.g.
 *     {@code keyspace commerce shard 0 primary 127.0.0.1:3306}
 * @param serverName the name the server's certificate must carry under {@code verify_identity} (and the SNI name),
 *     when it is not the endpoint's host
 */
record ConnectSettings(Endpoint endpoint, String database, Credentials credentials, BackendTls.Mode tlsMode,
                       Optional<SslContext> sslContext, ClientOptions options, Duration connectTimeout,
                       String description, Optional<String> serverName) {
    ConnectSettings {
        Objects.requireNonNull(endpoint, "endpoint");
        Objects.requireNonNull(database, "database");
        Objects.requireNonNull(credentials, "credentials");
        Objects.requireNonNull(tlsMode, "tlsMode");
        Objects.requireNonNull(sslContext, "sslContext");
        Objects.requireNonNull(options, "options");
        Objects.requireNonNull(connectTimeout, "connectTimeout");
        Objects.requireNonNull(description, "description");
        Objects.requireNonNull(serverName, "serverName");
        if (tlsMode != BackendTls.Mode.DISABLED && sslContext.isEmpty()) {
            throw new IllegalArgumentException("tls mode " + tlsMode + " needs an SslContext");
        }
    }

    /** Settings whose certificate must name the endpoint's host. */
    ConnectSettings(Endpoint endpoint, String database, Credentials credentials, BackendTls.Mode tlsMode,
                    Optional<SslContext> sslContext, ClientOptions options, Duration connectTimeout,
                    String description) {
        this(endpoint, database, credentials, tlsMode, sslContext, options, connectTimeout, description,
                Optional.empty());
    }

    ConnectSettings withOptions(ClientOptions other) {
        return new ConnectSettings(endpoint, database, credentials, tlsMode, sslContext, other, connectTimeout,
                description, serverName);
    }

    /** The host name TLS checks the certificate against and sends as SNI. */
    String tlsPeerHost() {
        return serverName.orElse(endpoint.host());
    }
}
