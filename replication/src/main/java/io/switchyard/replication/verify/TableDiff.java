package io.switchyard.replication.verify;

import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Compares one table between a source and a target keyspace, each possibly sharded (VDiff).
 *
 * <p>Every shard of each side is read in key order from the snapshot its connection holds ({@link ShardCursor}), the
 * shards of a side are merged into one ordered stream ({@link MergedStream}), and the two streams are merge-compared:
 * <ul>
 *   <li>source key before target key: the row is missing on the target ("extra on source");
 *   <li>target key before source key: the target has a row the source does not ("extra on target");
 *   <li>equal keys: the rows are compared column by column ({@link RowComparer}), match or mismatch;
 *   <li>when one side ends, the rest of the other side is extra.
 * </ul>
 * Keys are ordered by the server's own collation weights, so a {@code utf8mb4_general_ci} key with {@code 'a'} and
 * {@code 'B'} pairs up the same way on every shard. Memory holds one page per shard, whatever the table's size.
 *
 * <p>Text equal under its column's collation counts as matching, as in Vitess's VDiff, and is counted in
 * {@link VerifyReport#matchingUnderCollation()}: the database cannot tell such values apart either, but a collation can
 * hide real changes (every emoji weighs the same under {@code utf8mb4_general_ci}).
 * {@link DiffOptions.TextComparison#EXACT} reports them as mismatches instead. Everything else compares exactly;
 * see {@link RowComparer}.
 *
 * <p>Which snapshots to compare is the caller's business: for a meaningful result they must reflect the same point in
 * the replication stream (the target's streams stopped at a position the source snapshots are taken at).
 */
public final class TableDiff {
    private final DiffOptions options;
    private final Clock clock;

    public TableDiff(DiffOptions options, Clock clock) {
        this.options = Objects.requireNonNull(options, "options");
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    /**
     * Compares {@code table} on every source shard with {@code table} on every target shard.
     *
     * <p>Sets each connection's session time zone to UTC (TIMESTAMP values compare as printed), which does not
     * affect the open snapshots.
     *
     * @param sources at least one source shard, each in a consistent snapshot
     * @param targets at least one target shard, each in a consistent snapshot
     * @throws VerifyException if the table is missing, has no usable key, or its schemas differ between shards
     * @throws SQLException    if a server fails; the message names the shard and the statement
     */
    public VerifyReport diff(List<DiffSide> sources, List<DiffSide> targets, String table) throws SQLException {
        return diff(sources, targets, table, null);
    }

    /**
     * Like {@link #diff(List, List, String)}, and also checks that every target row is on the target shard that owns
     * it under {@code placement}; each target shard's name must be its key range.
     *
     * @param placement the target's sharding column and vindex, {@code null} to skip the check
     */
    public VerifyReport diff(List<DiffSide> sources, List<DiffSide> targets, String table, Placement placement)
            throws SQLException {
        if (sources.isEmpty() || targets.isEmpty()) {
            throw new IllegalArgumentException("a diff needs at least one source and one target shard, had "
                    + sources.size() + " and " + targets.size());
        }
        Instant started = clock.instant();
        DiffTable shape = DiffTable.load(sources.get(0).connection(), sources.get(0).database(), table,
                "source " + sources.get(0).shard());
        List<ShardCursor> sourceCursors = cursors(shape, sources, "source");
        List<ShardCursor> targetCursors = cursors(shape, targets, "target");
        Tally tally = new Tally(shape, options.sampleLimit());
        PlacementCheck placed = placement == null ? null : new PlacementCheck(shape, targets, placement);
        try (RowComparer comparer = new RowComparer(shape, sources.get(0).connection(), options.textComparison())) {
            MergedStream source = new MergedStream(sourceCursors);
            MergedStream target = new MergedStream(targetCursors);
            Row s = source.next();
            Row t = placed(target.next(), placed, tally);
            while (s != null || t != null) {
                int order = s == null ? 1 : t == null ? -1 : KeyOrder.INSTANCE.compare(s.ordering(), t.ordering());
                if (order < 0) {
                    tally.extraSource(s);
                    s = source.next();
                } else if (order > 0) {
                    tally.extraTarget(t);
                    t = placed(target.next(), placed, tally);
                } else {
                    tally.compared(s, comparer.compare(s, t));
                    s = source.next();
                    t = placed(target.next(), placed, tally);
                }
                if ((tally.processed & 0x3FF) == 0 && Thread.currentThread().isInterrupted()) {
                    throw new VerifyException("the diff of " + table + " was interrupted after " + tally.processed
                            + " rows");
                }
            }
        }
        return tally.report(table, started, clock.instant());
    }

    private static Row placed(Row row, PlacementCheck check, Tally tally) {
        if (row != null && check != null && !check.owns(row)) {
            tally.misplaced(check.shardName(row), row);
        }
        return row;
    }

    private List<ShardCursor> cursors(DiffTable shape, List<DiffSide> sides, String kind) throws SQLException {
        List<ShardCursor> cursors = new ArrayList<>(sides.size());
        for (int i = 0; i < sides.size(); i++) {
            DiffSide side = sides.get(i);
            String label = kind + " " + side.shard();
            shape.requireComparable(DiffTable.load(side.connection(), side.database(), shape.name(), label), label);
            try (Statement statement = side.connection().createStatement()) {
                statement.execute("SET SESSION time_zone = '+00:00'");
            }
            cursors.add(new ShardCursor(shape, side.connection(), side.database(), label, i, options.pageSize()));
        }
        return cursors;
    }

    /** Counts and samples of one diff; not thread-safe, one per diff. */
    private static final class Tally {
        private final DiffTable table;
        private final int sampleLimit;
        private long processed;
        private long matching;
        private long matchingUnderCollation;
        private long mismatched;
        private long extraSource;
        private long extraTarget;
        private long misplacedTarget;
        private final List<String> mismatchedSamples = new ArrayList<>();
        private final List<String> extraSourceSamples = new ArrayList<>();
        private final List<String> extraTargetSamples = new ArrayList<>();
        private final List<String> misplacedSamples = new ArrayList<>();
        private final Map<String, Long> mismatchedColumns = new LinkedHashMap<>();

        Tally(DiffTable table, int sampleLimit) {
            this.table = table;
            this.sampleLimit = sampleLimit;
        }

        void extraSource(Row row) {
            processed++;
            extraSource++;
            sample(extraSourceSamples, row);
        }

        void extraTarget(Row row) {
            processed++;
            extraTarget++;
            sample(extraTargetSamples, row);
        }

        void misplaced(String shard, Row row) {
            misplacedTarget++;
            if (misplacedSamples.size() < sampleLimit) {
                misplacedSamples.add(shard + ": " + Samples.keyJson(table, row));
            }
        }

        void compared(Row row, RowComparer.Comparison comparison) {
            processed++;
            if (comparison.differing().isEmpty()) {
                matching++;
                if (comparison.collationOnly()) {
                    matchingUnderCollation++;
                }
                return;
            }
            mismatched++;
            sample(mismatchedSamples, row);
            for (int column : comparison.differing()) {
                mismatchedColumns.merge(table.columns().get(column).name(), 1L, Long::sum);
            }
        }

        private void sample(List<String> samples, Row row) {
            if (samples.size() < sampleLimit) {
                samples.add(Samples.keyJson(table, row));
            }
        }

        VerifyReport report(String name, Instant started, Instant finished) {
            return new VerifyReport(name, processed, matching, matchingUnderCollation, mismatched, extraSource,
                    extraTarget, misplacedTarget, mismatchedSamples, extraSourceSamples, extraTargetSamples,
                    misplacedSamples, mismatchedColumns, started, finished);
        }
    }
}
