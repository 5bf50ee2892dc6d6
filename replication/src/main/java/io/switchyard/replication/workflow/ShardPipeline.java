package io.switchyard.replication.workflow;

import io.switchyard.replication.apply.CopyProgress;
import io.switchyard.replication.apply.RowApplier;
import io.switchyard.replication.apply.StreamPosition;
import io.switchyard.replication.binlog.BinlogEvent;
import io.switchyard.replication.binlog.BinlogPurgedException;
import io.switchyard.replication.binlog.BinlogSource;
import io.switchyard.replication.binlog.BinlogStream;
import io.switchyard.replication.binlog.BinlogStreamException;
import io.switchyard.replication.binlog.BinlogTls;
import io.switchyard.replication.binlog.Flavor;
import io.switchyard.replication.binlog.TableName;
import io.switchyard.replication.copy.CopyJob;
import io.switchyard.replication.copy.CopyResult;
import io.switchyard.replication.copy.RowRouter;
import io.switchyard.replication.copy.SqlConnector;
import io.switchyard.replication.copy.TableCopier;
import io.switchyard.replication.copy.TargetShard;
import io.switchyard.replication.sidecar.CopyStateTable;
import io.switchyard.replication.sidecar.SidecarSchema;
import io.switchyard.replication.sidecar.StreamKey;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import java.util.function.Function;

/**
 * One source shard's part of a MoveTables workflow: its share of each table copy, and one binlog stream plus applier
 * per target shard. {@link CopyPhase} decides what is copied when and explains why no row is lost or applied twice;
 * this class runs the pieces: {@link #prepare}, {@link #copy}, {@link #fastForward}, {@link #startRunning},
 * {@link #halt}.
 *
 * <p><b>Threading.</b> The copy phase calls {@link #copy} and {@link #fastForward} from its threads; streams run on
 * their own threads. {@link #halt} may be called from any thread and serialises with stream starts on {@code this}.
 */
final class ShardPipeline {
    private static final Logger LOG = LoggerFactory.getLogger(ShardPipeline.class);

    /**
     * Where a pipeline's connections go.
     *
     * @param targets     the target primaries as the appliers use them (foreign key checks on, so that cascades the
     *                    source did not log happen on the target too)
     * @param copyTargets the same primaries for the copy, with foreign key checks off: related tables' rows arrive in
     *                    any order, from several source shards
     */
    record Endpoints(String sourceShard, SqlConnector source, String sourceDatabase, BinlogTarget binlog,
                     List<TargetShard> targets, List<TargetShard> copyTargets, Map<String, RowRouter> routers) {
    }

    /** Binlog connection settings for the source primary; {@code tls} as its keyspace's TLS settings say. */
    record BinlogTarget(String host, int port, String user, String password, BinlogTls tls) {
        @Override
        public String toString() {
            return "BinlogTarget[" + user + "@" + host + ":" + port + ", tls=" + tls + "]";
        }
    }

    /** One running stream and its applier. */
    private record Replica(StreamKey key, BinlogStream stream, RowApplier applier) {
    }

    /** A stream stopped with a failure while the copy phase waited for it; the message says why, for the operator. */
    static final class StreamFailedException extends RuntimeException {
        StreamFailedException(String message, Throwable cause) {
            super(message, cause);
        }
    }

    /** Thrown into a running copy by its batch listener once the pipeline is halted. */
    static final class HaltedException extends RuntimeException {
        HaltedException() {
            super("halted", null, false, false);
        }
    }

    private final MoveTablesSpec spec;
    private final Endpoints endpoints;
    private final WorkflowDependencies deps;
    private final WorkflowLog log;
    private final RowRouter router;
    private final Map<String, AtomicLong> rowsCopied = new ConcurrentHashMap<>();
    private final List<Replica> replicas = new ArrayList<>(); // guarded by this
    private final Map<StreamKey, String> failures = new ConcurrentHashMap<>();
    private long rowsAppliedBefore; // guarded by this: by appliers closed since this pipeline started
    private volatile boolean halted;

    ShardPipeline(MoveTablesSpec spec, Endpoints endpoints, WorkflowDependencies deps, WorkflowLog log) {
        this.spec = spec;
        this.endpoints = endpoints;
        this.deps = deps;
        this.log = log;
        Map<String, RowRouter> routers = Map.copyOf(endpoints.routers());
        // The applier takes one router for every table; each table has its own vindex column.
        this.router = (table, row) -> routers.get(table.name()).route(table, row);
    }

    String sourceShard() {
        return endpoints.sourceShard();
    }

    Endpoints endpoints() {
        return endpoints;
    }

    boolean halted() {
        return halted;
    }

