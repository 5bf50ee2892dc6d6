package io.switchyard.routing.merge;

import io.switchyard.routing.merge.MergeSpec.Aggregate;
import io.switchyard.routing.merge.MergeSpec.AggregateFunction;
import io.switchyard.routing.merge.MergeSpec.SortKey;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import java.util.PriorityQueue;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * Merges the rows several shards returned for one scatter query, following a {@link MergeSpec}.
 *
 * <p>Each shard's rows arrive in the order the shard sorted them (the per-shard SQL keeps the ORDER BY), so an
 * ordered merge without grouping is a k-way merge that stops once it has {@code offset + limit} rows. Grouped merges
 * combine all rows into groups first and then sort, because the per-shard order of partial groups says nothing about
 * the order of the merged ones.
 *
 * <p>Stateless: {@link #merge} only reads its arguments and returns new lists, so one call never sees another's data.
 */
public final class ResultMerger {

    private ResultMerger() {
    }

    /**
     * Merges per-shard rows.
     *
     * @param spec what to do, from the plan
     * @param kinds the kind of every column the shards returned, hidden helpers included (see {@link ColumnKind#of})
     * @param shardRows one list of rows a shard, in any fixed shard order; a row is one {@code byte[]} a column,
     *     {@code null} for NULL
     * @return the merged rows without the hidden helper columns; the cells are the shards' arrays, not copies
     * @throws MergeException if the rows do not fit the spec or cannot be compared or added as it asks
     */
    public static List<List<byte[]>> merge(MergeSpec spec, List<ColumnKind> kinds,
                                           List<List<List<byte[]>>> shardRows) {
        Objects.requireNonNull(spec, "spec");
        List<ColumnKind> columnKinds = List.copyOf(kinds);
        int columns = columnKinds.size();
        int visible = columns - spec.hiddenColumns();
        if (visible < 0) {
            throw new MergeException("the merge hides " + spec.hiddenColumns() + " columns but the shards returned "
                    + columns);
        }
        for (List<List<byte[]>> rows : shardRows) {
            for (List<byte[]> row : rows) {
                if (row.size() != columns) {
                    throw new MergeException("a shard returned a row of " + row.size() + " columns; expected "
                            + columns);
                }
            }
        }
        Comparator<List<byte[]>> order = ordering(spec.orderBy(), columnKinds);
        List<List<byte[]>> rows;
        if (spec.grouped()) {
            rows = new Grouping(spec, columnKinds).apply(shardRows);
            if (order != null) {
                rows.sort(order);
            }
        } else if (order != null) {
            boolean canStop = spec.limit() != MergeSpec.NO_LIMIT && !spec.distinct();
            rows = mergeSorted(shardRows, order, canStop ? spec.offset() + spec.limit() : Long.MAX_VALUE);
        } else {
            rows = new ArrayList<>();
            shardRows.forEach(rows::addAll);
        }
        if (spec.distinct()) {
            rows = distinct(rows, columnKinds, visible);
        }
        return window(rows, spec.offset(), spec.limit(), visible);
    }

    /** A k-way merge of sorted lists, stable by shard order, that stops after {@code wanted} rows. */
    private static List<List<byte[]>> mergeSorted(List<List<List<byte[]>>> shardRows,
                                                  Comparator<List<byte[]>> order, long wanted) {
        record Cursor(List<List<byte[]>> rows, int shard, int next) {
            List<byte[]> row() {
                return rows.get(next);
            }
        }
        Comparator<Cursor> byRow = Comparator.comparing(Cursor::row, order);
        PriorityQueue<Cursor> queue = new PriorityQueue<>(byRow.thenComparingInt(Cursor::shard));
        for (int shard = 0; shard < shardRows.size(); shard++) {
            if (!shardRows.get(shard).isEmpty()) {
                queue.add(new Cursor(shardRows.get(shard), shard, 0));
            }
        }
        List<List<byte[]>> merged = new ArrayList<>();
        while (!queue.isEmpty() && merged.size() < wanted) {
            Cursor cursor = queue.poll();
            merged.add(cursor.row());
            if (cursor.next() + 1 < cursor.rows().size()) {
                queue.add(new Cursor(cursor.rows(), cursor.shard(), cursor.next() + 1));
            }
        }
        return merged;
    }

    /** The ORDER BY comparator, or {@code null} without sort keys. */
    private static Comparator<List<byte[]>> ordering(List<SortKey> keys, List<ColumnKind> kinds) {
        if (keys.isEmpty()) {
            return null;
        }
        int columns = kinds.size();
        int[] indexes = keys.stream().mapToInt(k -> k.column().index(columns)).toArray();
        return (a, b) -> {
            for (int i = 0; i < indexes.length; i++) {
                int index = indexes[i];
                int c = Cells.compare(kinds.get(index), a.get(index), b.get(index));
                if (c != 0) {
                    return keys.get(i).descending() ? -c : c;
                }
            }
            return 0;
        };
    }

    /** Keeps the first of each set of equal rows, comparing visible columns as GROUP BY would. */
    private static List<List<byte[]>> distinct(List<List<byte[]>> rows, List<ColumnKind> kinds, int visible) {
        TreeSet<List<byte[]>> seen = new TreeSet<>(equality(kinds, visible));
        List<List<byte[]>> kept = new ArrayList<>();
        for (List<byte[]> row : rows) {
            if (seen.add(row)) {
                kept.add(row);
            }
        }
        return kept;
    }

    static Comparator<List<byte[]>> equality(List<ColumnKind> kinds, int[] indexes) {
        return (a, b) -> {
            for (int index : indexes) {
                int c = Cells.compareForEquality(kinds.get(index), a.get(index), b.get(index));
                if (c != 0) {
                    return c;
                }
            }
            return 0;
        };
    }

    private static Comparator<List<byte[]>> equality(List<ColumnKind> kinds, int visible) {
        int[] indexes = new int[visible];
        Arrays.setAll(indexes, i -> i);
        return equality(kinds, indexes);
    }

    private static List<List<byte[]>> window(List<List<byte[]>> rows, long offset, long limit, int visible) {
        int from = (int) Math.min(offset, rows.size());
        int to = limit == MergeSpec.NO_LIMIT ? rows.size() : (int) Math.min(rows.size(), from + limit);
        List<List<byte[]>> result = new ArrayList<>(to - from);
        for (List<byte[]> row : rows.subList(from, to)) {
            result.add(Collections.unmodifiableList(Arrays.asList(row.subList(0, visible).toArray(new byte[0][]))));
        }
        return Collections.unmodifiableList(result);
    }

    /** Combines rows with equal group keys; one group over everything when there are no keys. */
    private static final class Grouping {
        private final MergeSpec spec;
        private final List<ColumnKind> kinds;
        private final int[] keyIndexes;

        Grouping(MergeSpec spec, List<ColumnKind> kinds) {
            this.spec = spec;
            this.kinds = kinds;
            this.keyIndexes = spec.groupBy().stream().mapToInt(c -> c.index(kinds.size())).toArray();
        }

        List<List<byte[]>> apply(List<List<List<byte[]>>> shardRows) {
            // Sorted by group key: with no ORDER BY the groups come out in key order, as MariaDB's GROUP BY returns.
            TreeMap<List<byte[]>, byte[][]> groups = new TreeMap<>(equality(kinds, keyIndexes));
            for (List<List<byte[]>> rows : shardRows) {
                for (List<byte[]> row : rows) {
                    byte[][] group = groups.get(row);
                    if (group == null) {
                        groups.put(row, row.toArray(new byte[0][]));
                    } else {
                        accumulate(group, row);
                    }
                }
            }
            List<List<byte[]>> merged = new ArrayList<>(groups.size());
            for (byte[][] group : groups.values()) {
                finish(group);
                merged.add(Arrays.asList(group));
            }
            return merged;
        }

        private void accumulate(byte[][] group, List<byte[]> row) {
            int columns = kinds.size();
            for (Aggregate aggregate : spec.aggregates()) {
                int index = aggregate.column().index(columns);
                ColumnKind kind = kinds.get(index);
                byte[] value = row.get(index);
                group[index] = switch (aggregate.function()) {
                    case COUNT -> Cells.add(ColumnKind.INTEGER, group[index], value);
                    case SUM, AVG -> Cells.add(kind, group[index], value);
                    case MIN -> value != null && (group[index] == null || Cells.compare(kind, value, group[index]) < 0)
                            ? value : group[index];
                    case MAX -> value != null && (group[index] == null || Cells.compare(kind, value, group[index]) > 0)
                            ? value : group[index];
                };
                if (aggregate.function() == AggregateFunction.AVG) {
                    int count = aggregate.count().orElseThrow().index(columns);
                    group[count] = Cells.add(ColumnKind.INTEGER, group[count], row.get(count));
                }
            }
        }

        /** Turns each AVG's running sum into the average; the hidden count column stays for the caller to drop. */
        private void finish(byte[][] group) {
            int columns = kinds.size();
            for (Aggregate aggregate : spec.aggregates()) {
                if (aggregate.function() == AggregateFunction.AVG) {
                    int index = aggregate.column().index(columns);
                    int count = aggregate.count().orElseThrow().index(columns);
                    group[index] = Cells.average(kinds.get(index), group[index], group[count]);
                }
            }
        }
    }
}
