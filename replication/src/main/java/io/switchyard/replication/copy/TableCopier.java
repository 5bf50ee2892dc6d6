package io.switchyard.replication.copy;

import io.switchyard.replication.sidecar.StreamKey;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.sql.Connection;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Copies one table from a consistent snapshot of a MariaDB source to one or more target shards, exactly once.
 *
 * <p>The run: open a lock-free snapshot on the source and read its GTID position ({@link Snapshot}); read the table
 * in primary-key order a page at a time ({@link PageQuery}); route every row to its target ({@link RowRouter}); then
 * on each target, in list order, commit the page's rows together with the page's lastpk in
 * {@code _switchyard.copy_state} ({@link TargetWriter}). Every target records every page's lastpk, also when it
 * received none of its rows, so its lastpk always says how far the source has been read for it.
 *
 * <p>Resuming: a copy whose targets have {@code copy_state} continues after it, in a new snapshot. Because targets
 * commit in list order, the last target's lastpk is never ahead of any other's: reading resumes from there, and rows
 * that an earlier target already committed (a crash between two targets' commits of one page) are flagged by skip
 * columns and not inserted again. Rows the first run copied but that changed since are the binlog catch-up's job,
 * from the first run's snapshot position, as in Vitess.
 *
 * <p>Pipelined: a reader thread reads the next pages (at most {@link CopyOptions#pagesAhead()}) while the targets
 * write the current one, and the targets insert a page at the same time, each on its own thread; only the commits
 * are sequential, in list order. Memory is bounded by a few pages ({@link CopyOptions#maxPageBytes()}).
 *
 * <p>Thread-safe and stateless between calls: each {@link #copy} uses its own connections and threads. Blocking;
 * call it on a copy executor.
 */
public final class TableCopier {
    private static final Logger LOG = LoggerFactory.getLogger(TableCopier.class);
    private static final AtomicLong THREAD_IDS = new AtomicLong();

    private final CopyOptions options;
    private final Clock clock;
    private final ThreadFactory threads;

    /** A copier whose page reader and per-target writers run on daemon threads named {@code copy-*}. */
    public TableCopier(CopyOptions options, Clock clock) {
        this(options, clock, runnable -> {
            Thread thread = new Thread(runnable, "copy-" + THREAD_IDS.incrementAndGet());
            thread.setDaemon(true);
            return thread;
        });
    }

    /** @param threads makes the page reader's thread and the threads that write to the second and later targets */
    public TableCopier(CopyOptions options, Clock clock, ThreadFactory threads) {
        this.options = Objects.requireNonNull(options, "options");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.threads = Objects.requireNonNull(threads, "threads");
    }

    /**
     * Copies, or resumes copying, {@code job}'s table. The target tables must exist (see {@link TargetSchema}).
     *
     * @throws CopyException for any failure, naming table and server; committed batches stay committed, so calling
     *                       again resumes
     */
    public CopyResult copy(CopyJob job) {
        return copyTogether(List.of(job)).get(0);
    }

    /**
     * Copies several tables of one source from a single consistent snapshot, one after the other, so that together
     * they are as of one source position (foreign-key related tables need that: InnoDB does not log cascaded changes
     * to the binlog, so tables copied at different positions could not be reconciled by replaying it). Every job
     * must read the same source server; each result carries the shared snapshot position.
     *
     * @throws CopyException as {@link #copy}
     */
    public List<CopyResult> copyTogether(List<CopyJob> jobs) {
        if (jobs.isEmpty()) {
            return List.of();
        }
        CopyJob first = jobs.get(0);
        List<CopyResult> results = new ArrayList<>();
        String snapshot = null;
        try (Connection source = first.source().open()) {
            for (CopyJob job : jobs) {
                Instant start = clock.instant();
                SourceTable table = SourceTable.load(source, job.sourceDatabase(), job.table());
                List<TargetWriter> writers = new ArrayList<>();
                try {
                    for (TargetShard target : job.targets()) {
                        StreamKey stream = new StreamKey(job.workflow(), job.sourceShard(), target.name());
                        writers.add(TargetWriter.open(target, stream, table, options.maxStatementBytes()));
                    }
                    if (snapshot == null) {
                        snapshot = Snapshot.start(source, first.source(), jobs.stream().map(j ->
                                SourceTable.quote(j.sourceDatabase()) + "." + SourceTable.quote(j.table())).toList());
                    }
                    results.add(run(job, table, source, writers, snapshot, start));
                } finally {
                    closeAll(writers); // closing the source connection then ends the read-only snapshot
                }
            }
            return results;
        } catch (SQLException e) {
            CopyJob failed = jobs.get(Math.min(results.size(), jobs.size() - 1));
            throw new CopyException("copying " + failed.sourceDatabase() + "." + failed.table() + " for workflow "
                    + failed.workflow() + " failed: " + e.getMessage(), e);
        }
    }

    private CopyResult run(CopyJob job, SourceTable table, Connection source, List<TargetWriter> writers,
                           String gtid, Instant start) throws SQLException {
        List<Optional<LastPk>> saved = new ArrayList<>();
        for (TargetWriter writer : writers) {
            saved.add(writer.savedLastPk());
        }
        Optional<LastPk> resumeFrom = saved.get(saved.size() - 1);
        // Targets ahead of the resume point, and the lastpk each already has.
        List<Integer> skipping = new ArrayList<>();
        List<LastPk> thresholds = new ArrayList<>();
        for (int i = 0; i < saved.size(); i++) {
            Optional<LastPk> own = saved.get(i);
            if (resumeFrom.isPresent() && own.isEmpty()) {
                throw new CopyException("copy_state of " + table.name() + " is missing on target "
                        + writers.get(i).shardName() + " but present on " + writers.get(writers.size() - 1).shardName()
                        + ": resume with the same target shards, in the same order, as the first run");
            }
            if (own.isPresent() && !own.equals(resumeFrom)) {
                skipping.add(i);
                thresholds.add(own.get());
            }
        }
        LOG.info("copying {}.{} to {} from snapshot {}{}", table.database(), table.name(),
                job.targets().stream().map(TargetShard::name).toList(), gtid,
                resumeFrom.map(pk -> ", resuming after " + pk).orElse(""));

        PageQuery query = new PageQuery(table, options.batchRows(), thresholds, options.maxPageBytes());
        Optional<LastPk> lastPk = resumeFrom;
        long copied = 0;
        ExecutorService parallel = writers.size() > 1 ? Executors.newFixedThreadPool(writers.size() - 1, threads)
                : null;
        try (PageReader reader = PageReader.start(table, source, query, resumeFrom, options.pagesAhead(), threads)) {
            for (long batch = 1; ; batch++) {
                PageReader.Item item = reader.take();
                if (item instanceof PageReader.Failed failed) {
                    if (failed.failure() instanceof SQLException e) {
                        throw e;
                    }
                    throw (RuntimeException) failed.failure();
                }
                if (!(item instanceof PageReader.Next next)) {
                    break;
                }
                List<List<Object[]>> routed = route(job, table, next.page(), skipping, writers.size());
                insertEverywhere(writers, routed, parallel);
                // Commit in list order, so that the last target's lastpk is never ahead of another's.
                for (int i = 0; i < writers.size(); i++) {
                    writers.get(i).commit(next.end());
                    copied += routed.get(i).size();
                    job.listener().committed(new BatchListener.BatchCommit(batch, writers.get(i).shardName(),
                            routed.get(i).size(), next.end()));
                }
                lastPk = Optional.of(next.end());
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new CopyException("copy of " + table.name() + " interrupted", e);
        } finally {
            if (parallel != null) {
                parallel.shutdownNow();
            }
        }
        Duration elapsed = Duration.between(start, clock.instant());
        CopyResult result = new CopyResult(copied, gtid, lastPk, elapsed);
        LOG.info("copied {} rows of {}.{} in {} ms ({} rows/s)", copied, table.database(), table.name(),
                elapsed.toMillis(), Math.round(result.rowsPerSecond()));
        return result;
    }

    /**
     * Inserts each target's rows of a page without committing: the first target's on this thread, the others' at the
     * same time on {@code parallel}, so that target servers work side by side. Waits for all of them.
     */
    private static void insertEverywhere(List<TargetWriter> writers, List<List<Object[]>> routed,
                                         ExecutorService parallel) throws SQLException, InterruptedException {
        List<Future<?>> others = new ArrayList<>();
        for (int i = 1; i < writers.size(); i++) {
            TargetWriter writer = writers.get(i);
            List<Object[]> rows = routed.get(i);
            others.add(parallel.submit(() -> {
                writer.insert(rows);
                return null;
            }));
        }
        SQLException failure = null;
        try {
            writers.get(0).insert(routed.get(0));
        } catch (SQLException e) {
            failure = e;
        }
        for (Future<?> other : others) {
            try {
                other.get(); // wait for every writer, failed or not, before the connections may be closed
            } catch (ExecutionException e) {
                SQLException cause = e.getCause() instanceof SQLException sql ? sql
                        : new SQLException(String.valueOf(e.getCause().getMessage()), e.getCause());
                if (failure == null) {
                    failure = cause;
                } else {
                    failure.addSuppressed(cause);
                }
            }
        }
        if (failure != null) {
            throw failure;
        }
    }

    private static List<List<Object[]>> route(CopyJob job, SourceTable table, PageQuery.Page page,
                                              List<Integer> skipping, int targets) {
        List<List<Object[]>> routed = new ArrayList<>(targets);
        for (int i = 0; i < targets; i++) {
            routed.add(new ArrayList<>());
        }
        for (int r = 0; r < page.rows().size(); r++) {
            Object[] row = page.rows().get(r);
            int target = job.router().route(table, Arrays.asList(row));
            if (target == RowRouter.SKIP) {
                continue;
            }
            if (target < 0 || target >= targets) {
                throw new CopyException("the row router sent a row of " + table.name() + " to target " + target
                        + " but the copy has " + targets + " targets");
            }
            int skipColumn = page.skips().isEmpty() ? -1 : skipping.indexOf(target);
            if (skipColumn >= 0 && page.skips().get(r)[skipColumn]) {
                continue; // this target committed the row before the previous run stopped
            }
            routed.get(target).add(row);
        }
        return routed;
    }

    private static void closeAll(List<TargetWriter> writers) {
        for (TargetWriter writer : writers) {
            try {
                writer.close();
            } catch (SQLException e) {
                LOG.warn("closing the connection to target {} failed: {}", writer.shardName(), e.getMessage());
            }
        }
    }
}
