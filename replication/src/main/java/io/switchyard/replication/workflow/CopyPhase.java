package io.switchyard.replication.workflow;

import io.switchyard.replication.apply.CopyProgress;
import io.switchyard.replication.apply.StreamPosition;
import io.switchyard.replication.binlog.GtidPositions;
import io.switchyard.replication.copy.TargetSchema;
import io.switchyard.replication.copy.TargetShard;
import io.switchyard.replication.sidecar.CopyStateTable;
import io.switchyard.replication.sidecar.StreamKey;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * A workflow's driver: copies every table not yet copied, then starts continuous replication on every source shard
 * (or stops, with {@code stop_after_copy}).
 *
 * <p><b>Ordering (why no row is lost or applied twice).</b> Tables are copied in batches of up to
 * {@code copy_parallelism} units (a table, or a group of tables linked by foreign keys, which share one snapshot).
 * The streams are stopped while a batch is copied, so every stream's committed position {@code P} is at or before
 * each copy's snapshot {@code S} (taken later). After the copies, each source shard's streams run from {@code P} to
 * its snapshots in order, {@code S1 <= S2 <= ...} ({@link UntilPosition}); while running to {@code Sk}, the units
 * whose snapshot is {@code Sk} or later are still {@code NotStarted}, so their changes are skipped (their copies
 * already contain everything up to their snapshot), and the units before are applied. Only then are the tables marked
 * copied (topology store), and from then on all their changes after the snapshots are applied. Every applied change
 * commits together with the stream position on the target (RowApplier), so a crash at any point leaves a position
 * whose rows are all there. A table not marked copied by every source shard after a restart may be half copied or
 * not fast-forwarded: it is dropped, recreated and copied again from new snapshots, which is correct by the same
 * argument. Vitess instead resumes a half-copied table from its lastpk; that is cheaper for huge tables and can come
 * later.
 *
 * <p>Snapshots of one batch must be totally ordered for the fast-forward. On a source writing to one GTID domain they
 * always are; if not (several domains advancing independently), the batch is copied again one unit at a time.
 */
final class CopyPhase implements Runnable {
    private static final Logger LOG = LoggerFactory.getLogger(CopyPhase.class);

    private final MoveTablesSpec spec;
    private final List<ShardPipeline> pipelines;
    private final List<List<String>> units;
    private final Set<String> foreignKeyTables;
    private final WorkflowStore store;
    private final WorkflowDependencies deps;
    private final WorkflowLog log;
    private final Runnable onCopied;
    private final Map<String, String> tableStates = new ConcurrentHashMap<>();
    private volatile boolean halted;
    private volatile boolean replicating;
    private volatile boolean ended;

    /**
     * @param onCopied         told when every table is copied, before replication starts (see {@link ForeignKeys#units}); together they cover every moved table
     * @param foreignKeyTables tables created with their secondary keys whatever {@code defer_secondary_keys} says
     */
    CopyPhase(MoveTablesSpec spec, List<ShardPipeline> pipelines, List<List<String>> units,
              Set<String> foreignKeyTables, WorkflowStore store, WorkflowDependencies deps, WorkflowLog log,
              Runnable onCopied) {
        this.spec = spec;
        this.pipelines = List.copyOf(pipelines);
        this.units = List.copyOf(units);
        this.foreignKeyTables = Set.copyOf(foreignKeyTables);
        this.store = store;
        this.deps = deps;
        this.log = log;
        this.onCopied = onCopied;
        spec.tables().forEach(t -> tableStates.put(t, "not_started"));
    }

    /** not_started, copying or copied. */
    String tableState(String table) {
        return tableStates.getOrDefault(table, "not_started");
    }

    /** Row changes applied by every stream of this run. */
    long rowsApplied() {
        return pipelines.stream().mapToLong(ShardPipeline::rowsApplied).sum();
    }

    /** Rows copied so far of {@code table}, over every source shard. */
    long rowsCopied(String table) {
        return pipelines.stream().mapToLong(p -> p.rowsCopied(table)).sum();
    }

    /**
     * Whether this run is over without replicating: stopped after the copy, failed or halted. The workflow may then
     * be started again with a new phase.
     */
    boolean idle() {
        return ended && !replicating;
    }

    /** Stops the copies after their current batch and every stream. */
    void halt(boolean clean) {
        halted = true;
        pipelines.forEach(p -> p.halt(clean));
    }

    @Override
    public void run() {
        try {
            runPhase();
        } finally {
            ended = true;
        }
    }

