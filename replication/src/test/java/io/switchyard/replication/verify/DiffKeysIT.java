package io.switchyard.replication.verify;

import io.switchyard.sandbox.MariaDbServer;
import io.switchyard.sandbox.Sandbox;
import io.switchyard.sandbox.Sandboxed;
import org.junit.jupiter.api.Test;

import java.math.BigInteger;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

import static io.switchyard.replication.verify.DiffFixtures.SOURCE;
import static io.switchyard.replication.verify.DiffFixtures.TARGET;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Key ordering across shards (collations, composite, ENUM and temporal keys), key choice and snapshots. */
@Sandboxed(DiffFixtures.SPEC)
class DiffKeysIT {
    private static final DiffOptions SMALL_PAGES = DiffOptions.DEFAULTS.withPageSize(7);

    @Test
    void caseInsensitiveKeysMergeInCollationOrderAndCollationEqualTextMatches(Sandbox sandbox) throws Exception {
        DiffFixtures.createEverywhere(sandbox, "CREATE TABLE {db}.names ("
                + " name VARCHAR(20) CHARACTER SET utf8mb4 COLLATE utf8mb4_general_ci NOT NULL PRIMARY KEY,"
                + " shard_by BIGINT NOT NULL,"
                + " label VARCHAR(20) CHARACTER SET utf8mb4 COLLATE utf8mb4_general_ci,"
                + " note CHAR(10) CHARACTER SET latin1 COLLATE latin1_swedish_ci) ENGINE=InnoDB");
        List<Object[]> rows = new ArrayList<>();
        long shardBy = 0;
        for (String name : names()) {
            rows.add(new Object[] {name, shardBy++, "label", "café"});
        }
        DiffFixtures.insertBoth(sandbox, "names", 1, rows);
        long b = shardBy(rows, "B");
        DiffFixtures.targetOwning(sandbox, b).execute("UPDATE dst.names SET name = 'b' WHERE name = 'B'");
        long hello = shardBy(rows, "hello");
        DiffFixtures.targetOwning(sandbox, hello).execute(
                "UPDATE dst.names SET label = 'LABEL  ' WHERE name = 'hello'", // case and trailing spaces
                "UPDATE dst.names SET note = 'CAFÉ' WHERE name = 'hello'");
        long emoji = shardBy(rows, "rocket");
        sandbox.primary(SOURCE, "-80").execute("UPDATE src.names SET label = 'go 🚀' WHERE name = 'rocket'");
        sandbox.primary(SOURCE, "80-").execute("UPDATE src.names SET label = 'go 🚀' WHERE name = 'rocket'");
        DiffFixtures.targetOwning(sandbox, emoji).execute("UPDATE dst.names SET label = 'go 🚁' WHERE name = 'rocket'");
        long empty = shardBy(rows, "a\t");
        for (String shard : DiffFixtures.SOURCE_SHARDS) {
            sandbox.primary(SOURCE, shard).execute("UPDATE src.names SET label = NULL WHERE name = 'a\t'");
        }
        DiffFixtures.targetOwning(sandbox, empty).execute("UPDATE dst.names SET label = '' WHERE name = 'a\t'");

        VerifyReport collation = DiffFixtures.diff(sandbox, "names", SMALL_PAGES);
        VerifyReport exact = DiffFixtures.diff(sandbox, "names",
                SMALL_PAGES.withTextComparison(DiffOptions.TextComparison.EXACT));

        assertEquals(rows.size(), collation.processed(), collation.summary());
        assertEquals(0, collation.extraSource() + collation.extraTarget(), collation.summary());
        assertEquals(List.of("{\"name\":\"a\\t\"}"), collation.mismatchedSamples(), "NULL and '' differ");
        assertEquals(3, collation.matchingUnderCollation(), "'B'/'b', 'label'/'LABEL  ' and '🚀'/'🚁'");
        assertEquals(rows.size(), exact.processed(), exact.summary());
        assertEquals(4, exact.mismatched(), exact.summary());
        assertEquals(Map.of("name", 1L, "label", 3L, "note", 1L), exact.mismatchedColumns());
        assertEquals(0, exact.matchingUnderCollation());
    }

