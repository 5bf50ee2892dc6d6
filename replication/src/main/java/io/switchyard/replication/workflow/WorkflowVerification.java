package io.switchyard.replication.workflow;

import io.switchyard.config.ColumnVindex;
import io.switchyard.config.Shard;
import io.switchyard.replication.apply.CopyProgress;
import io.switchyard.replication.apply.StreamPosition;
import io.switchyard.replication.copy.SqlConnector;
import io.switchyard.replication.copy.TargetShard;
import io.switchyard.replication.verify.ConsistentSnapshot;
import io.switchyard.replication.verify.DiffOptions;
import io.switchyard.replication.verify.DiffSide;
import io.switchyard.replication.verify.Placement;
import io.switchyard.replication.verify.TableDiff;
import io.switchyard.replication.verify.VerificationStore;
import io.switchyard.replication.verify.Verifier;
import io.switchyard.routing.plan.KeyspaceSchema;
import io.switchyard.routing.plan.TableSchema;
import io.switchyard.routing.vindex.Vindex;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Future;

/**
 * {@code VERIFY WORKFLOW} (Vitess's VDiff): compares every moved table between the side serving traffic and the
 * side replicated to, in the background, one table at a time.
 *
 * <p>For each table: stop the streams (committing what they applied); open a consistent snapshot on every source
 * primary and read its position; run the streams exactly to those positions ({@link UntilPosition}) and stop
 * them; open a consistent snapshot on every target primary — now both sides are as of the same source positions;
 * restart replication at once; then merge-compare the snapshots ({@link TableDiff}) while replication goes on.
 * Results are stored per table ({@link VerificationStore}); a verification cut short by a restart resumes with the
 * tables it had not finished.
 */
final class WorkflowVerification {
    private static final Logger LOG = LoggerFactory.getLogger(WorkflowVerification.class);
    static final Duration STALE_AFTER = Duration.ofHours(24);

    private final MoveTablesWorkflow workflow;
    private final SqlConnector topology;
    private VerificationStore store; // guarded by this, created on first use
    private Future<?> task; // guarded by this

    WorkflowVerification(MoveTablesWorkflow workflow, SqlConnector topology) {
        this.workflow = workflow;
        this.topology = topology;
    }

    String start() throws SQLException {
        synchronized (workflow) {
            workflow.requireLease("verify it there");
            TrafficStore.Traffic now = workflow.traffic().read(workflow.spec().name());
            if (!now.lifecycle().equals(TrafficStore.ACTIVE) || now.journal().isPresent()) {
                throw new IllegalStateException("workflow " + workflow.spec().name() + " is "
                        + (now.journal().isPresent() ? "switching traffic" : now.lifecycle())
                        + "; VERIFY WORKFLOW needs an active workflow whose streams run");
            }
            String streams = StreamRows.workflowState(leg(now).streams(workflow.deps().clock()));
            if (!streams.equals(StreamPosition.RUNNING)) {
                throw new IllegalStateException("workflow " + workflow.spec().name() + " is " + streams
                        + "; VERIFY WORKFLOW needs the copy finished and every stream running");
            }
            synchronized (this) {
                if (task != null && !task.isDone()) {
                    throw new IllegalStateException("workflow " + workflow.spec().name() + " is being verified"
                            + " already; SHOW WORKFLOW " + workflow.spec().name() + " VERIFICATION shows progress");
                }
                store().plan(workflow.spec().name(), workflow.spec().tables());
                task = workflow.deps().executor().submit(this::run);
            }
            workflow.log().info("verification started");
            return "verifying " + workflow.spec().tables().size() + " table(s) of workflow " + workflow.spec().name()
                    + " in the background; SHOW WORKFLOW " + workflow.spec().name() + " VERIFICATION shows the results";
        }
    }

    /** Continues a verification a restart cut short. */
    void resumeIfUnfinished() throws SQLException {
        synchronized (this) {
            if ((task == null || task.isDone()) && !store().unfinished(workflow.spec().name()).isEmpty()) {
                task = workflow.deps().executor().submit(this::run);
            }
        }
    }

    /** verifying_data, verified_data, verified_data_stale, or empty when never verified. */
    String state() throws SQLException {
        synchronized (this) {
            if (task != null && !task.isDone()) {
                return "verifying_data";
            }
        }
        List<VerificationStore.TableVerification> tables = results();
        if (tables.isEmpty()) {
            return "";
        }
        if (tables.stream().anyMatch(t -> t.state() != VerificationStore.State.DONE)) {
            return tables.stream().anyMatch(t -> t.state() == VerificationStore.State.ERROR) ? "" : "verifying_data";
        }
        Instant finished = tables.stream().map(t -> t.report().orElseThrow().finished()).max(Instant::compareTo)
                .orElseThrow();
        return finished.plus(STALE_AFTER).isBefore(workflow.deps().clock().instant()) ? "verified_data_stale"
                : "verified_data";
    }

    List<VerificationStore.TableVerification> results() throws SQLException {
        return store().tables(workflow.spec().name());
    }