    private void runPhase() {
        try {
            Map<String, Long> copied = copiedEverywhere();
            Map<String, CopyProgress> progress = new LinkedHashMap<>();
            for (String table : spec.tables()) {
                boolean done = copied.containsKey(table);
                progress.put(table, done ? CopyProgress.COPIED : CopyProgress.NOT_STARTED);
                tableStates.put(table, done ? WorkflowStore.COPIED : "not_started");
            }
            for (ShardPipeline pipeline : pipelines) {
                pipeline.prepare();
            }
            List<List<String>> pending = units.stream()
                    .filter(u -> u.stream().anyMatch(t -> progress.get(t) instanceof CopyProgress.NotStarted))
                    .toList();
            int parallelism = spec.options().copyParallelism();
            for (int i = 0; i < pending.size(); ) {
                List<List<String>> batch = pending.subList(i, Math.min(pending.size(), i + parallelism));
                if (halted) {
                    return;
                }
                if (copyBatch(batch, progress)) {
                    i += batch.size();
                } else {
                    parallelism = 1; // snapshots not ordered: copy this batch again, one unit at a time
                }
            }
            if (halted) {
                return;
            }
            onCopied.run();
            if (spec.options().stopAfterCopy() && !pending.isEmpty()) {
                // Only right after a copy: START WORKFLOW runs this again with nothing pending, and replicates.
                for (ShardPipeline pipeline : pipelines) {
                    pipeline.setStreamStates(StreamPosition.STOPPED, "copy finished; stop_after_copy is set:"
                            + " START WORKFLOW " + spec.name() + " replicates from here");
                }
                store.setState(spec.name(), StreamPosition.STOPPED, "copy finished (stop_after_copy)",
                        deps.clock().instant());
                log.info("copy finished; stopped because stop_after_copy is set");
                return;
            }
            replicating = true;
            for (ShardPipeline pipeline : pipelines) {
                pipeline.setStreamStates(StreamPosition.RUNNING, "");
                pipeline.startRunning(progress);
            }
            store.setState(spec.name(), StreamPosition.RUNNING, "", deps.clock().instant());
            log.info(pending.isEmpty() ? "replicating" : "copy finished; replicating");
        } catch (Exception e) {
            if (!halted) {
                fail(e);
            }
        }
    }

    /** Tables every source shard has marked copied, with their total rows. */
    private Map<String, Long> copiedEverywhere() throws SQLException {
        Map<String, Long> total = new LinkedHashMap<>();
        Map<String, Integer> shards = new LinkedHashMap<>();
        for (ShardPipeline pipeline : pipelines) {
            store.copiedTables(spec.name(), pipeline.sourceShard()).forEach((table, rows) -> {
                total.merge(table, rows, Long::sum);
                shards.merge(table, 1, Integer::sum);
                pipeline.setRowsCopied(table, rows);
            });
        }
        total.keySet().removeIf(table -> shards.get(table) < pipelines.size());
        return total;
    }

    /**
     * Copies one batch of units from every source shard in parallel, fast-forwards each shard's streams through the
     * snapshots, and marks the tables copied. Returns false, with nothing marked, if a shard's snapshots were not
     * totally ordered.
     */
    private boolean copyBatch(List<List<String>> batch, Map<String, CopyProgress> progress) throws Exception {
        List<String> tables = batch.stream().flatMap(List::stream).toList();
        for (ShardPipeline pipeline : pipelines) {
            pipeline.setStreamStates(StreamPosition.COPYING, "copying " + String.join(", ", tables));
        }
        tables.forEach(t -> tableStates.put(t, "copying"));
        long started = System.nanoTime();
        log.info("copying " + String.join(", ", tables) + (batch.size() > 1 ? " (" + batch.size() + " at a time)" : "")
                + " from " + pipelines.size() + " source shard(s)");
        store.unmarkCopied(spec.name(), tables);
        List<TargetShard> targets = pipelines.get(0).endpoints().targets();
        List<TargetSchema.TableDefinition> definitions = recreate(tables, targets);

        // snapshots.get(p).get(u): source shard p's snapshot of unit u
        List<List<String>> snapshots = copyEverywhere(batch);
        for (TargetSchema.TableDefinition definition : definitions) {
            TargetSchema.addDeferredKeys(definition, targets);
        }
        for (int p = 0; p < pipelines.size(); p++) {
            List<Integer> order = ordered(snapshots.get(p));
            if (order == null) {
                LOG.warn("workflow {}: snapshots {} of source shard {} are not ordered; copying again one table"
                        + " at a time", spec.name(), snapshots.get(p), pipelines.get(p).sourceShard());
                return false;
            }
            Map<String, CopyProgress> shardProgress = new LinkedHashMap<>(progress);
            for (int u : order) {
                pipelines.get(p).fastForward(shardProgress, snapshots.get(p).get(u));
                batch.get(u).forEach(t -> shardProgress.put(t, CopyProgress.COPIED));
            }
        }
        for (ShardPipeline pipeline : pipelines) {
            for (String table : tables) {
                store.markCopied(spec.name(), pipeline.sourceShard(), table, pipeline.rowsCopied(table));
            }
        }
        List<String> counts = new ArrayList<>();
        for (String table : tables) {
            progress.put(table, CopyProgress.COPIED);
            tableStates.put(table, WorkflowStore.COPIED);
            counts.add(table + " (" + rowsCopied(table) + " rows)");
        }
        log.info("copied " + String.join(", ", counts) + " in " + (System.nanoTime() - started) / 1_000_000 + " ms");
        return true;
    }