    /**
     * Random keys of case, accent, contraction ('ch' in Czech), expansion ('ß', 'ﬁ'), combining, emoji, space and tab
     * characters, per collation: each shard's ORDER BY and the merge's weight order must agree on every one, or the
     * cursors would fail on an out-of-order key and the merge would report false extras.
     */
    @Test
    void everyCollationsKeysMergeInTheServersOrder(Sandbox sandbox) throws Exception {
        List<String> alphabet = List.of("a", "A", "b", "ä", "Ä", "ß", "s", "S", "c", "h", "ch", "CH", " ", " ", "\t",
                "é", "e", "E", "ø", "æ", "ae", "🚀", "😀", "z", "0", "-", "_", "ł", "ﬁ", "ǆ", "Ǆ", "ñ", "ll", "\u0301");
        java.util.Random random = new java.util.Random(42);
        for (String collation : List.of("utf8mb4_general_ci", "utf8mb4_unicode_ci", "utf8mb4_uca1400_as_cs",
                "utf8mb4_czech_ci", "utf8mb4_bin", "utf8mb4_general_nopad_ci", "latin1_swedish_ci", "latin1_bin")) {
            String charset = collation.substring(0, collation.indexOf('_'));
            String table = "k_" + collation;
            DiffFixtures.createEverywhere(sandbox, "CREATE TABLE {db}." + table + " (k VARCHAR(12) CHARACTER SET "
                    + charset + " COLLATE " + collation + " NOT NULL PRIMARY KEY, shard_by BIGINT NOT NULL)");
            List<Object[]> rows = new ArrayList<>();
            Set<String> unique = new LinkedHashSet<>();
            try (var connection = sandbox.primary(SOURCE, "-80").connect();
                 var probe = connection.prepareStatement("SELECT WEIGHT_STRING(CONVERT(? USING " + charset
                         + ") COLLATE " + collation + " AS CHAR(12)), CONVERT(CONVERT(? USING " + charset
                         + ") USING utf8mb4) = ?")) {
                while (rows.size() < 400) {
                    StringBuilder key = new StringBuilder();
                    for (int n = random.nextInt(6); n > 0; n--) {
                        key.append(alphabet.get(random.nextInt(alphabet.size())));
                    }
                    String k = key.codePointCount(0, key.length()) > 12 ? "" : key.toString();
                    probe.setString(1, k);
                    probe.setString(2, k);
                    probe.setString(3, k);
                    try (var rs = probe.executeQuery()) {
                        rs.next();
                        // Keep keys the charset can hold and that are distinct under the collation.
                        String weight = java.util.HexFormat.of().formatHex(rs.getBytes(1));
                        String identity = collation.contains("nopad") ? weight + "/" + k.length() : weight;
                        if (rs.getBoolean(2) && unique.add(identity) && (collation.contains("nopad")
                                || unique.add("stripped:" + k.stripTrailing()))) {
                            rows.add(new Object[] {k, (long) rows.size()});
                        }
                    }
                }
            }
            DiffFixtures.insertBoth(sandbox, table, 1, rows);
            Object[] dropped = rows.get(random.nextInt(rows.size()));
            DiffFixtures.targetOwning(sandbox, (Long) dropped[1])
                    .execute("DELETE FROM dst." + table + " WHERE shard_by = " + dropped[1]);

            VerifyReport report = DiffFixtures.diff(sandbox, table, DiffOptions.DEFAULTS.withPageSize(13));

            assertEquals(rows.size() - 1, report.matching(), collation + ": " + report.summary());
            assertEquals(1, report.extraSource(), collation + ": " + report.summary());
            assertEquals(0, report.mismatched() + report.extraTarget(), collation + ": " + report.summary());
        }
    }

