package io.switchyard.replication.apply;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * One table's row changes on one target that are not yet sent, grouped so that each kind goes out as few statements
 * as possible: a multi-row INSERT, a DELETE of many keys, a pipelined batch of UPDATEs.
 *
 * <p>Changes are kept in <em>segments</em>. Within a segment the deletes run first, then the updates in source
 * order, then the inserts in source order; segments run in order. A change joins the last segment only when running
 * it in its kind's place gives the same result as source order, judged by primary key:
 * <ul>
 *   <li>an INSERT always joins: anything before it on the same key (a delete, an update) still runs before it; two
 *       inserts of one key without a delete between fail with a duplicate key either way;</li>
 *   <li>an UPDATE joins unless the segment inserts that key (the update must see the inserted row);</li>
 *   <li>a DELETE joins unless the segment inserts or updates that key (it would run before them).</li>
 * </ul>
 * Changes to different keys commute, secondary unique keys included: running deletes earlier only frees values
 * sooner, and an insert or update that took a value the source had just freed finds it freed here too, because the
 * freeing delete or update runs before it.
 *
 * <p>Key equality must be the server's, or two spellings of one key ({@code 'a'} and {@code 'A'} under a
 * case-insensitive collation) would be reordered. Java reproduces it only for integers and decimals; any other key
 * column (text, binary, temporal, float) makes every key of the table compare equal, which keeps source order at
 * the price of smaller statements.
 *
 * <p>Stream thread only, like {@link RowApplier}.
 */
final class TableChanges {
    /** Stands for a key part Java cannot compare as the server does: equal to every other. */
    private static final Object ANY = new Object() {
        @Override
        public String toString() {
            return "ANY";
        }
    };
    private static final int INSERTED = 1;
    private static final int UPDATED = 2;

    private final TablePlan plan;
    private final List<Segment> segments = new ArrayList<>();
    private int size;
    private long bytes;

    TableChanges(TablePlan plan) {
        this.plan = plan;
    }

    TablePlan plan() {
        return plan;
    }

    /** Changes held. */
    int size() {
        return size;
    }

    /** A rough size of the values held, to bound memory. */
    long bytes() {
        return bytes;
    }

    void insert(Object[] row) {
        Segment segment = last();
        segment.inserts.add(row);
        segment.mark(key(row), INSERTED);
        added(row);
    }

    void update(Object[] before, Object[] after) {
        Object key = key(before);
        Segment segment = last();
        if (segment.has(key, INSERTED)) {
            segment = next();
        }
        segment.updateBefore.add(before);
        segment.updateAfter.add(after);
        segment.mark(key, UPDATED);
        added(after);
    }

    void delete(Object[] row) {
        Object key = key(row);
        Segment segment = last();
        if (segment.has(key, INSERTED | UPDATED)) {
            segment = next();
        }
        segment.deletes.add(row);
        added(row);
    }

    /**
     * Sends every held change to the target, in the target's open transaction, and forgets them.
     *
     * @return rows the statements affected
     * @throws TablePlan.DuplicateRowException when an insert hits an existing key
     */
    long execute(Connection target) throws SQLException {
        long rows = 0;
        for (Segment segment : segments) {
            rows += plan.deleteRows(target, segment.deletes);
            rows += plan.updateRows(target, segment.updateBefore, segment.updateAfter);
            rows += plan.insertRows(target, segment.inserts);
        }
        segments.clear();
        size = 0;
        bytes = 0;
        return rows;
    }

    private void added(Object[] row) {
        size++;
        bytes += TablePlan.estimatedBytes(row);
    }

    private Segment last() {
        return segments.isEmpty() ? next() : segments.get(segments.size() - 1);
    }

    private Segment next() {
        Segment segment = new Segment();
        segments.add(segment);
        return segment;
    }

    /** The primary key of a row in target order, with value equality exactly where the server's is reproduced. */
    private Object key(Object[] row) {
        List<Integer> columns = plan.primaryKey();
        Object[] parts = new Object[columns.size()];
        for (int i = 0; i < parts.length; i++) {
            parts[i] = keyPart(row[columns.get(i)]);
            if (parts[i] == ANY) {
                return ANY;
            }
        }
        return parts.length == 1 ? parts[0] : List.of(parts);
    }

    private static Object keyPart(Object value) {
        if (value instanceof Long || value instanceof Integer || value instanceof Short || value instanceof Byte) {
            return ((Number) value).longValue();
        }
        if (value instanceof BigInteger number) {
            return number.bitLength() < 64 ? (Object) number.longValueExact() : number;
        }
        if (value instanceof BigDecimal number) {
            return number.signum() == 0 ? BigDecimal.ZERO : number.stripTrailingZeros();
        }
        return ANY;
    }

    private static final class Segment {
        final List<Object[]> deletes = new ArrayList<>();
        final List<Object[]> updateBefore = new ArrayList<>();
        final List<Object[]> updateAfter = new ArrayList<>();
        final List<Object[]> inserts = new ArrayList<>();
        /** INSERTED and UPDATED bits per key. */
        final Map<Object, Integer> marks = new HashMap<>();

        boolean has(Object key, int bits) {
            return (marks.getOrDefault(key, 0) & bits) != 0;
        }

        void mark(Object key, int bit) {
            marks.merge(key, bit, (a, b) -> a | b);
        }
    }
}
