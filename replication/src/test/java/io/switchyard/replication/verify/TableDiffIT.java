package io.switchyard.replication.verify;

import io.switchyard.routing.vindex.Vindex;
import io.switchyard.sandbox.MariaDbServer;
import io.switchyard.sandbox.Sandbox;
import io.switchyard.sandbox.Sandboxed;
import org.junit.jupiter.api.Test;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static io.switchyard.replication.verify.DiffFixtures.SOURCE;
import static io.switchyard.replication.verify.DiffFixtures.TARGET;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Diffs of every column type between a 2-shard source and a 4-shard target on real MariaDB. */
@Sandboxed(DiffFixtures.SPEC)
class TableDiffIT {
    private static final int ROWS = 3_000;
    private static final String MIXED = "CREATE TABLE {db}.%s ("
            + " id BIGINT NOT NULL PRIMARY KEY,"
            + " name VARCHAR(100) CHARACTER SET utf8mb4 COLLATE utf8mb4_general_ci,"
            + " amount DECIMAL(14,4),"
            + " created DATETIME(6),"
            + " stamp TIMESTAMP(3) NULL,"
            + " doc JSON,"
            + " payload BLOB,"
            + " flags BIT(5),"
            + " color ENUM('red','green','blue'),"
            + " tags SET('a','b','c'),"
            + " ratio DOUBLE,"
            + " note TEXT CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci"
            + ") ENGINE=InnoDB";

    @Test
    void identicalShardedTablesMatchRowForRow(Sandbox sandbox) throws Exception {
        DiffFixtures.createEverywhere(sandbox, MIXED.formatted("same"));
        DiffFixtures.insertBoth(sandbox, "same", 0, mixedRows(ROWS));

        // Small pages: every shard pages many times, and the merges interleave shards with different boundaries.
        VerifyReport report = DiffFixtures.diff(sandbox, "same", DiffOptions.DEFAULTS.withPageSize(97),
                new Placement("id", Vindex.of("hash")));

        assertTrue(report.identical(), report.summary());
        assertEquals(ROWS, report.processed());
        assertEquals(ROWS, report.matching());
        assertEquals(List.of(), report.mismatchedSamples());
        assertEquals(Map.of(), report.mismatchedColumns());
        assertEquals(0, report.misplacedTarget());
    }

    @Test
    void findsAChangeInEveryColumnTypeAndRowsMissingOrExtraOnEitherSide(Sandbox sandbox) throws Exception {
        DiffFixtures.createEverywhere(sandbox, MIXED.formatted("changed"));
        DiffFixtures.insertBoth(sandbox, "changed", 0, mixedRows(ROWS));
        Map<Long, String> changes = new LinkedHashMap<>();
        changes.put(10L, "created = created + INTERVAL 1 MICROSECOND");
        changes.put(20L, "doc = JSON_COMPACT(doc)"); // the same JSON document, stored differently
        changes.put(30L, "payload = CONCAT(payload, x'00')");
        changes.put(40L, "flags = flags ^ 1");
        changes.put(50L, "color = IF(color = 'red', 'blue', 'red')");
        changes.put(63L, "name = ''"); // NULL on the source: NULL and '' differ
        changes.put(80L, "amount = amount + 0.0001");
        changes.put(90L, "note = REPLACE(note, 'note', 'nope')");
        changes.put(100L, "tags = IF(tags = 'a,b', 'a', 'a,b')");
        changes.put(110L, "stamp = stamp + INTERVAL 1000 MICROSECOND");
        changes.put(120L, "ratio = ratio * 1.0000001");
        changes.forEach((id, assignment) -> DiffFixtures.targetOwning(sandbox, id)
                .execute("UPDATE dst.changed SET " + assignment + " WHERE id = " + id));
        DiffFixtures.targetOwning(sandbox, 200).execute("DELETE FROM dst.changed WHERE id = 200");
        DiffFixtures.targetOwning(sandbox, 5000).execute("INSERT INTO dst.changed (id, name) VALUES (5000, 'new')");
        // A second copy of row 300 on a shard that does not own it: the merge meets key 300 twice on the target.
        MariaDbServer wrong300 = DiffFixtures.targetNotOwning(sandbox, 300);
        DiffFixtures.insertInto(wrong300, TARGET, "changed", mixedRows(300).subList(299, 300));
        for (String shard : DiffFixtures.SOURCE_SHARDS) {
            sandbox.primary(SOURCE, shard).execute("DELETE FROM src.changed WHERE id = 400");
        }
        // Row 600 moved to a shard that does not own it: it still matches, but queries routed by id cannot find it.
        MariaDbServer owner600 = DiffFixtures.targetOwning(sandbox, 600);
        MariaDbServer wrong600 = DiffFixtures.targetNotOwning(sandbox, 600);
        owner600.execute("DELETE FROM dst.changed WHERE id = 600");
        DiffFixtures.insertInto(wrong600, TARGET, "changed", mixedRows(600).subList(599, 600));

        VerifyReport report = DiffFixtures.diff(sandbox, "changed", DiffOptions.DEFAULTS.withPageSize(250),
                new Placement("id", Vindex.of("hash")));

        assertEquals(changes.size(), report.mismatched(), report.summary());
        List<String> expectedSamples = changes.keySet().stream().limit(10).map(id -> "{\"id\":" + id + "}").toList();
        assertEquals(expectedSamples, report.mismatchedSamples());
        assertEquals(List.of("created", "doc", "payload", "flags", "color", "name", "amount", "note", "tags",
                "stamp", "ratio"), List.copyOf(report.mismatchedColumns().keySet()));
        assertTrue(report.mismatchedColumns().values().stream().allMatch(count -> count == 1));
        assertEquals(1, report.extraSource());
        assertEquals(List.of("{\"id\":200}"), report.extraSourceSamples());
        assertEquals(3, report.extraTarget());
        assertEquals(List.of("{\"id\":300}", "{\"id\":400}", "{\"id\":5000}"), report.extraTargetSamples());
        assertEquals(ROWS - 2 - changes.size(), report.matching());
        assertEquals(ROWS - 2 + 1 + 3, report.processed());
        assertEquals(List.of(wrong300.shard() + ": {\"id\":300}", wrong600.shard() + ": {\"id\":600}"),
                report.misplacedSamples());
        assertEquals(2, report.misplacedTarget());
    }

