package io.switchyard.replication.external;

import io.switchyard.config.Endpoint;
import io.switchyard.config.Keyspace;
import io.switchyard.replication.copy.SqlConnector;

import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.util.Optional;

/**
 * Opens JDBC connections to an external keyspace's primary or replicas, with its database selected, in the TLS mode
 * it asks for: a {@link TlsConnector} over {@link ExternalKeyspace#toKeyspace()}'s settings (see there for how each
 * SSL MODE maps onto the driver), so an import's validation connects exactly as its workflow later will. Failures
 * are {@link ExternalConnectionException}s naming the cause in plain words, never the password or the key. The
 * temporary key store of a client certificate is deleted by {@link #close()}. Thread-safe.
 */
public final class ExternalConnector implements SqlConnector, AutoCloseable {
    private final ExternalKeyspace keyspace;
    private final TlsConnector connector;

    private ExternalConnector(ExternalKeyspace keyspace, TlsConnector connector) {
        this.keyspace = keyspace;
        this.connector = connector;
    }

    /**
     * A connector for {@code keyspace}; for a client certificate it writes the key store file now.
     *
     * @param timeout limit on connecting, TLS and login included; replies may take up to 30 s or this, whichever is
     *     longer (validation queries are short)
     */
    public static ExternalConnector of(ExternalKeyspace keyspace, Duration timeout, SecureRandom random) {
        Keyspace settings = keyspace.toKeyspace();
        Duration socketTimeout = timeout.compareTo(Duration.ofSeconds(30)) > 0 ? timeout : Duration.ofSeconds(30);
        return new ExternalConnector(keyspace, TlsConnector.of("external keyspace " + keyspace.name(),
                settings.tls(), settings.credentials(), timeout, Optional.of(socketTimeout), random));
    }

    public ExternalKeyspace keyspace() {
        return keyspace;
    }

    /** A new connection to the primary, database selected; the caller closes it. */
    @Override
    public Connection open() throws SQLException {
        return open(keyspace.primary());
    }

    /** A new connection to {@code server} (the primary or one of the replicas), database selected. */
    public Connection open(Endpoint server) throws SQLException {
        return connector.open(server, keyspace.database());
    }

    /** Deletes the temporary key store, if any. Connections already open stay open. */
    @Override
    public void close() {
        connector.close();
    }

    @Override
    public String toString() {
        return "ExternalConnector[" + keyspace.name() + " at " + keyspace.primary() + ", " + keyspace.sslMode() + "]";
    }
}