    /** Drops what a previous attempt left of {@code tables} on the targets and creates them again, empty. */
    private List<TargetSchema.TableDefinition> recreate(List<String> tables, List<TargetShard> targets)
            throws SQLException {
        for (TargetShard target : targets) {
            try (Connection connection = target.connector().open(); Statement statement = connection.createStatement()) {
                statement.execute("SET SESSION foreign_key_checks = 0"); // a related table may still reference it
                for (String table : tables) {
                    statement.execute("DROP TABLE IF EXISTS `" + target.database() + "`.`" + table + "`");
                    for (ShardPipeline pipeline : pipelines) {
                        CopyStateTable.delete(connection, new StreamKey(spec.name(), pipeline.sourceShard(),
                                target.name()), table);
                    }
                }
            }
        }
        List<TargetSchema.TableDefinition> definitions = new ArrayList<>();
        ShardPipeline.Endpoints first = pipelines.get(0).endpoints();
        for (String table : tables) {
            boolean defer = spec.deferSecondaryKeys() && !foreignKeyTables.contains(table);
            definitions.add(TargetSchema.createLike(first.source(), first.sourceDatabase(), targets,
                    table, defer));
        }
        return definitions;
    }

    /** Runs every (source shard, unit) copy at once, each on its own thread and source connection. */
    private List<List<String>> copyEverywhere(List<List<String>> batch) throws Exception {
        ExecutorService copiers = Executors.newFixedThreadPool(pipelines.size() * batch.size(),
                deps.streamThreads());
        try {
            List<List<Future<String>>> futures = new ArrayList<>();
            for (ShardPipeline pipeline : pipelines) {
                List<Future<String>> shard = new ArrayList<>();
                for (List<String> unit : batch) {
                    shard.add(copiers.submit(() -> pipeline.copy(unit)));
                }
                futures.add(shard);
            }
            List<List<String>> snapshots = new ArrayList<>();
            Exception failure = null;
            for (List<Future<String>> shard : futures) {
                List<String> positions = new ArrayList<>();
                for (Future<String> future : shard) {
                    try {
                        positions.add(future.get());
                    } catch (java.util.concurrent.ExecutionException e) {
                        if (failure == null) {
                            failure = e.getCause() instanceof Exception cause ? cause : e;
                        }
                    }
                }
                snapshots.add(positions);
            }
            if (failure != null) {
                throw failure;
            }
            return snapshots;
        } finally {
            copiers.shutdownNow();
        }
    }

    /**
     * The indexes of {@code positions} from earliest to latest, or null if two are not comparable (one is ahead in
     * one domain and behind in another; for MySQL, neither set contains the other).
     */
    static List<Integer> ordered(List<String> positions) {
        List<Integer> order = new ArrayList<>();
        for (int i = 0; i < positions.size(); i++) {
            order.add(i);
        }
        for (int i = 0; i < positions.size(); i++) {
            for (int j = i + 1; j < positions.size(); j++) {
                if (!GtidPositions.atOrBefore(positions.get(i), positions.get(j))
                        && !GtidPositions.atOrBefore(positions.get(j), positions.get(i))) {
                    return null;
                }
            }
        }
        order.sort((a, b) -> GtidPositions.same(positions.get(a), positions.get(b)) ? 0
                : GtidPositions.atOrBefore(positions.get(a), positions.get(b)) ? -1 : 1);
        return order;
    }

    private void fail(Exception e) {
        LOG.error("workflow {} failed: {}", spec.name(), e.getMessage(), e);
        halt(false);
        replicating = false;
        String message = e instanceof ShardPipeline.StreamFailedException ? e.getMessage()
                : e.getClass().getSimpleName() + ": " + e.getMessage();
        log.error(message);
        pipelines.forEach(p -> p.setStreamStatesQuietly(StreamPosition.ERROR, message));
        try {
            store.setState(spec.name(), StreamPosition.ERROR, message, deps.clock().instant());
        } catch (SQLException ex) {
            LOG.warn("recording the failure of workflow {} failed: {}", spec.name(), ex.getMessage());
        }
    }
}