    @Test
    void binaryAndNoPadKeysOrderByteForByte(Sandbox sandbox) throws Exception {
        DiffFixtures.createEverywhere(sandbox, "CREATE TABLE {db}.raw (k VARBINARY(8) NOT NULL,"
                + " s VARCHAR(8) CHARACTER SET utf8mb4 COLLATE utf8mb4_nopad_bin NOT NULL, shard_by BIGINT NOT NULL,"
                + " PRIMARY KEY (k, s)) ENGINE=InnoDB");
        List<Object[]> rows = new ArrayList<>();
        long shardBy = 0;
        for (byte[] key : List.of(new byte[] {}, new byte[] {0}, new byte[] {(byte) 0xff}, new byte[] {'a'},
                new byte[] {'a', 0}, new byte[] {'A'}, new byte[] {(byte) 0x80, 1})) {
            for (String s : List.of("a", "a ", "a\t", "A", "", "é")) {
                rows.add(new Object[] {key, s, shardBy++});
            }
        }
        DiffFixtures.insertBoth(sandbox, "raw", 2, rows);
        DiffFixtures.targetOwning(sandbox, 9).execute("DELETE FROM dst.raw WHERE shard_by = 9");

        VerifyReport report = DiffFixtures.diff(sandbox, "raw", SMALL_PAGES);

        assertEquals(rows.size() - 1, report.matching(), report.summary());
        assertEquals(List.of("{\"k\":\"0x00\",\"s\":\"A\"}"), report.extraSourceSamples());
    }

    @Test
    void compositeKeysWithUnsignedBigintsEnumsAndTimes(Sandbox sandbox) throws Exception {
        DiffFixtures.createEverywhere(sandbox, "CREATE TABLE {db}.events ("
                + " kind ENUM('zeta','alpha','mid') NOT NULL, region VARCHAR(8) CHARACTER SET ascii NOT NULL,"
                + " at DATETIME(6) NOT NULL, span TIME NOT NULL, id BIGINT UNSIGNED NOT NULL, payload JSON,"
                + " PRIMARY KEY (kind, region, at, span, id)) ENGINE=InnoDB");
        List<Object[]> rows = new ArrayList<>();
        List<String> kinds = List.of("zeta", "alpha", "mid");
        List<String> regions = List.of("eu", "US", "ap");
        List<String> spans = List.of("-100:00:00", "-00:00:01", "00:00:00", "99:59:59", "100:00:00");
        for (int i = 0; i < 300; i++) {
            BigInteger id = i % 50 == 0 ? new BigInteger("18446744073709551615").subtract(BigInteger.valueOf(i))
                    : BigInteger.valueOf(i);
            rows.add(new Object[] {kinds.get(i % 3), regions.get(i / 3 % 3),
                    "2024-01-01 00:00:0" + (i % 2) + "." + (i % 4 == 0 ? "000000" : "000001"), spans.get(i % 5),
                    id, "{\"i\": " + i + "}"});
        }
        // Routed by the id; ids above Long.MAX_VALUE route by their two's complement (Number.longValue), which is as
        // good a placement as any for a diff.
        DiffFixtures.insertBoth(sandbox, "events", 4, rows);
        long missing = ((BigInteger) rows.get(150)[4]).longValue();
        DiffFixtures.targetOwning(sandbox, missing).execute("DELETE FROM dst.events WHERE id = " + rows.get(150)[4]);

        VerifyReport report = DiffFixtures.diff(sandbox, "events", SMALL_PAGES);

        assertEquals(rows.size() - 1, report.matching(), report.summary());
        assertEquals(List.of("{\"kind\":\"zeta\",\"region\":\"ap\",\"at\":\"2024-01-01 00:00:00.000001\","
                + "\"span\":\"-100:00:00\",\"id\":18446744073709551465}"), report.extraSourceSamples());
    }

