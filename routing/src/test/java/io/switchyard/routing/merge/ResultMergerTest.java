package io.switchyard.routing.merge;

import static io.switchyard.routing.merge.ColumnKind.BINARY;
import static io.switchyard.routing.merge.ColumnKind.DECIMAL;
import static io.switchyard.routing.merge.ColumnKind.ENUM;
import static io.switchyard.routing.merge.ColumnKind.FLOAT;
import static io.switchyard.routing.merge.ColumnKind.INTEGER;
import static io.switchyard.routing.merge.ColumnKind.TEXT;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.switchyard.routing.merge.MergeSpec.Aggregate;
import io.switchyard.routing.merge.MergeSpec.AggregateFunction;
import io.switchyard.routing.merge.MergeSpec.ColumnRef;
import io.switchyard.routing.merge.MergeSpec.SortKey;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Merging per-shard text rows into what one unsharded table returns. */
class ResultMergerTest {

    /** One row from cells as text; {@code null} is SQL NULL. */
    private static List<byte[]> row(String... cells) {
        List<byte[]> row = new ArrayList<>();
        for (String cell : cells) {
            row.add(cell == null ? null : cell.getBytes(StandardCharsets.UTF_8));
        }
        return row;
    }

    @SafeVarargs
    private static List<List<byte[]>> shard(List<byte[]>... rows) {
        return Arrays.asList(rows);
    }

    private static List<List<String>> text(List<List<byte[]>> rows) {
        return rows.stream().map(r -> r.stream().map(c -> c == null ? null
                : new String(c, StandardCharsets.UTF_8)).toList()).toList();
    }

    private static List<List<String>> merge(MergeSpec spec, List<ColumnKind> kinds,
                                            List<List<List<byte[]>>> shards) {
        return text(ResultMerger.merge(spec, kinds, shards));
    }

    private static MergeSpec ordered(long offset, long limit, SortKey... keys) {
        return new MergeSpec(List.of(), List.of(), false, false, List.of(keys), offset, limit, 0);
    }

    private static SortKey asc(int column) {
        return new SortKey(ColumnRef.at(column), false);
    }

    private static SortKey desc(int column) {
        return new SortKey(ColumnRef.at(column), true);
    }

    @Test
    void concatenationKeepsShardOrder() {
        assertEquals(List.of(List.of("1"), List.of("2"), List.of("3")), merge(MergeSpec.CONCAT, List.of(INTEGER),
                List.of(shard(row("1"), row("2")), shard(), shard(row("3")))));
    }

    @Test
    void orderedMergeAppliesTheRealOffsetAndLimit() {
        // Each shard returned offset + limit = 4 rows of its own, sorted.
        var shards = List.of(shard(row("1", "ann"), row("3", "cat"), row("5", "eve"), row("7", "gus")),
                shard(row("2", "bob"), row("4", "dan"), row("6", "fay"), row("8", "hal")));
        assertEquals(List.of(List.of("2", "bob"), List.of("3", "cat"), List.of("4", "dan")),
                merge(ordered(1, 3, asc(1)), List.of(INTEGER, TEXT), shards));
        assertEquals(List.of(List.of("8", "hal"), List.of("7", "gus")),
                merge(ordered(0, 2, desc(0)), List.of(INTEGER, TEXT), List.of(
                        shard(row("7", "gus"), row("5", "eve")), shard(row("8", "hal"), row("6", "fay")))));
        assertEquals(List.of(), merge(ordered(10, 5, asc(0)), List.of(INTEGER, TEXT), shards));
    }

    @Test
    void numbersCompareAsNumbersAndTextIgnoresCaseAndTrailingSpaces() {
        var numbers = List.of(shard(row("9"), row("10")), shard(row("-2"), row("100")));
        assertEquals(List.of(List.of("-2"), List.of("9"), List.of("10"), List.of("100")),
                merge(ordered(0, MergeSpec.NO_LIMIT, asc(0)), List.of(INTEGER), numbers));
        assertEquals(List.of(List.of("-2"), List.of("9"), List.of("10"), List.of("100")),
                merge(ordered(0, MergeSpec.NO_LIMIT, asc(0)), List.of(DECIMAL), numbers));
        var text = List.of(shard(row("apple"), row("Cherry")), shard(row("Banana "), row("date")));
        assertEquals(List.of(List.of("apple"), List.of("Banana "), List.of("Cherry"), List.of("date")),
                merge(ordered(0, MergeSpec.NO_LIMIT, asc(0)), List.of(TEXT), text));
        var bytes = List.of(shard(row("B"), row("a")), shard(row("C")));
        assertEquals(List.of(List.of("B"), List.of("C"), List.of("a")),
                merge(ordered(0, MergeSpec.NO_LIMIT, asc(0)), List.of(BINARY), bytes));
    }

