package io.switchyard.replication.workflow;

import io.switchyard.replication.apply.CopyProgress;
import io.switchyard.replication.apply.RowApplier;
import io.switchyard.replication.apply.StreamPosition;
import io.switchyard.replication.binlog.BinlogEvent;
import io.switchyard.replication.binlog.BinlogPurgedException;
import io.switchyard.replication.binlog.BinlogSource;
import io.switchyard.replication.binlog.BinlogStream;
import io.switchyard.replication.binlog.BinlogStreamException;
import io.switchyard.replication.binlog.TableName;
import io.switchyard.replication.copy.CopyJob;
import io.switchyard.replication.copy.CopyResult;
import io.switchyard.replication.copy.RowRouter;
import io.switchyard.replication.copy.TableCopier;
import io.switchyard.replication.copy.TargetSchema;
import io.switchyard.replication.copy.TargetShard;
import io.switchyard.replication.sidecar.CopyStateTable;
import io.switchyard.replication.sidecar.SidecarSchema;
import io.switchyard.replication.sidecar.StreamKey;
import org.mariadb.jdbc.MariaDbDataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import java.util.function.Function;

/**
 * One source shard's part of a MoveTables workflow: its copy loop and one binlog stream plus applier per target shard.
 *
 * <p><b>Ordering (why no row is lost or applied twice).</b> Tables are copied one at a time, and the streams are
 * stopped while a table is copied, so every stream's committed position {@code P} is at or before the copy's
 * snapshot {@code S} (the snapshot is taken later). After the copy, each stream runs from {@code P} to exactly
 * {@code S} ({@link UntilPosition}) with the new table still {@code NotStarted}: changes to tables copied before are
 * applied, changes to the new table are skipped because the copy already contains every one of them up to {@code S}.
 * Only then is the table marked copied (topology store), and from then on its changes after {@code S} are applied.
 * Every applied change commits together with the stream position on the target (RowApplier), so a crash at any point
 * leaves a position whose rows are all there. A table not yet marked copied after a restart may be half copied, or
 * copied but not fast-forwarded: it is dropped, recreated and copied again from a new snapshot, which is correct by
 * the same argument (its changes are skipped until that snapshot). Vitess instead resumes a half-copied table from
 * its lastpk with a pk-range catch-up filter; that is cheaper for huge tables and can come later.
 *
 * <p><b>Threading.</b> {@link #run} is the driver, on the workflow's executor; streams run on their own threads.
 * {@link #halt} may be called from any thread and serialises with the driver's stream starts on {@code this}.
 */
final class ShardPipeline implements Runnable {
    private static final Logger LOG = LoggerFactory.getLogger(ShardPipeline.class);

    /** Where a pipeline's connections go. */
    record Endpoints(String sourceShard, MariaDbDataSource source, String sourceDatabase, BinlogTarget binlog,
                     List<TargetShard> targets, Map<String, RowRouter> routers) {
    }

    /** Binlog connection settings for the source primary. */
    record BinlogTarget(String host, int port, String user, String password) {
    }

    /** One running stream and its applier. */
    private record Replica(StreamKey key, BinlogStream stream, RowApplier applier) {
    }

    private final MoveTablesSpec spec;
    private final Endpoints endpoints;
    private final WorkflowStore store;
    private final WorkflowDependencies deps;
    private final RowRouter router;
    private final Map<String, AtomicLong> rowsCopied = new ConcurrentHashMap<>();
    private final Map<String, String> tableStates = new ConcurrentHashMap<>();
    private final List<Replica> replicas = new ArrayList<>(); // guarded by this
    private volatile boolean halted;

    ShardPipeline(MoveTablesSpec spec, Endpoints endpoints, WorkflowStore store, WorkflowDependencies deps) {
        this.spec = spec;
        this.endpoints = endpoints;
        this.store = store;
        this.deps = deps;
        Map<String, RowRouter> routers = Map.copyOf(endpoints.routers());
        // The applier takes one router for every table; each table has its own vindex column.
        this.router = (table, row) -> routers.get(table.name()).route(table, row);
    }

    String sourceShard() {
        return endpoints.sourceShard();
    }

    List<StreamKey> streamKeys() {
        return endpoints.targets().stream().map(t -> new StreamKey(spec.name(), sourceShard(), t.name())).toList();
    }

    /** Rows copied per table so far, and the table's state (not_started, copying, copied). */
    Map<String, Long> rowsCopied() {
        Map<String, Long> rows = new LinkedHashMap<>();
        spec.tables().forEach(t -> rows.put(t, rowsCopied.getOrDefault(t, new AtomicLong()).get()));
        return rows;
    }

    String tableState(String table) {
        return tableStates.getOrDefault(table, "not_started");
    }

    @Override
    public void run() {
        try {
            Map<String, Long> copied = store.copiedTables(spec.name(), sourceShard());
            Map<String, CopyProgress> progress = new LinkedHashMap<>();
            for (String table : spec.tables()) {
                boolean done = copied.containsKey(table);
                progress.put(table, done ? CopyProgress.COPIED : CopyProgress.NOT_STARTED);
                tableStates.put(table, done ? WorkflowStore.COPIED : "not_started");
                rowsCopied.put(table, new AtomicLong(copied.getOrDefault(table, 0L)));
            }
            prepareTargets();
            for (String table : spec.tables()) {
                if (progress.get(table) instanceof CopyProgress.NotStarted) {
                    if (halted) {
                        return;
                    }
                    setStreamStates(StreamPosition.COPYING, "copying " + table);
                    copyTable(table, progress);
                    progress.put(table, CopyProgress.COPIED);
                }
            }
            setStreamStates(StreamPosition.RUNNING, "");
            synchronized (this) {
                if (!halted) {
                    for (TargetShard target : endpoints.targets()) {
                        replicas.add(startReplica(target, progress, applier -> applier));
                    }
                }
            }
        } catch (Exception e) {
            if (!halted) {
                fail(e);
            }
        }
    }