    @Test
    void usesTheNarrowestUniqueNotNullKeyWithoutAPrimaryKey(Sandbox sandbox) throws Exception {
        DiffFixtures.createEverywhere(sandbox, "CREATE TABLE {db}.nopk (a INT NULL, code VARBINARY(16) NOT NULL,"
                + " n INT NOT NULL, shard_by BIGINT NOT NULL, UNIQUE KEY by_a (a), UNIQUE KEY by_code (code, n),"
                + " UNIQUE KEY wide (code, n, shard_by)) ENGINE=InnoDB");
        List<Object[]> rows = new ArrayList<>();
        for (long i = 0; i < 40; i++) {
            rows.add(new Object[] {i % 2 == 0 ? null : (int) i, new byte[] {(byte) (i % 3)}, (int) i, i});
        }
        DiffFixtures.insertBoth(sandbox, "nopk", 3, rows);
        DiffFixtures.targetOwning(sandbox, 5).execute("UPDATE dst.nopk SET a = 99 WHERE shard_by = 5");

        VerifyReport report = DiffFixtures.diff(sandbox, "nopk", SMALL_PAGES);

        assertEquals(List.of("{\"code\":\"0x02\",\"n\":5}"), report.mismatchedSamples(), report.summary());
        assertEquals(39, report.matching());

        DiffFixtures.createEverywhere(sandbox, "CREATE TABLE {db}.heap (a INT NULL, UNIQUE KEY (a))");
        VerifyException noKey = assertThrows(VerifyException.class,
                () -> DiffFixtures.diff(sandbox, "heap", SMALL_PAGES));
        assertTrue(noKey.getMessage().contains("neither a primary key nor a unique key"), noKey.getMessage());
    }

    @Test
    void comparesTheSnapshotsNotWhatIsWrittenAfterThem(Sandbox sandbox) throws Exception {
        DiffFixtures.createEverywhere(sandbox, "CREATE TABLE {db}.live (id BIGINT PRIMARY KEY, v INT)");
        List<Object[]> rows = new ArrayList<>();
        for (long id = 1; id <= 100; id++) {
            rows.add(new Object[] {id, (int) id});
        }
        DiffFixtures.insertBoth(sandbox, "live", 0, rows);
        MariaDbServer source = sandbox.primary(SOURCE, "-80");
        String before = source.query("SELECT @@gtid_binlog_pos").get(0).get(0);

        try (DiffFixtures.Snapshots snapshots = new DiffFixtures.Snapshots(sandbox)) {
            for (String shard : DiffFixtures.TARGET_SHARDS) {
                sandbox.primary(TARGET, shard).execute("UPDATE dst.live SET v = -v",
                        "DELETE FROM dst.live WHERE id < 10");
            }
            source.execute("INSERT INTO src.live VALUES (1000, 1)");

            VerifyReport report = new TableDiff(DiffOptions.DEFAULTS, java.time.Clock.systemUTC())
                    .diff(snapshots.sources, snapshots.targets, "live");

            assertTrue(report.identical(), report.summary());
            assertEquals(100, report.processed());
            assertEquals(before, snapshots.snapshot(0).gtidPosition().orElseThrow());
        }
        assertTrue(DiffFixtures.diff(sandbox, "live", DiffOptions.DEFAULTS).mismatched() > 0);
    }

    /** Names whose case-insensitive order interleaves upper and lower case, plus PAD SPACE and accent cases. */
    private static List<String> names() {
        Set<String> seen = new LinkedHashSet<>();
        List<String> names = new ArrayList<>(List.of("a", "B", "c", "a\t", "Ärger", "ß", "hello", "rocket", " lead",
                "x y", "zz  "));
        names.forEach(n -> seen.add(n.toLowerCase(Locale.ROOT).strip()));
        for (int i = 0; names.size() < 250; i++) {
            StringBuilder word = new StringBuilder();
            for (int v = i * 7919 % 17576, k = 0; k < 3; k++, v /= 26) {
                char letter = (char) ('a' + v % 26);
                word.append((i + k) % 3 == 0 ? Character.toUpperCase(letter) : letter);
            }
            if (seen.add(word.toString().toLowerCase(Locale.ROOT)) && !word.toString().equalsIgnoreCase("ss")) {
                names.add(word.toString());
            }
        }
        return names;
    }

    private static long shardBy(List<Object[]> rows, String name) {
        return rows.stream().filter(r -> r[0].equals(name)).mapToLong(r -> (Long) r[1]).findFirst().orElseThrow();
    }
}
