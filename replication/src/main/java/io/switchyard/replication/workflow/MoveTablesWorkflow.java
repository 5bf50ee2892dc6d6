package io.switchyard.replication.workflow;

import io.switchyard.config.ColumnVindex;
import io.switchyard.config.Keyspace;
import io.switchyard.config.Shard;
import io.switchyard.config.SwitchyardConfig;
import io.switchyard.config.Table;
import io.switchyard.config.Topology;
import io.switchyard.replication.apply.StreamPosition;
import io.switchyard.replication.copy.RowRouter;
import io.switchyard.replication.copy.TargetSchema;
import io.switchyard.replication.copy.TargetShard;
import io.switchyard.replication.sidecar.StreamKey;
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
    private final TopologyStore topology;
    private final WorkflowStore store;
    private final WorkflowDependencies deps;
    private final Keyspace source;
    private final Keyspace target;
    private final List<ShardPipeline> pipelines = new ArrayList<>(); // guarded by this
    private final List<Future<?>> drivers = new ArrayList<>(); // guarded by this

    private MoveTablesWorkflow(MoveTablesSpec spec, SwitchyardConfig config, TopologyStore topology,
                               WorkflowStore store, WorkflowDependencies deps) {
        this.spec = spec;
        this.topology = topology;
        this.store = store;
        this.deps = deps;
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
        MoveTablesSpec resolved = spec.validate(config, baseTables(source, source.shards().get(0)));
        Keyspace target = config.keyspace(spec.targetKeyspace()).orElseThrow();
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
        return new MoveTablesWorkflow(resolved, config, topology, store, deps);
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
        if (!StreamPosition.STOPPED.equals(workflow.status().state())) {
            workflow.start();
        }
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
        if (!pipelines.isEmpty()) {
            return;
        }
        keepTrafficOnSource();
        List<TargetShard> targets = targetShards();
        for (String table : spec.tables()) {
            // The appliers need every moved table to exist on the targets, copied or not (IF NOT EXISTS: a no-op
            // for tables already there).
            TargetSchema.createLike(sourceData()::getConnection, source.database(), targets, table,
                    spec.deferSecondaryKeys());
        }
        store.setState(spec.name(), StreamPosition.COPYING, "", deps.clock().instant());
        for (Shard shard : source.shards()) {
            ShardPipeline pipeline = new ShardPipeline(spec, endpoints(shard, targets), store, deps);
            pipelines.add(pipeline);
            drivers.add(deps.executor().submit(pipeline));
        }
        LOG.info("workflow {} started: {} from {} to {}", spec.name(), spec.tables(), source.name(), target.name());
    }

    /** Stops every stream after committing what it applied; state stopped. {@link #start} continues it. */
    public synchronized void stop() throws SQLException {
        halt(true);
        store.setState(spec.name(), StreamPosition.STOPPED, "stopped by request", deps.clock().instant());
    }

    /**
     * Stops the streams without committing or recording anything, as if the gateway died: what is durable is exactly
     * what a crash would leave, and {@link #resume} continues from it.
     */
    @Override
    public synchronized void close() {
        halt(false);
    }

    public WorkflowStatus status() throws SQLException {
        List<ShardPipeline> live;
        synchronized (this) {
            live = List.copyOf(pipelines);
        }
        Map<String, Long> estimates = rowEstimates();
        List<WorkflowStatus.TableStatus> tables = new ArrayList<>();
        String sourceShard = source.name() + "/" + source.shards().get(0).name();
        Map<String, Long> copied = store.copiedTables(spec.name(), sourceShard);
        for (String table : spec.tables()) {
            long total = estimates.getOrDefault(table, 0L);
            if (!live.isEmpty()) {
                ShardPipeline p = live.get(0);
                tables.add(new WorkflowStatus.TableStatus(table, p.tableState(table), p.rowsCopied().get(table),
                        total));
            } else {
                boolean done = copied.containsKey(table);
                tables.add(new WorkflowStatus.TableStatus(table, done ? WorkflowStore.COPIED : "not_started",
                        copied.getOrDefault(table, 0L), total));
            }
        }
        List<WorkflowStatus.StreamStatus> streams = new ArrayList<>();
        for (TargetShard shard : targetShards()) {
            streams.addAll(StreamRows.read(shard, new StreamKey(spec.name(), sourceShard, shard.name()),
                    deps.clock().instant()));
        }
        return new WorkflowStatus(spec.name(), StreamRows.workflowState(streams), tables, streams);
    }

    private void halt(boolean clean) {
        for (ShardPipeline pipeline : pipelines) {
            pipeline.halt(clean);
        }
        for (Future<?> driver : drivers) {
            try {
                // A driver in the middle of a table copy finishes its current statement first; waiting keeps a
                // resumed instance from copying the same table alongside it.
                driver.get(DRIVER_STOP_SECONDS, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            } catch (ExecutionException | TimeoutException e) {
                LOG.warn("workflow {}: copy driver did not end cleanly: {}", spec.name(), e.toString());
            }
        }
        pipelines.clear();
        drivers.clear();
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

    private ShardPipeline.Endpoints endpoints(Shard shard, List<TargetShard> targets) {
        Map<String, RowRouter> routers = new HashMap<>();
        for (String table : spec.tables()) {
            routers.put(table, router(table));
        }
        var credentials = source.credentials();
        return new ShardPipeline.Endpoints(source.name() + "/" + shard.name(), sourceData(), source.database(),
                new ShardPipeline.BinlogTarget(shard.primary().host(), shard.primary().port(), credentials.user(),
                        credentials.password()), targets, routers);
    }

    private RowRouter router(String table) {
        if (!target.sharded()) {
            return RowRouter.single();
        }
        ColumnVindex column = target.vschema().table(table).flatMap(Table::primaryVindex).orElseThrow();
        io.switchyard.config.Vindex vindex = target.vschema().vindex(column.vindexName()).orElseThrow();
        return RowRouter.byKeyspaceId(column.column(), Vindex.of(vindex.type().name()),
                target.shards().stream().map(s -> KeyRange.parse(s.name())).toList());
    }

    private List<TargetShard> targetShards() {
        return target.shards().stream().map(shard -> {
            MariaDbDataSource data = Servers.dataSource(shard.primary(), target.credentials().user(),
                    target.credentials().password(), target.database());
            return new TargetShard(shard.name(), data::getConnection, target.database());
        }).toList();
    }

    private MariaDbDataSource sourceData() {
        Shard shard = source.shards().get(0);
        return Servers.dataSource(shard.primary(), source.credentials().user(), source.credentials().password(),
                source.database());
    }

    private Map<String, Long> rowEstimates() throws SQLException {
        Map<String, Long> rows = new HashMap<>();
        try (Connection connection = sourceData().getConnection();
             PreparedStatement select = connection.prepareStatement("SELECT table_name, table_rows FROM"
                     + " information_schema.tables WHERE table_schema = ?")) {
            select.setString(1, source.database());
            try (ResultSet rs = select.executeQuery()) {
                while (rs.next()) {
                    rows.put(rs.getString(1), rs.getLong(2));
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