    @Test
    void severalKeysWithMixedDirections() {
        var shards = List.of(shard(row("a", "3"), row("b", "1")), shard(row("a", "5"), row("b", "2")));
        assertEquals(List.of(List.of("a", "5"), List.of("a", "3"), List.of("b", "2"), List.of("b", "1")),
                merge(ordered(0, MergeSpec.NO_LIMIT, asc(0), desc(1)), List.of(TEXT, INTEGER), shards));
    }

    @Test
    void nullsSortFirstAscendingAndLastDescending() {
        var ascending = List.of(shard(row((String) null), row("1")), shard(row((String) null), row("2")));
        assertEquals(Arrays.asList(Arrays.asList((String) null), Arrays.asList((String) null), List.of("1"),
                List.of("2")), merge(ordered(0, MergeSpec.NO_LIMIT, asc(0)), List.of(INTEGER), ascending));
        var descending = List.of(shard(row("2"), row((String) null)), shard(row("1"), row((String) null)));
        assertEquals(Arrays.asList(List.of("2"), List.of("1"), Arrays.asList((String) null),
                Arrays.asList((String) null)), merge(ordered(0, MergeSpec.NO_LIMIT, desc(0)), List.of(INTEGER),
                descending));
    }

    @Test
    void aggregatesWithoutGroupByMakeOneRow() {
        // COUNT(*), SUM(qty), MIN(sku), MAX(sku), AVG(qty) as SUM, SUM(price decimal(10,2)), hidden COUNT(qty).
        MergeSpec spec = new MergeSpec(List.of(
                Aggregate.of(ColumnRef.at(0), AggregateFunction.COUNT),
                Aggregate.of(ColumnRef.at(1), AggregateFunction.SUM),
                Aggregate.of(ColumnRef.at(2), AggregateFunction.MIN),
                Aggregate.of(ColumnRef.at(3), AggregateFunction.MAX),
                Aggregate.average(ColumnRef.at(4), ColumnRef.at(6)),
                Aggregate.of(ColumnRef.at(5), AggregateFunction.SUM)), List.of(), true, false, List.of(), 0,
                MergeSpec.NO_LIMIT, 1);
        var shards = List.of(
                shard(row("3", "12", "b", "d", "12", "10.50", "3")),
                shard(row("2", "9", "a", "c", "9", "0.25", "2")),
                shard(row("0", null, null, null, null, null, "0")));
        assertEquals(List.of(List.of("5", "21", "a", "d", "4.2000", "10.75")),
                merge(spec, List.of(INTEGER, DECIMAL, TEXT, TEXT, DECIMAL, DECIMAL, INTEGER), shards));
    }

    @Test
    void avgKeepsMysqlsScaleAndIsNullWithoutRows() {
        MergeSpec spec = new MergeSpec(List.of(Aggregate.average(ColumnRef.at(0), ColumnRef.at(1))), List.of(),
                true, false, List.of(), 0, MergeSpec.NO_LIMIT, 1);
        assertEquals(List.of(List.of("2.333333")), merge(spec, List.of(DECIMAL, INTEGER),
                List.of(shard(row("5.00", "2")), shard(row("2.00", "1")))));
        assertEquals(List.of(List.of("0.6667")), merge(spec, List.of(DECIMAL, INTEGER),
                List.of(shard(row("2", "3")))));
        assertEquals(List.of(List.of("1.25")), merge(spec, List.of(FLOAT, INTEGER),
                List.of(shard(row("1.5", "1")), shard(row("3.5", "3")))));
        assertEquals(List.of(Arrays.asList((String) null)), merge(spec, List.of(DECIMAL, INTEGER),
                List.of(shard(row(null, "0")), shard(row(null, "0")))));
    }

    @Test
    void floatSumsPrintAsMysqlPrintsDoubles() {
        MergeSpec spec = new MergeSpec(List.of(Aggregate.of(ColumnRef.at(0), AggregateFunction.SUM)), List.of(),
                true, false, List.of(), 0, MergeSpec.NO_LIMIT, 0);
        assertEquals(List.of(List.of("3")), merge(spec, List.of(FLOAT), List.of(shard(row("1.5")),
                shard(row("1.5")))));
        assertEquals(List.of(List.of("1e20")), merge(spec, List.of(FLOAT), List.of(shard(row("5e19")),
                shard(row("5e19")))));
    }

    @Test
    void groupsMergeAcrossShardsThenSortAndLimit() {
        // SELECT sku, COUNT(*), SUM(qty) ... GROUP BY sku ORDER BY COUNT(*) DESC, sku LIMIT 2
        MergeSpec spec = new MergeSpec(List.of(Aggregate.of(ColumnRef.at(1), AggregateFunction.COUNT),
                Aggregate.of(ColumnRef.at(2), AggregateFunction.SUM)), List.of(ColumnRef.at(0)), true, false,
                List.of(desc(1), asc(0)), 0, 2, 0);
        var shards = List.of(
                shard(row("apple", "2", "5"), row("pear", "1", "1")),
                shard(row("APPLE", "1", "1"), row("kiwi", "3", "9"), row("pear", "2", "2")));
        assertEquals(List.of(List.of("apple", "3", "6"), List.of("kiwi", "3", "9")),
                merge(spec, List.of(TEXT, INTEGER, DECIMAL), shards));
    }

