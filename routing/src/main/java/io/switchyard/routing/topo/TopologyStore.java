package io.switchyard.routing.topo;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import io.switchyard.config.SwitchyardConfig;
import io.switchyard.config.Topology;
import io.switchyard.routing.plan.KeyspaceSchema;
import io.switchyard.routing.plan.RoutingException;
import io.switchyard.routing.plan.RoutingRules;
import io.switchyard.routing.plan.RoutingSnapshot;
import io.switchyard.routing.plan.ShardRange;
import io.switchyard.routing.plan.VSchemaChange;
import io.switchyard.routing.topo.TopologyTables.RulesRow;
import io.switchyard.routing.topo.TopologyTables.VSchemaRow;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The topology store of {@code ../shared/design.md} ("Where state lives"): routing rules and vschemas in the MySQL or
 * MariaDB database the config's {@code topology.dsn} names, shared by every gateway. Tables: see
 * {@link TopologyTables}.
 *
 * <p>{@link #open} creates the tables if missing and seeds the vschema of every configured keyspace the store does not
 * have yet; from then on the store, not the YAML, is the vschema's source of truth. Every write is one transaction
 * that first locks the {@code routing_version} row (writers queue there, so they never deadlock), checks the version
 * the caller based its change on, writes, and raises the combined version by one. Reads run in one consistent
 * (REPEATABLE READ) transaction, so a snapshot's version always matches its contents.
 *
 * <p>Thread-safe. Every method blocks on the network: call it from the control path (admin, the watcher's
 * scheduler), never from a Netty event loop.
 */
public final class TopologyStore implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(TopologyStore.class);

    /** A reasonable {@link #open} connect timeout: long enough for a remote store, short enough to notice an outage. */
    public static final Duration DEFAULT_CONNECT_TIMEOUT = Duration.ofSeconds(2);
    /** HikariCP's floor for its connection timeout. */
    static final Duration MIN_CONNECT_TIMEOUT = Duration.ofMillis(250);
    /**
     * Two connections: the watcher's poll and one admin write can run at once; more would only queue more writers
     * on the version row lock.
     */
    static final int MAX_CONNECTIONS = 2;
    /** ER_NO_SUCH_TABLE. */
    private static final int NO_SUCH_TABLE = 1146;
    /**
     * Every statement here touches a handful of rows, so one that takes this long is talking to a dead peer (a
     * network partition sends no RST); without it a poll could hang for the OS TCP timeout, minutes.
     */
    static final Duration SOCKET_TIMEOUT = Duration.ofSeconds(10);

    /** One unit of work on a connection the store owns; the store manages the transaction around it. */
    @FunctionalInterface
    private interface Work<T> {
        T run(Connection connection) throws SQLException;
    }

    /** How {@link #run} wraps a unit of work. */
    private enum Mode {
        /** One statement in autocommit: no transaction round trips, for what the watcher polls. */
        SINGLE,
        /** A REPEATABLE READ transaction: every statement sees one consistent state. */
        READ,
        /**
         * A READ COMMITTED transaction that first takes the writers' lock, so it reads what the previous writer
         * committed and nobody writes between its reads and its writes.
         */
        WRITE
    }

    /** What one consistent read returns: everything a snapshot is built from. */
    private record State(long version, RulesRow rules, Map<String, VSchemaRow> vschemas, List<String> externals) {
    }

    private final RoutingSnapshot configured;
    private final String where;
    private final HikariDataSource pool;

    private TopologyStore(RoutingSnapshot configured, String where, HikariDataSource pool) {
        this.configured = configured;
        this.where = where;
        this.pool = pool;
    }

    /**
     * Connects, creates the tables if missing and seeds the vschemas the store does not have from the config.
     *
     * @param config supplies the store's DSN, every snapshot's keyspaces and shards, and the seed vschemas
     * @param connectTimeout how long to wait for a connection, at start and on every later call; at least 250 ms
     * @throws TopologyException if the store is unreachable or its tables cannot be created; nothing is left open
     */
    public static TopologyStore open(SwitchyardConfig config, Duration connectTimeout) {
        Objects.requireNonNull(config, "config");
        Objects.requireNonNull(connectTimeout, "connectTimeout");
        if (connectTimeout.compareTo(MIN_CONNECT_TIMEOUT) < 0) {
            throw new IllegalArgumentException("connectTimeout was " + connectTimeout + "; it must be at least "
                    + MIN_CONNECT_TIMEOUT.toMillis() + " ms");
        }
        Topology topology = config.topology();
        String where = "topology store " + Topology.redact(topology.dsn());
        HikariDataSource pool;
        try {
            pool = new HikariDataSource(hikariConfig(topology, connectTimeout));
        } catch (RuntimeException e) { // HikariPool.PoolInitializationException: the first connection failed
            throw new TopologyException(where + " is unreachable: " + causes(e), e);
        }
        TopologyStore store = new TopologyStore(RoutingSnapshot.fromConfig(config), where, pool);
        try {
            store.run("create the tables", Mode.SINGLE, c -> {
                TopologyTables.create(c);
                return null;
            });
            store.seed();
            return store;
        } catch (RuntimeException e) {
            store.close();
            throw e;
        }
    }

    /**
     * Raises the combined version inside {@code connection}'s open transaction, for a module that keeps a table of
     * its own in the store's database whose changes every gateway must pick up with the next snapshot (the external
     * keyspaces). Does nothing where the store's tables were never created: no gateway routes from that database.
     */
    public static void bumpVersion(Connection connection) throws SQLException {
        try {
            TopologyTables.lockVersion(connection);
        } catch (SQLException e) {
            if (e.getErrorCode() == NO_SUCH_TABLE) {
                return;
            }
            throw e;
        }
        TopologyTables.bumpVersion(connection);
    }

    /** The combined version: raised by one with every change to rules or vschemas. One cheap read; what polls use. */
    public long version() {
        return run("read the version", Mode.SINGLE, TopologyTables::version);
    }

    public RoutingRules readRoutingRules() {
        return rules(run("read the routing rules", Mode.SINGLE, TopologyTables::rules));
    }

    /**
     * Replaces the routing rules if nobody changed them since the caller read version {@code expectedVersion}.
     *
     * @return the rules' new version, {@code expectedVersion + 1}
     * @throws RoutingException if a rule is malformed or points at a keyspace the config does not have (nothing is
     *     written)
     * @throws TopologyConflictException if the stored rules are no longer at {@code expectedVersion}
     */
    public long writeRoutingRules(Map<String, String> rules, long expectedVersion) {
        if (expectedVersion < 0) {
            throw new IllegalArgumentException("expectedVersion was " + expectedVersion + "; versions start at 0");
        }
        return run("write the routing rules", Mode.WRITE, c -> {
            // Validated before writing: rules every gateway would refuse to load must never reach the store. External
            // keyspaces are read in the same transaction: a rule may point at one attached a moment ago.
            RoutingRules next = withExternals(configured.version(), configured.keyspaces(),
                    TopologyTables.externalKeyspaces(c), RoutingRules.NONE)
                    .withRoutingRules(new RoutingRules(expectedVersion + 1, rules)).routingRules();
            String json = TopologyJson.writeRules(next.rules());
            if (!TopologyTables.compareAndSetRules(c, json, expectedVersion)) {
                throw new TopologyConflictException("the routing rules", expectedVersion,
                        TopologyTables.rules(c).version());
            }
            TopologyTables.bumpVersion(c);
            return next.version();
        });
    }

    /** The stored vschemas of the configured keyspaces, in config order (rows of keyspaces since removed: skipped). */
    public Map<String, StoredVSchema> readVSchemas() {
        Map<String, VSchemaRow> rows = run("read the vschemas", Mode.SINGLE, TopologyTables::vschemas);
        Map<String, StoredVSchema> stored = new LinkedHashMap<>();
        for (KeyspaceSchema keyspace : configured.keyspaces().values()) {
            VSchemaRow row = rows.get(keyspace.name());
            if (row != null) {
                stored.put(keyspace.name(), new StoredVSchema(row.version(),
                        TopologyJson.readVSchema(row.json(), keyspace)));
            }
        }
        return Collections.unmodifiableMap(stored);
    }

    /**
     * Applies an {@code ALTER VSCHEMA} change to the latest stored state and stores the changed keyspace. Like
     * Vitess's ApplyVSchemaDDL it is a change relative to what is stored, so there is no version to pass: the
     * transaction holds the writers' lock from reading the state to writing it.
     *
     * @throws RoutingException if the change does not fit the stored state (nothing is written)
     */
    public void applyVSchemaChange(VSchemaChange change) {
        Objects.requireNonNull(change, "change");
        run("apply " + change, Mode.WRITE, c -> {
            State state = new State(TopologyTables.version(c), TopologyTables.rules(c), TopologyTables.vschemas(c),
                    TopologyTables.externalKeyspaces(c));
            KeyspaceSchema changed = snapshot(state).apply(change).keyspace(change.keyspace()).orElseThrow();
            String json = TopologyJson.writeVSchema(changed);
            VSchemaRow row = state.vschemas().get(change.keyspace());
            if (row == null) {
                TopologyTables.insertVSchema(c, change.keyspace(), json);
            } else if (!TopologyTables.compareAndSetVSchema(c, change.keyspace(), json, row.version())) {
                // Unreachable while every writer takes the version lock; kept so a writer that does not still
                // cannot make this one overwrite its change.
                throw new TopologyConflictException("the vschema of keyspace " + change.keyspace(), row.version(),
                        TopologyTables.vschemas(c).get(change.keyspace()).version());
            }
            TopologyTables.bumpVersion(c);
            return null;
        });
    }

    /**
     * The snapshot to route by: the config's keyspaces and shards, each with its stored vschema (the config's if the
     * store has none), and the stored routing rules. Its version is the store's combined version.
     *
     * @throws TopologyException if the store is unreachable or what it holds does not fit the config
     */
    public RoutingSnapshot loadSnapshot() {
        State state = run("read the routing state", Mode.READ, c -> new State(TopologyTables.version(c),
                TopologyTables.rules(c), TopologyTables.vschemas(c), TopologyTables.externalKeyspaces(c)));
        return snapshot(state);
    }

    /** Closes the pool. Idempotent. */
    @Override
    public void close() {
        pool.close();
    }

    @Override
    public String toString() {
        return "TopologyStore[" + where + "]";
    }

    /**
     * The keyspaces plus each attached external keyspace (unsharded, shard 0, no vschema tables: every table
     * routes there by its routing rules), with {@code rules}.
     */
    private static RoutingSnapshot withExternals(long version, Map<String, KeyspaceSchema> configuredKeyspaces,
                                                 List<String> externals, RoutingRules rules) {
        Map<String, KeyspaceSchema> keyspaces = new LinkedHashMap<>(configuredKeyspaces);
        for (String name : externals) {
            keyspaces.putIfAbsent(name, new KeyspaceSchema(name, false, List.of(ShardRange.of("0")), Map.of(),
                    Map.of()));
        }
        return new RoutingSnapshot(version, keyspaces, rules);
    }

    private RoutingSnapshot snapshot(State state) {
        Map<String, KeyspaceSchema> keyspaces = new LinkedHashMap<>();
        for (KeyspaceSchema keyspace : configured.keyspaces().values()) {
            VSchemaRow row = state.vschemas().get(keyspace.name());
            keyspaces.put(keyspace.name(), row == null ? keyspace : TopologyJson.readVSchema(row.json(), keyspace));
        }
        try {
            return withExternals(state.version(), keyspaces, state.externals(), rules(state.rules()));
        } catch (RoutingException e) {
            // A rule or auto-increment naming a keyspace or sequence the config no longer has.
            throw new TopologyException("the routing state in the " + where + " (version " + state.version()
                    + ") does not fit the config: " + e.getMessage(), e);
        }
    }

    private RoutingRules rules(RulesRow row) {
        try {
            return new RoutingRules(row.version(), TopologyJson.readRules(row.json()));
        } catch (RoutingException e) {
            throw new TopologyException("stored routing rules (version " + row.version() + "): " + e.getMessage(), e);
        }
    }

    /** Stores the config's vschema for every keyspace the store has none for (first start, or a new keyspace). */
    private void seed() {
        List<String> seeded = run("seed the vschemas", Mode.WRITE, c -> {
            Map<String, VSchemaRow> rows = TopologyTables.vschemas(c);
            List<String> added = new ArrayList<>();
            for (KeyspaceSchema keyspace : configured.keyspaces().values()) {
                if (!rows.containsKey(keyspace.name())) {
                    TopologyTables.insertVSchema(c, keyspace.name(), TopologyJson.writeVSchema(keyspace));
                    added.add(keyspace.name());
                }
            }
            if (!added.isEmpty()) {
                TopologyTables.bumpVersion(c);
            }
            return added;
        });
        if (!seeded.isEmpty()) {
            LOG.info("seeded the vschemas of keyspaces {} from the config into the {}", seeded, where);
        }
    }

    /**
     * Runs {@code work} on a pooled connection as {@code mode} says; a transaction is committed at the end and rolled
     * back on any exception. HikariCP resets autocommit and isolation when the connection goes back.
     */
    private <T> T run(String what, Mode mode, Work<T> work) {
        try (Connection c = pool.getConnection()) {
            if (mode == Mode.SINGLE) {
                return work.run(c);
            }
            c.setAutoCommit(false);
            c.setTransactionIsolation(mode == Mode.WRITE ? Connection.TRANSACTION_READ_COMMITTED
                    : Connection.TRANSACTION_REPEATABLE_READ);
            try {
                if (mode == Mode.WRITE) {
                    TopologyTables.lockVersion(c);
                }
                T result = work.run(c);
                c.commit();
                return result;
            } catch (SQLException | RuntimeException e) {
                rollbackQuietly(c, e);
                throw e;
            }
        } catch (SQLException e) {
            throw failure(what, e);
        }
    }

    private static void rollbackQuietly(Connection c, Exception failure) {
        try {
            c.rollback();
        } catch (SQLException rollback) {
            failure.addSuppressed(rollback); // the connection is likely dead; HikariCP evicts it on close
        }
    }

    private TopologyException failure(String what, SQLException e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof InterruptedException) {
                Thread.currentThread().interrupt(); // HikariCP wraps an interrupted wait; keep the flag for our caller
                break;
            }
        }
        return new TopologyException("cannot " + what + " in the " + where + ": " + causes(e), e);
    }

    /** The messages of an exception and its causes, deduplicated: HikariCP's own message hides the driver's. */
    private static String causes(Throwable e) {
        List<String> messages = new ArrayList<>();
        for (Throwable t = e; t != null && messages.size() < 4; t = t.getCause()) {
            String message = t.getMessage();
            if (message != null && messages.stream().noneMatch(m -> m.contains(message))) {
                messages.add(message);
            }
        }
        return String.join(": ", messages);
    }

    private static HikariConfig hikariConfig(Topology topology, Duration connectTimeout) {
        HikariConfig hikari = new HikariConfig();
        hikari.setPoolName("switchyard-topology");
        String host = topology.endpoint().host().indexOf(':') >= 0 ? "[" + topology.endpoint().host() + "]"
                : topology.endpoint().host();
        // User and password go through the pool, not the URL, so the URL can appear in logs and messages.
        hikari.setJdbcUrl("jdbc:mariadb://" + host + ":" + topology.endpoint().port() + "/" + topology.database()
                + "?connectTimeout=" + connectTimeout.toMillis() + "&socketTimeout=" + SOCKET_TIMEOUT.toMillis());
        hikari.setUsername(topology.user());
        hikari.setPassword(topology.password());
        hikari.setMaximumPoolSize(MAX_CONNECTIONS);
        hikari.setMinimumIdle(1);
        hikari.setConnectionTimeout(connectTimeout.toMillis());
        hikari.setValidationTimeout(connectTimeout.toMillis());
        return hikari;
    }
}