    /**
     * Stops every stream. Clean: commits what the appliers hold and marks the streams {@code stopped}. Not clean
     * (a simulated crash): drops uncommitted work and writes nothing, as a killed gateway would.
     */
    synchronized void halt(boolean clean) {
        halted = true;
        for (Replica replica : replicas) {
            replica.stream().close(); // joins the stream thread: the applier is ours from here on
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
        if (clean) {
            setStreamStatesQuietly(StreamPosition.STOPPED, "stopped by request");
        }
    }

    private void prepareTargets() throws SQLException {
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
        try (Connection connection = endpoints.source().getConnection();
             Statement statement = connection.createStatement();
             ResultSet rs = statement.executeQuery("SELECT @@gtid_binlog_pos")) {
            rs.next();
            String pos = rs.getString(1);
            if (pos == null || pos.isBlank()) {
                throw new SQLException("source " + sourceShard() + " has an empty @@gtid_binlog_pos: it has written"
                        + " no binlog yet (is log-bin on?)");
            }
            return pos;
        }
    }

    /** Drop-recreate-copy, then fast-forward every stream to the copy's snapshot, then mark the table copied. */
    private void copyTable(String table, Map<String, CopyProgress> progress) throws Exception {
        tableStates.put(table, "copying");
        List<TargetShard> targets = endpoints.targets();
        for (TargetShard target : targets) {
            try (Connection connection = target.connector().open(); Statement statement = connection.createStatement()) {
                statement.execute("DROP TABLE IF EXISTS `" + target.database() + "`.`" + table + "`");
                CopyStateTable.delete(connection, new StreamKey(spec.name(), sourceShard(), target.name()), table);
            }
        }
        TargetSchema.TableDefinition definition = TargetSchema.createLike(endpoints.source()::getConnection,
                endpoints.sourceDatabase(), targets, table, spec.deferSecondaryKeys());
        AtomicLong rows = rowsCopied.computeIfAbsent(table, t -> new AtomicLong());
        rows.set(0);
        Map<String, AtomicLong> perTarget = new ConcurrentHashMap<>();
        CopyResult result = new TableCopier(deps.copyOptions(), deps.clock()).copy(new CopyJob(spec.name(),
                sourceShard(), endpoints.source()::getConnection, endpoints.sourceDatabase(), table, targets, router,
                batch -> {
                    rows.addAndGet(batch.rows());
                    perTarget.computeIfAbsent(batch.targetShard(), t -> new AtomicLong()).addAndGet(batch.rows());
                }));
        TargetSchema.addDeferredKeys(definition, targets);
        fastForward(progress, result.snapshotGtid());
        store.markCopied(spec.name(), sourceShard(), table, result.rowsCopied());
        tableStates.put(table, WorkflowStore.COPIED);
        for (TargetShard target : targets) {
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
                CopyStateTable.delete(connection, key, table);
            }
        }
    }

    /** Runs every stream from its committed position to {@code snapshot} exactly, then stops it. */
    private void fastForward(Map<String, CopyProgress> progress, String snapshot) throws Exception {
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
                    throw new IllegalStateException("stream " + replica.key() + " ended before reaching " + snapshot);
                }
            }
        }
        synchronized (this) {
            for (Replica replica : replicas) {
                replica.stream().close();
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
                deps.serverIds().getAsLong(), deps.heartbeat());
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
        String message = failure instanceof BinlogPurgedException purged
                ? "the source's binlogs from position " + purged.position() + " on were purged, so replication"
                + " cannot continue: delete the workflow and create it again to copy from a new snapshot ("
                + failure.getMessage() + ")"
                : String.valueOf(failure.getMessage());
        try (Connection connection = targetOf(key).connector().open()) {
            String state = StreamPosition.read(connection, key).map(StreamPosition.Row::state).orElse("");
            if (!StreamPosition.STOPPED.equals(state) && !StreamPosition.ERROR.equals(state)) {
                StreamPosition.setState(connection, key, StreamPosition.ERROR, message, deps.clock().instant());
            }
        } catch (SQLException e) {
            LOG.warn("recording the failure of {} failed: {}", key, e.getMessage());
        }
    }

    private void fail(Exception e) {
        LOG.error("workflow {} on source shard {} failed: {}", spec.name(), sourceShard(), e.getMessage(), e);
        halt(false);
        setStreamStatesQuietly(StreamPosition.ERROR, e.getClass().getSimpleName() + ": " + e.getMessage());
    }

    private TargetShard targetOf(StreamKey key) {
        return endpoints.targets().stream().filter(t -> t.name().equals(key.targetShard())).findFirst().orElseThrow();
    }

    private void setStreamStates(String state, String message) throws SQLException {
        for (StreamKey key : streamKeys()) {
            try (Connection connection = targetOf(key).connector().open()) {
                StreamPosition.setState(connection, key, state, message, deps.clock().instant());
            }
        }
    }

    private void setStreamStatesQuietly(String state, String message) {
        try {
            setStreamStates(state, message);
        } catch (SQLException e) {
            LOG.warn("recording state {} for workflow {} failed: {}", state, spec.name(), e.getMessage());
        }
    }
}
