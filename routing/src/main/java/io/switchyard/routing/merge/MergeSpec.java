package io.switchyard.routing.merge;

import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * What the merger must do with the rows several shards returned for one query, so that the client sees what one
 * unsharded table would have returned. The planner writes it together with the per-shard SQL it describes: that SQL
 * may ask each shard for helper columns (an ORDER BY key that is not selected, the COUNT that turns a SUM into an
 * AVG), always appended after the client's columns, and the merger drops them.
 *
 * <p>Steps, in order: group and aggregate (when {@link #grouped()}), sort, remove duplicates ({@link #distinct()}),
 * skip {@link #offset()} rows, keep {@link #limit()} rows, drop the {@link #hiddenColumns()} trailing helpers.
 *
 * @param aggregates the aggregate columns; in a grouped merge every other column is a group key or takes the first
 *     row's value, as MySQL does for a column that is neither grouped nor aggregated
 * @param groupBy the group-key columns; empty with aggregates means one group over all rows
 * @param grouped whether rows from different shards are combined into groups (aggregates or GROUP BY present and the
 *     groups may span shards)
 * @param distinct whether duplicate rows (over the visible columns) are removed
 * @param orderBy the sort keys, most significant first; empty keeps shard order (or group-key order when grouped)
 * @param offset rows to skip after sorting
 * @param limit rows to keep after the offset, or {@link #NO_LIMIT}
 * @param hiddenColumns how many trailing columns are helpers the client must not see
 */
public record MergeSpec(List<Aggregate> aggregates, List<ColumnRef> groupBy, boolean grouped, boolean distinct,
                        List<SortKey> orderBy, long offset, long limit, int hiddenColumns) {

    public static final long NO_LIMIT = -1;

    /** Concatenate shard results in shard order; also what DML and DDL plans carry (they return no rows). */
    public static final MergeSpec CONCAT = new MergeSpec(List.of(), List.of(), false, false, List.of(), 0, NO_LIMIT, 0);

    public MergeSpec {
        aggregates = List.copyOf(aggregates);
        groupBy = List.copyOf(groupBy);
        orderBy = List.copyOf(orderBy);
        if (offset < 0) {
            throw new IllegalArgumentException("offset was " + offset + "; it must be at least 0");
        }
        if (limit < NO_LIMIT) {
            throw new IllegalArgumentException("limit was " + limit + "; it must be at least 0, or NO_LIMIT");
        }
        if (hiddenColumns < 0) {
            throw new IllegalArgumentException("hiddenColumns was " + hiddenColumns);
        }
        if (!grouped && (!aggregates.isEmpty() || !groupBy.isEmpty())) {
            throw new IllegalArgumentException("aggregates and groupBy need grouped = true");
        }
    }

    /** The same spec with another offset and limit; the planner fills them in when the query binds its values. */
    public MergeSpec withLimit(long newOffset, long newLimit) {
        return new MergeSpec(aggregates, groupBy, grouped, distinct, orderBy, newOffset, newLimit, hiddenColumns);
    }

    /** Whether the merge is a plain concatenation, so the executor may stream rows without buffering. */
    public boolean isConcatenation() {
        return !grouped && !distinct && orderBy.isEmpty() && offset == 0 && limit == NO_LIMIT && hiddenColumns == 0;
    }

    /**
     * The visible columns that hold an AVG. Shards send them as a SUM, whose column definition has 4 fewer decimals
     * than MySQL gives an AVG (div_precision_increment); the executor adds 4 to the definition's decimals.
     */
    public List<ColumnRef> averageColumns() {
        return aggregates.stream().filter(a -> a.function() == AggregateFunction.AVG).map(Aggregate::column).toList();
    }

    /**
     * A result column. Planners know a column's position from the start of the row unless a {@code *} comes before
     * it, whose width only the result tells; such columns are counted from the end instead.
     *
     * @param position 0-based from the start, or 1-based from the end when {@code fromEnd} (1 is the last column)
     */
    public record ColumnRef(int position, boolean fromEnd) {

        public ColumnRef {
            if (fromEnd ? position < 1 : position < 0) {
                throw new IllegalArgumentException("position was " + position + " (fromEnd=" + fromEnd + ")");
            }
        }

        public static ColumnRef at(int index) {
            return new ColumnRef(index, false);
        }

        public static ColumnRef fromEnd(int position) {
            return new ColumnRef(position, true);
        }

        /** The 0-based index in a row of {@code columnCount} columns. */
        public int index(int columnCount) {
            int index = fromEnd ? columnCount - position : position;
            if (index < 0 || index >= columnCount) {
                throw new MergeException("the merge refers to column " + this + " but the shards returned "
                        + columnCount + " columns");
            }
            return index;
        }

        @Override
        public String toString() {
            return fromEnd ? "#-" + position : "#" + position;
        }
    }

    /** The aggregates whose per-shard results combine exactly. */
    public enum AggregateFunction {
        /** Sum of the shards' counts. */
        COUNT,
        /** Sum of the shards' sums; NULL when every shard had NULL. */
        SUM,
        MIN,
        MAX,
        /** Shards return SUM in the column and COUNT in a hidden helper column; the merge divides. */
        AVG
    }

    /**
     * An aggregate column.
     *
     * @param count for {@link AggregateFunction#AVG} only: the hidden column holding each shard's COUNT
     */
    public record Aggregate(ColumnRef column, AggregateFunction function, Optional<ColumnRef> count) {

        public Aggregate {
            Objects.requireNonNull(column, "column");
            Objects.requireNonNull(function, "function");
            Objects.requireNonNull(count, "count");
            if ((function == AggregateFunction.AVG) != count.isPresent()) {
                throw new IllegalArgumentException("AVG needs a count column, and only AVG has one");
            }
        }

        public static Aggregate of(ColumnRef column, AggregateFunction function) {
            return new Aggregate(column, function, Optional.empty());
        }

        public static Aggregate average(ColumnRef sum, ColumnRef count) {
            return new Aggregate(sum, AggregateFunction.AVG, Optional.of(count));
        }
    }

    /** One ORDER BY key; NULL sorts first ascending and last descending, as in MySQL. */
    public record SortKey(ColumnRef column, boolean descending) {

        public SortKey {
            Objects.requireNonNull(column, "column");
        }
    }
}
