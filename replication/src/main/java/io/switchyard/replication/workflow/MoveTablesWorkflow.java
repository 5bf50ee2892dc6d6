package io.switchyard.replication.workflow;

import io.switchyard.config.ColumnVindex;
import io.switchyard.config.Keyspace;
import io.switchyard.config.Shard;
import io.switchyard.config.SwitchyardConfig;
import io.switchyard.config.Topology;
import io.switchyard.replication.apply.StreamPosition;
import io.switchyard.replication.copy.RowRouter;
import io.switchyard.replication.copy.TargetSchema;
import io.switchyard.replication.copy.TargetShard;
import io.switchyard.replication.sidecar.StreamKey;
import io.switchyard.routing.plan.KeyspaceSchema;
import io.switchyard.routing.plan.RoutingSnapshot;
import io.switchyard.routing.plan.TableSchema;
import io.switchyard.routing.topo.TopologyConflictException;
import io.switchyard.routing.topo.TopologyStore;
import io.switchyard.routing.vindex.KeyRange;
import io.switchyard.routing.vindex.Vindex;
import org.mariadb.jdbc.MariaDbDataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * One MoveTables workflow: {@link #create} validates and records it, {@link #start} copies and replicates (see
 * {@link ShardPipeline} for the ordering argument), {@link #stop} stops it cleanly, {@link #resume} picks it up again
 * after a gateway restart from the topology store and {@code _switchyard} on the targets.
 *
 * <p>Thread-safe: lifecycle methods are serialised on the instance; {@link #status} reads the stores.
 */
public final class MoveTablesWorkflow implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(MoveTablesWorkflow.class);
    private static final long DRIVER_STOP_SECONDS = 60;

    private final MoveTablesSpec spec;
    private final SwitchyardConfig config;
    private final TopologyStore topology;
    private final WorkflowStore store;
    private final WorkflowDependencies deps;
    private final Keyspace source;
    private final Keyspace target;
    private CopyPhase phase; // guarded by this; null while not started
    private WorkflowLease lease; // guarded by this; null while another gateway may run the workflow
    private Future<?> driver; // guarded by this

    private MoveTablesWorkflow(MoveTablesSpec spec, SwitchyardConfig config, TopologyStore topology,
                               WorkflowStore store, WorkflowDependencies deps) {
        this.spec = spec;
        this.topology = topology;
        this.store = store;
        this.deps = deps;
        this.config = config;
        this.source = config.keyspace(spec.sourceKeyspace()).orElseThrow();
        this.target = config.keyspace(spec.targetKeyspace()).orElseThrow();
    }

    /**
     * Validates {@code spec} against the config and the source, refuses target tables that already exist (they would
     * be dropped on a recopy), and records the workflow in state pending. Call {@link #start} to run it.
     */
    public static MoveTablesWorkflow create(MoveTablesSpec spec, SwitchyardConfig config, TopologyStore topology,
                                            WorkflowDependencies deps) throws SQLException {
        WorkflowStore store = new WorkflowStore(topologyStore(config));
        Keyspace source = config.keyspace(spec.sourceKeyspace()).orElseThrow(() -> new IllegalArgumentException(
                "workflow " + spec.name() + ": source keyspace '" + spec.sourceKeyspace() + "' is not in the config"));
        MoveTablesSpec resolved = spec.validate(config, baseTables(source, source.shards().get(0)),
                topology.loadSnapshot());
        Keyspace target = config.keyspace(spec.targetKeyspace()).orElseThrow();
        List<ForeignKeys.Reference> references;
        try (Connection connection = sourceData(source, source.shards().get(0)).getConnection()) {
            references = ForeignKeys.read(connection, source.database());
        }
        ForeignKeys.units(spec.name(), source.database(), resolved.tables(), references); // refuses dangling FKs
        Set<String> linked = ForeignKeys.linkedTables(resolved.tables(), references);
        if (!linked.isEmpty() && (target.sharded() || source.sharded())) {
            // A sharded target's constraint cannot see rows on other shards; from a sharded source, parent and child
            // rows arrive over different streams in no particular order.
            throw new IllegalArgumentException("workflow " + spec.name() + ": tables " + linked + " have foreign"
                    + " keys, which Switchyard moves only between unsharded keyspaces, and keyspace '"
                    + (target.sharded() ? target.name() : source.name()) + "' is sharded; drop the constraints"
                    + " first, or move the tables to an unsharded keyspace");
        }
        for (Shard shard : target.shards()) {
            Set<String> existing = baseTables(target, shard);
            for (String table : resolved.tables()) {
                if (existing.stream().anyMatch(table::equalsIgnoreCase)) {
                    throw new IllegalArgumentException("workflow " + spec.name() + ": table '" + table
                            + "' already exists in target keyspace '" + target.name() + "' on shard " + shard.name()
                            + "; drop it there or leave it out of the workflow");
                }
            }
        }
        store.create(resolved, deps.clock().instant());
        MoveTablesWorkflow workflow = new MoveTablesWorkflow(resolved, config, topology, store, deps);
        workflow.log().info("created: MOVE TABLES " + String.join(", ", resolved.tables()) + " FROM " + source.name()
                + " TO " + target.name() + " " + resolved.options());
        return workflow;
    }

    /**
     * The workflow {@code name} as the topology store has it, started again unless it was stopped by request. Every
     * stream continues from its committed position; tables not yet marked copied are copied again.
     */
    public static MoveTablesWorkflow resume(String name, SwitchyardConfig config, TopologyStore topology,
                                            WorkflowDependencies deps) throws SQLException {
        WorkflowStore store = new WorkflowStore(topologyStore(config));
        MoveTablesSpec spec = store.read(name).orElseThrow(() -> new IllegalArgumentException(
                "there is no workflow named '" + name + "' in the topology store"));
        MoveTablesWorkflow workflow = new MoveTablesWorkflow(spec, config, topology, store, deps);
        workflow.resumeIfLeased();
        return workflow;
    }

    /** The names of the workflows recorded in the topology store, oldest first. */
    public static List<String> names(SwitchyardConfig config) throws SQLException {
        return new WorkflowStore(topologyStore(config)).names();
    }

    public MoveTablesSpec spec() {
        return spec;
    }

    /**
     * Keeps the moved tables' traffic on the source, creates the target tables, and starts copying and replicating
     * on the injected executor. Also continues a stopped workflow. Returns at once.
     */
    public synchronized void start() throws SQLException {
        if (!lease()) {
            throw new IllegalStateException("workflow " + spec.name() + " runs in another gateway, which holds its"
                    + " lease in the topology store; run the command there (or stop that gateway: this one then takes"
                    + " the workflow over)");
        }
        if (phase != null && !phase.idle()) {
            String state = status().state();
            if (!StreamPosition.ERROR.equals(state) && !StreamPosition.STOPPED.equals(state)) {
                return; // copying or replicating already
            }
        }
        // A phase that failed, stopped after its copy, or whose streams stopped (on_ddl STOP, an apply error):
        // close what is left of it and start over from the committed positions.
        halt(false);
        keepTrafficOnSource();
        List<ForeignKeys.Reference> references;
        try (Connection connection = sourceData(source, source.shards().get(0)).getConnection()) {
            references = ForeignKeys.read(connection, source.database());
        }
        List<List<String>> units = ForeignKeys.units(spec.name(), source.database(), spec.tables(), references);
        Set<String> linked = ForeignKeys.linkedTables(spec.tables(), references);
        List<TargetShard> targets = targetShards(false);
        for (String table : spec.tables()) {
            // The appliers need every moved table to exist on the targets, copied or not (IF NOT EXISTS: a no-op
            // for tables already there).
            TargetSchema.createLike(sourceData(source, source.shards().get(0))::getConnection, source.database(),
                    targets, table, spec.deferSecondaryKeys() && !linked.contains(table));
        }
        if (!spec.options().globalKeyspace().isEmpty()) {
            GlobalSequences.create(spec, config, topology, sourceData(source, source.shards().get(0)));
        }
        store.setState(spec.name(), StreamPosition.COPYING, "", deps.clock().instant());
        List<TargetShard> copyTargets = targetShards(true);
        List<ShardPipeline> pipelines = new ArrayList<>();
        for (Shard shard : source.shards()) {
            pipelines.add(new ShardPipeline(spec, endpoints(shard, targets, copyTargets), deps, log()));
        }
        phase = new CopyPhase(spec, pipelines, units, linked, store, deps, log());
        log().info("started");
        driver = deps.executor().submit(phase);
        LOG.info("workflow {} started: {} from {} to {}", spec.name(), spec.tables(), source.name(), target.name());
    }

    /**
     * Starts the workflow if this gateway can take its lease and it was not stopped by request; otherwise does
     * nothing. The gateway calls it at start and then periodically, to take over workflows of a gateway that died.
     * Also halts the workflow if this gateway lost its lease.
     *
     * @return whether this gateway runs the workflow now
     */
    public synchronized boolean resumeIfLeased() throws SQLException {
        if (lease != null && !lease.held()) {
            LOG.warn("workflow {}: lost its lease in the topology store; halting it here", spec.name());
            close();
        }
        if (phase != null) {
            return true;
        }
        if (!lease()) {
            return false;
        }
        if (!StreamPosition.STOPPED.equals(status().state())) {
            start();
            return true;
        }
        return false;
    }

    private boolean lease() throws SQLException {
        if (lease == null) {
            lease = WorkflowLease.tryAcquire(topologyStore(config), spec.name()).orElse(null);
        }
        return lease != null;
    }

    /** Stops every stream after committing what it applied; state stopped. {@link #start} continues it. */
    public synchronized void stop() throws SQLException {
        if (!lease()) {
            throw new IllegalStateException("workflow " + spec.name() + " runs in another gateway, which holds its"
                    + " lease in the topology store; stop it there");
        }
        List<StreamKey> keys = streamKeys();
        halt(true);
        for (TargetShard shard : targetShards(false)) {
            try (Connection connection = shard.connector().open()) {
                for (StreamKey key : keys) {
                    if (key.targetShard().equals(shard.name())) {
                        StreamPosition.setState(connection, key, StreamPosition.STOPPED, "stopped by request",
                                deps.clock().instant());
                    }
                }
            }
        }
        store.setState(spec.name(), StreamPosition.STOPPED, "stopped by request", deps.clock().instant());
        log().info("stopped by request");
    }

    /**
     * Stops the streams without committing or recording anything, as if the gateway died: what is durable is exactly
     * what a crash would leave, and {@link #resume} continues from it.
     */
    @Override
    public synchronized void close() {
        halt(false);
        if (lease != null) {
            lease.close();
            lease = null;
        }
    }

    public WorkflowStatus status() throws SQLException {
        CopyPhase live;
        synchronized (this) {
            live = phase;
        }
        Map<String, Long> estimates = rowEstimates();
        Map<String, Long> copiedRows = new HashMap<>();
        Map<String, Integer> copiedShards = new HashMap<>();
        for (Shard shard : source.shards()) {
            store.copiedTables(spec.name(), source.name() + "/" + shard.name()).forEach((table, rows) -> {
                copiedRows.merge(table, rows, Long::sum);
                copiedShards.merge(table, 1, Integer::sum);
            });
        }
        List<WorkflowStatus.TableStatus> tables = new ArrayList<>();
        for (String table : spec.tables()) {
            long total = estimates.getOrDefault(table, 0L);
            if (live != null) {
                tables.add(new WorkflowStatus.TableStatus(table, live.tableState(table), live.rowsCopied(table), total));
            } else {
                boolean done = copiedShards.getOrDefault(table, 0) == source.shards().size();
                tables.add(new WorkflowStatus.TableStatus(table, done ? WorkflowStore.COPIED : "not_started",
                        copiedRows.getOrDefault(table, 0L), total));
            }
        }
        List<WorkflowStatus.StreamStatus> streams = new ArrayList<>();
        List<TargetShard> targets = targetShards(false);
        Map<String, Duration> skew = new HashMap<>();
        for (Shard shard : source.shards()) {
            skew.put(source.name() + "/" + shard.name(), SourceClock.offset(sourceData(source, shard), deps.clock()));
        }
        for (StreamKey key : streamKeys()) {
            TargetShard shard = targets.stream().filter(t -> t.name().equals(key.targetShard())).findFirst()
                    .orElseThrow();
            streams.addAll(StreamRows.read(shard, key, deps.clock().instant(), skew.get(key.sourceShard())));
        }
        return new WorkflowStatus(spec.name(), "MoveTables", source.name(), target.name(), store.createdAt(spec.name()),
                StreamRows.workflowState(streams), tables, streams);
    }

    /**
     * Row changes applied by the streams since the workflow last started in this gateway; restarts begin again at 0
     * (a Prometheus counter reset).
     */
    public synchronized long rowsApplied() {
        return phase == null ? 0 : phase.rowsApplied();
    }

    /** The latest {@code limit} entries of the workflow's log, oldest first. */
    public List<WorkflowLog.Entry> logs(int limit) throws SQLException {
        return log().read(limit);
    }

    private WorkflowLog log() {
        return new WorkflowLog(spec.name(), targetShards(false).get(0), deps.clock());
    }

    /** Every stream of the workflow: one per source shard and target shard. */
    List<StreamKey> streamKeys() {
        List<StreamKey> keys = new ArrayList<>();
        for (Shard from : source.shards()) {
            for (Shard to : target.shards()) {
                keys.add(new StreamKey(spec.name(), source.name() + "/" + from.name(), to.name()));
            }
        }
        return keys;
    }

    private void halt(boolean clean) {
        if (phase == null) {
            return;
        }
        phase.halt(clean);
        try {
            // A copy in progress stops after its current batch; waiting keeps a resumed instance from copying the
            // same table alongside it.
            driver.get(DRIVER_STOP_SECONDS, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (ExecutionException | TimeoutException e) {
            LOG.warn("workflow {}: copy driver did not end cleanly: {}", spec.name(), e.toString());
        }
        phase.halt(clean); // streams the driver started while it was being halted
        phase = null;
        driver = null;
    }

    /**
     * Vitess's routing rules at create: every form of the table name, for every tablet type, goes to the source until
     * traffic is switched, so clients never read the half-filled target through the target keyspace's name.
     */
    private void keepTrafficOnSource() {
        for (int attempt = 1; ; attempt++) {
            var current = topology.readRoutingRules();
            Map<String, String> rules = new LinkedHashMap<>(current.rules());
            for (String table : spec.tables()) {
                for (String from : List.of(table, source.name() + "." + table, target.name() + "." + table)) {
                    rules.put(from, source.name());
                    rules.put(from + "@replica", source.name());
                }
            }
            if (rules.equals(current.rules())) {
                return;
            }
            try {
                topology.writeRoutingRules(rules, current.version());
                return;
            } catch (TopologyConflictException e) {
                if (attempt == 5) {
                    throw e; // another writer keeps winning; the operator retries START WORKFLOW
                }
            }
        }
    }

    private ShardPipeline.Endpoints endpoints(Shard shard, List<TargetShard> targets, List<TargetShard> copyTargets) {
        Map<String, RowRouter> routers = new HashMap<>();
        RoutingSnapshot vschemas = topology.loadSnapshot();
        for (String table : spec.tables()) {
            routers.put(table, router(vschemas, table));
        }
        var credentials = source.credentials();
        return new ShardPipeline.Endpoints(source.name() + "/" + shard.name(), sourceData(source, shard),
                source.database(), new ShardPipeline.BinlogTarget(shard.primary().host(), shard.primary().port(),
                credentials.user(), credentials.password()), targets, copyTargets, routers);
    }

    private RowRouter router(RoutingSnapshot vschemas, String table) {
        if (!target.sharded()) {
            return RowRouter.single();
        }
        KeyspaceSchema schema = vschemas.keyspace(target.name()).orElseThrow();
        ColumnVindex column = schema.table(table).flatMap(TableSchema::primaryVindex).orElseThrow(() ->
                new IllegalStateException("table " + table + " lost its vindex in keyspace " + target.name()));
        return RowRouter.byKeyspaceId(column.column(), Vindex.of(schema.vindexes().get(column.vindexName())),
                target.shards().stream().map(s -> KeyRange.parse(s.name())).toList());
    }

    /** @param copy connections for the copy: foreign key checks off (see {@link ShardPipeline.Endpoints}) */
    private List<TargetShard> targetShards(boolean copy) {
        return target.shards().stream().map(shard -> {
            MariaDbDataSource data = Servers.dataSource(shard.primary(), target.credentials().user(),
                    target.credentials().password(), target.database(), copy ? "foreign_key_checks=0" : "");
            return new TargetShard(shard.name(), data::getConnection, target.database());
        }).toList();
    }

    private static MariaDbDataSource sourceData(Keyspace keyspace, Shard shard) {
        return Servers.dataSource(shard.primary(), keyspace.credentials().user(), keyspace.credentials().password(),
                keyspace.database());
    }

    private Map<String, Long> rowEstimates() throws SQLException {
        Map<String, Long> rows = new HashMap<>();
        for (Shard shard : source.shards()) {
            try (Connection connection = sourceData(source, shard).getConnection();
                 PreparedStatement select = connection.prepareStatement("SELECT table_name, table_rows FROM"
                         + " information_schema.tables WHERE table_schema = ?")) {
                select.setString(1, source.database());
                try (ResultSet rs = select.executeQuery()) {
                    while (rs.next()) {
                        rows.merge(rs.getString(1), rs.getLong(2), Long::sum);
                    }
                }
            }
        }
        return rows;
    }

    private static Set<String> baseTables(Keyspace keyspace, Shard shard) throws SQLException {
        Set<String> tables = new TreeSet<>();
        MariaDbDataSource data = Servers.dataSource(shard.primary(), keyspace.credentials().user(),
                keyspace.credentials().password(), keyspace.database());
        try (Connection connection = data.getConnection();
             PreparedStatement select = connection.prepareStatement("SELECT table_name FROM information_schema.tables"
                     + " WHERE table_schema = ? AND table_type = 'BASE TABLE'")) {
            select.setString(1, keyspace.database());
            try (ResultSet rs = select.executeQuery()) {
                while (rs.next()) {
                    tables.add(rs.getString(1));
                }
            }
        }
        return tables;
    }

    private static io.switchyard.replication.copy.SqlConnector topologyStore(SwitchyardConfig config) {
        Topology topo = config.topology();
        MariaDbDataSource data = Servers.dataSource(topo.endpoint(), topo.user(), topo.password(), topo.database());
        return data::getConnection;
    }
}