    @Test
    void decimalsCompareByValueAcrossDifferentScales(Sandbox sandbox) throws Exception {
        for (String shard : DiffFixtures.SOURCE_SHARDS) {
            sandbox.primary(SOURCE, shard).execute("CREATE TABLE src.money (id BIGINT PRIMARY KEY, v DECIMAL(10,2))");
        }
        for (String shard : DiffFixtures.TARGET_SHARDS) {
            sandbox.primary(TARGET, shard).execute("CREATE TABLE dst.money (id BIGINT PRIMARY KEY, v DECIMAL(12,4))");
        }
        List<Object[]> rows = new ArrayList<>();
        for (long id = 1; id <= 50; id++) {
            rows.add(new Object[] {id, new BigDecimal(id).movePointLeft(2)});
        }
        DiffFixtures.insertBoth(sandbox, "money", 0, rows);
        DiffFixtures.targetOwning(sandbox, 7).execute("UPDATE dst.money SET v = v + 0.0001 WHERE id = 7");

        VerifyReport report = DiffFixtures.diff(sandbox, "money", DiffOptions.DEFAULTS);

        assertEquals(49, report.matching(), report.summary());
        assertEquals(List.of("{\"id\":7}"), report.mismatchedSamples());
    }

    /** Rows 1..count of every type; every 7th row has NULL in each nullable column. */
    static List<Object[]> mixedRows(int count) {
        List<Object[]> rows = new ArrayList<>(count);
        for (long id = 1; id <= count; id++) {
            boolean nulls = id % 7 == 0;
            byte[] payload = new byte[(int) (id % 300)];
            for (int i = 0; i < payload.length; i++) {
                payload[i] = (byte) (id * 31 + i);
            }
            rows.add(new Object[] {
                    id,
                    nulls ? null : "name " + id + " ünïcødé 🚀 '\"\\ " + "x".repeat((int) (id % 40)),
                    nulls ? null : new BigDecimal(id).movePointLeft(4).negate(),
                    nulls ? null : String.format("2024-%02d-%02d 12:34:56.%06d", 1 + id % 12, 1 + id % 28,
                            id * 37 % 1_000_000),
                    nulls ? null : "2023-06-01 00:00:00.123",
                    nulls ? null : "{\"id\": " + id + ", \"tags\": [\"a\", \"🚀\"], \"n\": null}",
                    nulls ? null : payload,
                    nulls ? null : id % 32,
                    nulls ? null : List.of("red", "green", "blue").get((int) (id % 3)),
                    nulls ? null : List.of("a", "a,b", "c", "").get((int) (id % 4)),
                    nulls ? null : id / 3.0,
                    nulls ? null : "note " + id + " 🚀 " + "y".repeat((int) (id % 5))
            });
        }
        return rows;
    }
}