    List<StreamKey> streamKeys() {
        return endpoints.targets().stream().map(t -> new StreamKey(spec.name(), sourceShard(), t.name())).toList();
    }

    /** Row changes applied and committed by this pipeline's appliers since it was created. */
    synchronized long rowsApplied() {
        long rows = rowsAppliedBefore;
        for (Replica replica : replicas) {
            rows += replica.applier().stats().rows();
        }
        return rows;
    }

    /** Rows this source shard has copied of {@code table} in the current (or last) copy. */
    long rowsCopied(String table) {
        AtomicLong rows = rowsCopied.get(table);
        return rows == null ? 0 : rows.get();
    }

    void setRowsCopied(String table, long rows) {
        rowsCopied.computeIfAbsent(table, t -> new AtomicLong()).set(rows);
    }

    /** Creates the sidecar schema and, for a new workflow, each stream's row at the source's current position. */
    void prepare() throws SQLException {
        String start = null;
        for (TargetShard target : endpoints.targets()) {
            try (Connection connection = target.connector().open()) {
                SidecarSchema.create(connection);
                StreamKey key = new StreamKey(spec.name(), sourceShard(), target.name());
                if (StreamPosition.read(connection, key).isEmpty()) {
                    // Nothing is copied yet, so the stream may start at the source's current position: every table
                    // is NotStarted until its copy's snapshot, which is taken after this.
                    start = start != null ? start : currentSourcePosition();
                    StreamPosition.create(connection, key, start, StreamPosition.COPYING, deps.clock().instant());
                }
            }
        }
    }

    private String currentSourcePosition() throws SQLException {
        try (Connection connection = endpoints.source().open()) {
            return Flavor.of(connection).currentPosition(connection);
        }
    }

    /**
     * Copies this source shard's rows of {@code tables} to every target from one snapshot, and returns the
     * snapshot's position. The target tables must be freshly created and empty of this shard's rows.
     */
    String copy(List<String> tables) throws SQLException {
        List<CopyJob> jobs = new ArrayList<>();
        Map<String, AtomicLong> perTarget = new ConcurrentHashMap<>();
        for (String table : tables) {
            AtomicLong rows = rowsCopied.computeIfAbsent(table, t -> new AtomicLong());
            rows.set(0);
            jobs.add(new CopyJob(spec.name(), sourceShard(), endpoints.source(),
                    endpoints.sourceDatabase(), table, endpoints.copyTargets(), router, batch -> {
                        if (halted) {
                            throw new HaltedException();
                        }
                        rows.addAndGet(batch.rows());
                        perTarget.computeIfAbsent(batch.targetShard(), t -> new AtomicLong()).addAndGet(batch.rows());
                    }));
        }
        List<CopyResult> results = new TableCopier(deps.copyOptions(), deps.clock()).copyTogether(jobs);
        for (TargetShard target : endpoints.targets()) {
            StreamKey key = new StreamKey(spec.name(), sourceShard(), target.name());
            try (Connection connection = target.connector().open();
                 PreparedStatement update = connection.prepareStatement("UPDATE " + SidecarSchema.DATABASE
                         + ".stream SET rows_copied = rows_copied + ? WHERE workflow = ? AND source_shard = ?"
                         + " AND target_shard = ?")) {
                // A counter for progress displays: a crash right before this undercounts, which is harmless.
                update.setLong(1, perTarget.getOrDefault(target.name(), new AtomicLong()).get());
                update.setString(2, key.workflow());
                update.setString(3, key.sourceShard());
                update.setString(4, key.targetShard());
                update.executeUpdate();
                for (String table : tables) {
                    CopyStateTable.delete(connection, key, table);
                }
            }
        }
        return results.get(0).snapshotGtid();
    }

    /** Starts continuous replication on every target with {@code progress} (normally every table copied). */
    synchronized void startRunning(Map<String, CopyProgress> progress) throws SQLException {
        if (halted) {
            return;
        }
        for (TargetShard target : endpoints.targets()) {
            replicas.add(startReplica(target, progress, applier -> applier));
        }
    }

    /**
     * Stops every stream and any copy of this pipeline (after its current batch). Clean: commits what the appliers
     * hold. Not clean (a simulated crash): drops uncommitted work, as a killed gateway would.
     */
    synchronized void halt(boolean clean) {
        halted = true;
        for (Replica replica : replicas) {
            replica.stream().close(); // joins the stream thread: the applier is ours from here on
            rowsAppliedBefore += replica.applier().stats().rows();
            try {
                if (clean) {
                    replica.applier().flush();
                }
                replica.applier().close();
            } catch (SQLException e) {
                LOG.warn("closing the applier of {} failed: {}", replica.key(), e.getMessage());
            }
        }
        replicas.clear();
    }

