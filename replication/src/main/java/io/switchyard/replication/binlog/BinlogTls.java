package io.switchyard.replication.binlog;

import io.switchyard.config.BackendTls;

import javax.net.ssl.SSLContext;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * TLS for a binlog connection, per the source keyspace's {@link BackendTls}.
 *
 * @param mode MySQL's ssl-mode: whether TLS is off, tried, or required
 * @param context does every check {@code mode} asks for (CA, name) during the handshake, and holds the client
 *     certificate for mutual TLS; present unless {@code mode} is DISABLED
 * @param protocols the TLS versions offered; empty for the JVM's defaults
 */
public record BinlogTls(BackendTls.Mode mode, Optional<SSLContext> context, List<String> protocols) {
    public static final BinlogTls DISABLED = new BinlogTls(BackendTls.Mode.DISABLED, Optional.empty(), List.of());

    public BinlogTls {
        Objects.requireNonNull(mode, "mode");
        Objects.requireNonNull(context, "context");
        protocols = List.copyOf(protocols);
        if ((mode == BackendTls.Mode.DISABLED) != context.isEmpty()) {
            throw new IllegalArgumentException("binlog TLS needs a context exactly when its mode is not DISABLED,"
                    + " but the mode is " + mode + (context.isEmpty() ? " without one" : " with one"));
        }
    }

    @Override
    public String toString() {
        return mode.name() + (protocols.isEmpty() ? "" : " " + String.join("/", protocols));
    }
}
