package io.switchyard.routing.vindex;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Cases follow vitessio/vitess go/vt/key/key_test.go unless a comment says otherwise. */
class KeyspaceIdsTest {

    @Test
    void formatsAndParsesHex() {
        assertEquals("166b40b44aba4bd6", KeyspaceIds.toHex(new byte[] {0x16, 0x6b, 0x40, (byte) 0xb4, 0x4a,
                (byte) 0xba, 0x4b, (byte) 0xd6}));
        assertArrayEquals(new byte[] {(byte) 0xa0, 0x0f}, KeyspaceIds.fromHex("A00f"));
        assertArrayEquals(new byte[0], KeyspaceIds.fromHex(""));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> KeyspaceIds.fromHex("abc"));
        assertTrue(e.getMessage().startsWith("'abc' is not a hex keyspace id"), e.getMessage());
    }

    @Test
    void comparesUnsignedIgnoringTrailingZeroBytes() {
        // TestCompare.
        assertEquals(0, KeyspaceIds.compare(hex(""), hex("")));
        assertEquals(0, KeyspaceIds.compare(hex("1122334455667788"), hex("1122334455667788")));
        assertEquals(0, KeyspaceIds.compare(hex("11223344"), hex("1122334400000000")));
        assertEquals(0, KeyspaceIds.compare(hex("1122334400000000"), hex("11223344")));
        assertTrue(KeyspaceIds.compare(hex("01"), hex("02")) < 0);
        assertTrue(KeyspaceIds.compare(hex("02"), hex("01")) > 0);
        assertTrue(KeyspaceIds.compare(hex("3000"), hex("20")) > 0);
        // Unsigned: 0x80 and above sort after 0x7f, unlike Java's signed bytes.
        assertTrue(KeyspaceIds.compare(hex("80"), hex("7fffffffffffffff")) > 0);
        assertTrue(KeyspaceIds.compare(hex("ff"), hex("00ff")) > 0);
        // Zeros in the middle count.
        assertTrue(KeyspaceIds.compare(hex("110022"), hex("1122")) < 0);
    }

    @Test
    void testsMembershipOfHalfOpenRanges() {
        // TestKeyRangeContains.
        assertTrue(KeyspaceIds.inRange(hex("3000000000000000"), hex("3000000000000000"), hex("")));
        assertFalse(KeyspaceIds.inRange(hex("3000000000000000"), hex(""), hex("3000000000000000")));
        assertTrue(KeyspaceIds.inRange(hex("4000000000000000"), hex("3000000000000000"), hex("")));
        assertFalse(KeyspaceIds.inRange(hex("2000000000000000"), hex("3000000000000000"), hex("")));
        // Unbounded on both sides contains everything, including the empty id.
        assertTrue(KeyspaceIds.inRange(hex(""), hex(""), hex("")));
        assertTrue(KeyspaceIds.inRange(hex("ffffffffffffffff"), hex(""), hex("")));
        // Bounds of different lengths mean the same point (Normalize).
        assertFalse(KeyspaceIds.inRange(hex("80"), hex(""), hex("8000")));
        assertTrue(KeyspaceIds.inRange(hex("7fffffffffffffff"), hex(""), hex("80")));
        assertTrue(KeyspaceIds.inRange(hex("8000000000000000"), hex("80"), hex("")));
    }

    @Test
    void parsesShardNames() {
        assertRange("", "80", KeyspaceIds.parseShardName("-80"));
        assertRange("80", "", KeyspaceIds.parseShardName("80-"));
        assertRange("40", "80", KeyspaceIds.parseShardName("40-80"));
        assertRange("a0", "", KeyspaceIds.parseShardName("a0-"));
        assertRange("", "a0", KeyspaceIds.parseShardName("-A0"));
        assertRange("", "", KeyspaceIds.parseShardName("-"));
        assertRange("", "", KeyspaceIds.parseShardName("0"));
        assertTrue(KeyspaceIds.parseShardName("0").isAll());
        assertTrue(KeyspaceIds.parseShardName("00-").isAll());
    }

    @Test
    void rejectsMalformedShardNames() {
        // TestIsValidKeyRange's invalid cases, plus out-of-order and multi-range specs.
        for (String bad : List.of("", "11", "-1", "-111", "1-2", "x-80", "-80x", "select", "+", "80-40", "80-80",
                "-40-80", "---")) {
            assertThrows(IllegalArgumentException.class, () -> KeyspaceIds.parseShardName(bad), bad);
        }
        assertEquals("'80-40' is out of order: 80 is not below 40",
                assertThrows(IllegalArgumentException.class, () -> KeyspaceIds.parseShardName("80-40")).getMessage());
        assertEquals("'x-80' has a bound 'x' that is not hex with an even number of digits",
                assertThrows(IllegalArgumentException.class, () -> KeyspaceIds.parseShardName("x-80")).getMessage());
        assertEquals("shard name '-40-80' names 2 key ranges; a shard has one, as in -80, 80- or 40-80",
                assertThrows(IllegalArgumentException.class, () -> KeyspaceIds.parseShardName("-40-80")).getMessage());
    }

    @Test
    void parsesShardingSpecs() {
        // TestParseShardingSpec.
        assertEquals(List.of(KeyRange.ALL), KeyspaceIds.parseShardingSpec("-"));
        assertEquals(List.of(KeyRange.ALL), KeyspaceIds.parseShardingSpec("0"));
        List<KeyRange> three = KeyspaceIds.parseShardingSpec("-4000000000000000-8000000000000000-");
        assertEquals(3, three.size());
        assertRange("", "4000000000000000", three.get(0));
        assertRange("4000000000000000", "8000000000000000", three.get(1));
        assertRange("8000000000000000", "", three.get(2));
        for (String bad : List.of("4000000000000000", "---", "4000000000000000--8000000000000000",
                "4000000000000000-3000000000000000")) {
            assertThrows(IllegalArgumentException.class, () -> KeyspaceIds.parseShardingSpec(bad), bad);
        }
    }

    @Test
    void keyRangesCompareByValueAndPrintAsShardNames() {
        // TestKeyRangeEqual: -8000 == -80 == -8000000000000000.
        assertEquals(KeyRange.parse("-80"), KeyRange.parse("-8000"));
        assertEquals(KeyRange.parse("-80"), KeyRange.parse("-8000000000000000"));
        assertEquals(KeyRange.parse("-80").hashCode(), KeyRange.parse("-8000").hashCode());
        assertEquals(KeyRange.parse("10-30"), KeyRange.parse("1000-3000"));
        assertNotEquals(KeyRange.parse("-80"), KeyRange.parse("-"));
        assertEquals("40-80", KeyRange.parse("40-80").toString());
        assertEquals("-80", KeyRange.parse("-80").toString());
        assertEquals("-", KeyRange.parse("0").toString());
    }

    @Test
    void keyRangesAreImmutable() {
        byte[] start = hex("40");
        KeyRange range = new KeyRange(start, hex("80"));
        start[0] = 0x70;
        range.start()[0] = 0x70;
        assertRange("40", "80", range);
    }

    @Test
    void everyKeyspaceIdBelongsToExactlyOneShardOfAFullSpec() {
        List<KeyRange> shards = KeyspaceIds.parseShardingSpec("-40-80-c0-");
        HashVindex hash = new HashVindex();
        for (long id = 0; id < 2_000; id++) {
            byte[] ksid = hash.keyspaceId(id);
            long owners = shards.stream().filter(s -> s.contains(ksid)).count();
            assertEquals(1, owners, "id " + id);
        }
    }

    private static void assertRange(String start, String end, KeyRange range) {
        assertEquals(start, KeyspaceIds.toHex(range.start()), "start of " + range);
        assertEquals(end, KeyspaceIds.toHex(range.end()), "end of " + range);
    }

    private static byte[] hex(String hex) {
        return KeyspaceIds.fromHex(hex);
    }
}