    /** Runs every stream from its committed position to {@code snapshot} exactly, then stops it. */
    void fastForward(Map<String, CopyProgress> progress, String snapshot) throws Exception {
        List<UntilPosition> untils = new ArrayList<>();
        synchronized (this) {
            if (halted) {
                throw new IllegalStateException("halted");
            }
            for (TargetShard target : endpoints.targets()) {
                replicas.add(startReplica(target, progress, applier -> {
                    UntilPosition until = new UntilPosition(snapshot, applier);
                    untils.add(until);
                    return until;
                }));
            }
        }
        for (int i = 0; i < untils.size(); i++) {
            while (!untils.get(i).await(100)) {
                Replica replica;
                synchronized (this) {
                    if (halted) {
                        throw new IllegalStateException("halted");
                    }
                    replica = replicas.get(i);
                }
                if (!replica.stream().isRunning()) {
                    String failure = failures.get(replica.key());
                    throw new StreamFailedException(failure != null ? failure : "stream " + replica.key()
                            + " ended before reaching " + snapshot, null);
                }
            }
        }
        synchronized (this) {
            for (Replica replica : replicas) {
                replica.stream().close();
                rowsAppliedBefore += replica.applier().stats().rows();
                replica.applier().close(); // UntilPosition committed everything up to the snapshot
            }
            replicas.clear();
        }
    }

    private Replica startReplica(TargetShard target, Map<String, CopyProgress> progress,
                                 Function<RowApplier, Consumer<BinlogEvent>> consumer) throws SQLException {
        StreamKey key = new StreamKey(spec.name(), sourceShard(), target.name());
        RowApplier applier = RowApplier.open(key, target, endpoints.targets().indexOf(target), router,
                Map.copyOf(progress), deps.applyOptions(), spec.onDdl().policy(), endpoints.sourceDatabase(),
                deps.clock());
        BinlogTarget b = endpoints.binlog();
        BinlogSource source = new BinlogSource(b.host(), b.port(), b.user(), b.password(),
                deps.serverIds().getAsLong(), deps.heartbeat(), b.tls());
        Set<TableName> tables = Set.copyOf(spec.tables().stream()
                .map(t -> new TableName(endpoints.sourceDatabase(), t)).toList());
        BinlogStream stream = BinlogStream.start(source, applier.committedPosition(), tables, endpoints.source(),
                r -> {
                    Thread thread = deps.streamThreads().newThread(r);
                    thread.setName("binlog-" + spec.name() + "-" + target.name());
                    return thread;
                }, consumer.apply(applier), failure -> onStreamFailure(key, failure), deps.clock());
        return new Replica(key, stream, applier);
    }

    /**
     * On the stream thread: the stream has stopped. A DDL stop (state stopped) or a failed on_ddl EXEC (state error)
     * has already recorded its state and message; keep them. Purged binlogs get a message of their own: no retry
     * can help, the workflow must be recreated.
     */
    private void onStreamFailure(StreamKey key, BinlogStreamException failure) {
        if (halted) {
            return;
        }
        LOG.error("stream {} of workflow {} stopped: {}", key, spec.name(), failure.getMessage());
        log.error("stream " + key.sourceShard() + " -> " + key.targetShard() + " stopped: " + failure.getMessage());
        String message = failure instanceof BinlogPurgedException purged
                ? "the source's binlogs from position " + purged.position() + " on were purged, so replication"
                + " cannot continue: delete the workflow and create it again to copy from a new snapshot ("
                + failure.getMessage() + ")"
                : String.valueOf(failure.getMessage());
        failures.put(key, message);
        try (Connection connection = targetOf(key).connector().open()) {
            String state = StreamPosition.read(connection, key).map(StreamPosition.Row::state).orElse("");
            if (!StreamPosition.STOPPED.equals(state) && !StreamPosition.ERROR.equals(state)) {
                StreamPosition.setState(connection, key, StreamPosition.ERROR, message, deps.clock().instant());
            }
        } catch (SQLException e) {
            LOG.warn("recording the failure of {} failed: {}", key, e.getMessage());
        }
    }

    private TargetShard targetOf(StreamKey key) {
        return endpoints.targets().stream().filter(t -> t.name().equals(key.targetShard())).findFirst().orElseThrow();
    }

    void setStreamStates(String state, String message) throws SQLException {
        for (StreamKey key : streamKeys()) {
            try (Connection connection = targetOf(key).connector().open()) {
                StreamPosition.setState(connection, key, state, message, deps.clock().instant());
            }
        }
    }

    void setStreamStatesQuietly(String state, String message) {
        try {
            setStreamStates(state, message);
        } catch (SQLException e) {
            LOG.warn("recording state {} for workflow {} failed: {}", state, spec.name(), e.getMessage());
        }
    }
}