    @Test
    void groupsWithoutOrderByComeInGroupKeyOrderAndHiddenKeysAreDropped() {
        // SELECT COUNT(*) ... GROUP BY sku: the shards return sku as a hidden trailing column.
        MergeSpec spec = new MergeSpec(List.of(Aggregate.of(ColumnRef.at(0), AggregateFunction.COUNT)),
                List.of(ColumnRef.at(1)), true, false, List.of(), 0, MergeSpec.NO_LIMIT, 1);
        var shards = List.of(shard(row("1", "pear"), row("4", "apple")), shard(row("2", "kiwi"),
                row("1", "pear")), shard(row("7", null)));
        assertEquals(List.of(List.of("7"), List.of("4"), List.of("2"), List.of("2")),
                merge(spec, List.of(INTEGER, TEXT), shards));
    }

    @Test
    void distinctRemovesDuplicatesAcrossShardsBeforeTheLimit() {
        MergeSpec spec = new MergeSpec(List.of(), List.of(), false, true, List.of(asc(0)), 0, 3, 0);
        var shards = List.of(shard(row("a"), row("b"), row("c")), shard(row("A"), row("b"), row("d")));
        assertEquals(List.of(List.of("a"), List.of("b"), List.of("c")), merge(spec, List.of(TEXT), shards));
        MergeSpec unordered = new MergeSpec(List.of(), List.of(), false, true, List.of(), 0, MergeSpec.NO_LIMIT, 0);
        assertEquals(List.of(List.of("1", "x"), List.of("2", "x"), List.of("1", "y")), merge(unordered,
                List.of(DECIMAL, TEXT), List.of(shard(row("1", "x"), row("2", "x")), shard(row("1.0", "X"),
                        row("1", "y")))));
    }

    @Test
    void sortKeysAfterAStarCountFromTheEnd() {
        // SELECT * ... ORDER BY email: the shards return (*, email) and the merge sorts on the last column.
        MergeSpec spec = new MergeSpec(List.of(), List.of(), false, false,
                List.of(new SortKey(ColumnRef.fromEnd(1), false)), 0, MergeSpec.NO_LIMIT, 1);
        var shards = List.of(shard(row("1", "b@x", "b@x")), shard(row("4", "a@x", "a@x")));
        assertEquals(List.of(List.of("4", "a@x"), List.of("1", "b@x")),
                merge(spec, List.of(INTEGER, TEXT, TEXT), shards));
    }

    @Test
    void whatCannotBeMergedThrows() {
        var enumOrder = assertThrows(MergeException.class, () -> ResultMerger.merge(ordered(0, 1, asc(0)),
                List.of(ENUM), List.of(shard(row("small")), shard(row("large")))));
        assertEquals("cannot merge ORDER BY on an ENUM or SET column across shards: MySQL sorts them by definition"
                + " order, which the result does not carry; order by CAST(col AS CHAR) instead",
                enumOrder.getMessage());
        var width = assertThrows(MergeException.class, () -> ResultMerger.merge(MergeSpec.CONCAT,
                List.of(INTEGER, TEXT), List.of(shard(row("1")))));
        assertEquals("a shard returned a row of 1 columns; expected 2", width.getMessage());
        MergeSpec sum = new MergeSpec(List.of(Aggregate.of(ColumnRef.at(0), AggregateFunction.COUNT)), List.of(),
                true, false, List.of(), 0, MergeSpec.NO_LIMIT, 0);
        var notNumber = assertThrows(MergeException.class, () -> ResultMerger.merge(sum, List.of(INTEGER),
                List.of(shard(row("1")), shard(row("x")))));
        assertEquals("a shard returned 'x' where the merge needs an integer", notNumber.getMessage());
    }

    @Test
    void columnKindsFromColumnDefinitions() {
        assertEquals(INTEGER, ColumnKind.of(8, 0)); // LONGLONG
        assertEquals(DECIMAL, ColumnKind.of(246, 0)); // NEWDECIMAL
        assertEquals(FLOAT, ColumnKind.of(5, 0)); // DOUBLE
        assertEquals(TEXT, ColumnKind.of(253, 0)); // VAR_STRING, _ci collation
        assertEquals(BINARY, ColumnKind.of(253, 128)); // VAR_STRING with BINARY_FLAG
        assertEquals(ColumnKind.TEMPORAL, ColumnKind.of(12, 0)); // DATETIME
        assertEquals(ENUM, ColumnKind.of(254, 256)); // STRING with ENUM_FLAG
    }
}
