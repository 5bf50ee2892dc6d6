package io.switchyard.admin.workflow;

import io.switchyard.config.Keyspace;
import io.switchyard.config.Shard;
import io.switchyard.config.SwitchyardConfig;
import io.switchyard.proxy.backend.Backends;
import io.switchyard.replication.external.ExternalConnector;
import io.switchyard.replication.external.ExternalKeyspace;
import io.switchyard.replication.external.ExternalKeyspaces;
import io.switchyard.replication.workflow.WorkflowStatus;
import io.switchyard.routing.plan.RoutingSnapshot;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Serves the external keyspaces attached in the topology store: whenever the routing snapshot changes (the topology
 * store lists external keyspaces by name in it), their connection settings are read, decrypted, and attached to the
 * backend pools, so that a routing rule pointing a table at one — an import workflow's first step — is served at
 * once, by every gateway. Keyspaces deleted from the store are detached. Also gives workflows the config with the
 * external keyspaces in it.
 */
public final class ExternalServing {
    private static final Logger LOG = LoggerFactory.getLogger(ExternalServing.class);
    private static final int PROBE_TIMEOUT_SECONDS = 5;

    private final SwitchyardConfig config;
    private final ExternalKeyspaces store;
    private final Backends backends;
    private final Set<String> attached = new HashSet<>(); // guarded by this
    private final SecureRandom random = new SecureRandom();

    public ExternalServing(SwitchyardConfig config, ExternalKeyspaces store, Backends backends) {
        this.config = config;
        this.store = store;
        this.backends = backends;
    }

    /** Attaches what {@code snapshot} names beyond the config, detaches what it no longer names. Never throws. */
    public synchronized void follow(RoutingSnapshot snapshot) {
        Set<String> wanted = new HashSet<>(snapshot.keyspaces().keySet());
        config.keyspaces().forEach(k -> wanted.remove(k.name()));
        for (String name : List.copyOf(attached)) {
            if (!wanted.contains(name)) {
                backends.detach(name);
                attached.remove(name);
            }
        }
        for (String name : wanted) {
            try {
                store.read(name).ifPresent(external -> {
                    backends.attach(external.toKeyspace());
                    attached.add(name);
                });
            } catch (SQLException | RuntimeException e) {
                LOG.warn("cannot serve external keyspace {}: {}", name, e.getMessage());
            }
        }
    }

    /** The config plus every external keyspace, for workflows that import from one (or replicate back to it). */
    public SwitchyardConfig config() {
        try {
            List<Keyspace> keyspaces = new ArrayList<>(config.keyspaces());
            for (ExternalKeyspace external : store.list()) {
                if (config.keyspace(external.name()).isEmpty()) {
                    keyspaces.add(external.toKeyspace());
                }
            }
            return new SwitchyardConfig(config.listeners(), config.users(), config.topology(), config.backend(),
                    keyspaces);
        } catch (SQLException | RuntimeException e) {
            LOG.debug("external keyspaces unavailable: {}", e.getMessage());
            return config;
        }
    }

    /**
     * Deletes an external keyspace's settings and credentials (an import completed) and closes this gateway's
     * connections to it now; the other gateways close theirs with their next snapshot (the delete raised the
     * routing version).
     */
    public void forget(String name) throws SQLException {
        store.delete(name);
        synchronized (this) {
            if (attached.remove(name)) {
                backends.detach(name);
            }
        }
    }

    /** An external keyspace's settings, credentials included; refused with what to do for an unknown one. */
    public ExternalKeyspace keyspace(String name) throws SQLException {
        return store.get(name);
    }

    /**
     * The import dashboard's view of a workflow from an external keyspace: the external database's settings and a
     * fresh connection attempt to it (the "live" indicator), the phase, the target's shards and the serving side.
     */
    public ImportView importView(WorkflowStatus status) throws SQLException {
        if (!isExternal(status.source())) {
            throw new IllegalArgumentException("workflow " + status.name() + " moves tables from keyspace "
                    + status.source() + ", which is not external: it is not an import. SHOW WORKFLOW "
                    + status.name() + " shows its progress");
        }
        List<String> shards = config.keyspace(status.target()).map(k -> k.shards().stream().map(Shard::name)
                .toList()).orElse(List.of());
        String phase = ImportView.phase(status);
        Optional<ExternalKeyspace> external = store.read(status.source());
        if (external.isEmpty()) {
            return new ImportView(status.name(), status.source(), Optional.empty(), Optional.empty(),
                    Optional.empty(), "removed", phase, status.state(), status.target(), shards,
                    ImportView.primaryTraffic(status.traffic()), ImportView.replicaTraffic(status.traffic()),
                    List.of());
        }
        ExternalKeyspace ks = external.get();
        return new ImportView(status.name(), ks.name(), Optional.of(ks.host()), Optional.of(ks.port()),
                Optional.of(ks.database()), probe(ks), phase, status.state(), status.target(), shards,
                ImportView.primaryTraffic(status.traffic()), ImportView.replicaTraffic(status.traffic()),
                ks.replicas().stream().map(Object::toString).toList());
    }

    /** {@code live}, or {@code down: } and why (the connector's plain-words message, never a secret). */
    private String probe(ExternalKeyspace external) {
        try (ExternalConnector connector = connector(external); Connection connection = connector.open()) {
            return connection.isValid(PROBE_TIMEOUT_SECONDS) ? "live" : "down: the connection did not answer a ping";
        } catch (SQLException | RuntimeException e) {
            return "down: " + e.getMessage();
        }
    }

    private ExternalConnector connector(ExternalKeyspace external) {
        return ExternalConnector.of(external, config.backend().connectTimeout(), random);
    }

    /** Whether an external keyspace of that name is attached now (its settings are in the store). */
    public boolean exists(String name) throws SQLException {
        return store.exists(name);
    }

    /** Whether {@code keyspace} is an external one. */
    public boolean isExternal(String keyspace) {
        return config.keyspace(keyspace).isEmpty();
    }
}