    /** Drops the stored results: after a traffic switch they describe the other direction. */
    void forget() throws SQLException {
        cancel();
        store().delete(workflow.spec().name());
    }

    synchronized void cancel() {
        if (task != null) {
            task.cancel(true);
        }
    }

    private synchronized VerificationStore store() throws SQLException {
        if (store == null) {
            store = new VerificationStore(topology);
        }
        return store;
    }

    private void run() {
        try {
            List<VerificationStore.TableVerification> results = new Verifier(new TableDiff(DiffOptions.DEFAULTS,
                    workflow.deps().clock()), store(), workflow.deps().clock()).resume(workflow.spec().name(),
                    this::open);
            long differing = results.stream().filter(t -> t.report().map(r -> !r.identical()).orElse(true)).count();
            workflow.log().info("verification finished: " + (differing == 0 ? "every table matches"
                    : differing + " table(s) differ or failed; SHOW WORKFLOW " + workflow.spec().name()
                    + " VERIFICATION has the details"));
        } catch (SQLException | RuntimeException e) {
            LOG.warn("workflow {}: verification failed: {}", workflow.spec().name(), e.getMessage());
            workflow.log().error("verification failed: " + e.getMessage());
        }
    }

    /** Stops the streams at one set of source positions, snapshots both sides there, restarts the streams. */
    private Verifier.TableSnapshots open(String table) throws SQLException {
        List<ConsistentSnapshot> snapshots = new ArrayList<>();
        List<DiffSide> sources = new ArrayList<>();
        List<DiffSide> targets = new ArrayList<>();
        synchronized (workflow) {
            Leg leg = leg(workflow.traffic().read(workflow.spec().name()));
            workflow.halt(true);
            try {
                Map<String, String> positions = new LinkedHashMap<>();
                for (Shard shard : leg.from().shards()) {
                    Connection connection = leg.sourceData(shard).open();
                    ConsistentSnapshot snapshot;
                    try {
                        snapshot = ConsistentSnapshot.open(connection, leg.sourceData(shard),
                                List.of("`" + leg.from().database() + "`.`" + table.replace("`", "``") + "`"));
                    } catch (SQLException | RuntimeException e) {
                        connection.close();
                        throw e;
                    }
                    snapshots.add(snapshot);
                    sources.add(new DiffSide(shard.name(), connection, leg.from().database()));
                    positions.put(leg.sourceShard(shard), snapshot.gtidPosition().orElseThrow(() ->
                            new SQLException("source " + shard.name() + " reports no binlog position")));
                }
                Map<String, CopyProgress> copied = new LinkedHashMap<>();
                workflow.spec().tables().forEach(t -> copied.put(t, CopyProgress.COPIED));
                for (ShardPipeline pipeline : leg.pipelines(workflow.deps(), workflow.log())) {
                    pipeline.fastForward(copied, positions.get(pipeline.sourceShard()));
                }
                for (TargetShard target : leg.targetShards(false)) {
                    Connection connection = target.connector().open();
                    try {
                        snapshots.add(ConsistentSnapshot.open(connection));
                    } catch (SQLException | RuntimeException e) {
                        connection.close();
                        throw e;
                    }
                    targets.add(new DiffSide(target.name(), connection, target.database()));
                }
            } catch (Exception e) {
                closeAll(snapshots);
                throw e instanceof SQLException sql ? sql : new SQLException("stopping the streams at one position"
                        + " for verifying " + table + " failed: " + e.getMessage(), e);
            } finally {
                workflow.runLeg(leg); // replication goes on while the snapshots are compared
            }
        }
        Optional<Placement> placement = placement(table);
        return new Verifier.TableSnapshots() {
            @Override
            public List<DiffSide> sources() {
                return sources;
            }

            @Override
            public List<DiffSide> targets() {
                return targets;
            }

            @Override
            public Optional<Placement> placement() {
                return placement;
            }

            @Override
            public void close() {
                closeAll(snapshots);
            }
        };
    }

    private Leg leg(TrafficStore.Traffic traffic) {
        return traffic.traffic().equals(TrafficStore.PRIMARIES) ? workflow.reverse() : workflow.forward();
    }

    /** For a sharded target, the vindex that says which shard each target row belongs on. */
    private Optional<Placement> placement(String table) throws SQLException {
        Leg leg = leg(workflow.traffic().read(workflow.spec().name()));
        if (!leg.to().sharded()) {
            return Optional.empty();
        }
        KeyspaceSchema schema = leg.topology().loadSnapshot().keyspace(leg.to().name()).orElseThrow();
        Optional<ColumnVindex> vindex = schema.table(table).flatMap(TableSchema::primaryVindex);
        return vindex.map(v -> new Placement(v.column(), Vindex.of(schema.vindexes().get(v.vindexName()))));
    }

    private static void closeAll(List<ConsistentSnapshot> snapshots) {
        for (ConsistentSnapshot snapshot : snapshots) {
            try {
                snapshot.close();
                snapshot.connection().close();
            } catch (SQLException e) {
                LOG.debug("closing a verification snapshot failed: {}", e.getMessage());
            }
        }
    }
}
