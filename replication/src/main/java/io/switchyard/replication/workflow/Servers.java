package io.switchyard.replication.workflow;

import io.switchyard.config.BackendTls;
import io.switchyard.config.Credentials;
import io.switchyard.config.Keyspace;
import io.switchyard.config.Shard;
import io.switchyard.config.Topology;
import io.switchyard.replication.binlog.BinlogTls;
import io.switchyard.replication.copy.SqlConnector;
import io.switchyard.replication.external.TlsConnector;
import io.switchyard.replication.external.TlsContexts;

import java.security.SecureRandom;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * JDBC access to a workflow's keyspaces on the control path (copy, apply, metadata, verification), never on the data
 * path. Every connection, and every binlog stream's TLS ({@link #binlogTls}), follows its keyspace's
 * {@link BackendTls} the way the serving pools and the external-keyspace checks do ({@link TlsConnector}): an
 * import from a database that requires TLS, or a client certificate, copies and streams like any other.
 *
 * <p><b>Key stores.</b> Connector/J reads a client certificate only from a key store file, which
 * {@link TlsConnector} writes privately. Each instance makes one connector per keyspace on first use and deletes its
 * file on {@link #close()}: the workflow owning this closes it when it stops running here. A use after that writes
 * the file again, because a workflow's close is not final (one that lost its lease closes, and runs again when it
 * gets the lease back). Deleting on JVM exit instead would leave the key on disk for the gateway's whole life and
 * still not after a crash; this way it is there only while a workflow runs. Thread-safe.
 */
final class Servers implements AutoCloseable {
    /**
     * Connector/J's own default, which the control path always had: it connects rarely (per table copied, per
     * stream, per status read), and an external server across networks may be slow to answer.
     */
    private static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(30);

    private final SecureRandom random = new SecureRandom();
    private final Map<String, TlsConnector> connectors = new HashMap<>(); // guarded by this; by keyspace name

    /** Connections to {@code shard}'s primary with the keyspace's database selected. */
    SqlConnector primary(Keyspace keyspace, Shard shard) {
        return primary(keyspace, shard, "");
    }

    /** As above, with {@code sessionVariables} ({@code name=value,...}) set on every new connection. */
    SqlConnector primary(Keyspace keyspace, Shard shard, String sessionVariables) {
        // Looked up on each open, so a connection made after close() gets a key store written again.
        return () -> connector(keyspace).open(shard.primary(), keyspace.database(), sessionVariables);
    }

    /** TLS for a binlog stream from {@code shard}'s primary. */
    BinlogTls binlogTls(Keyspace keyspace, Shard shard) {
        BackendTls tls = keyspace.tls();
        if (tls.mode() == BackendTls.Mode.DISABLED) {
            return BinlogTls.DISABLED;
        }
        return new BinlogTls(tls.mode(), Optional.of(TlsContexts.client(tls, shard.primary().host(), random)),
                tls.minVersion().isPresent() ? tls.protocols() : List.of());
    }

    /**
     * The topology store. Its config ({@link Topology}) has no TLS settings, so the connection is plain, as the
     * routing module's own pool to it is.
     */
    static SqlConnector topology(Topology topology) {
        TlsConnector plain = TlsConnector.of("the topology store", BackendTls.DISABLED,
                new Credentials(topology.user(), topology.password()), CONNECT_TIMEOUT, Optional.empty(),
                new SecureRandom());
        return () -> plain.open(topology.endpoint(), topology.database());
    }

    /** Deletes the key store files written so far; later connections write them again. */
    @Override
    public synchronized void close() {
        connectors.values().forEach(TlsConnector::close);
        connectors.clear();
    }

    private synchronized TlsConnector connector(Keyspace keyspace) {
        return connectors.computeIfAbsent(keyspace.name(), name -> TlsConnector.of("keyspace " + name,
                keyspace.tls(), keyspace.credentials(), CONNECT_TIMEOUT, Optional.empty(), random));
    }
}
