package io.switchyard.config;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HexFormat;
import org.junit.jupiter.api.Test;

class KeyRangeTest {

    private static byte[] id(String hex) {
        return HexFormat.of().parseHex(hex);
    }

    private static String parseError(String name) {
        return assertThrows(ConfigException.class, () -> KeyRange.parse(name)).getMessage();
    }

    @Test
    void parsesVitessShardNames() {
        assertEquals(new KeyRange("", "80"), KeyRange.parse("-80"));
        assertEquals(new KeyRange("80", ""), KeyRange.parse("80-"));
        assertEquals(new KeyRange("40", "80"), KeyRange.parse("40-80"));
        assertEquals(KeyRange.FULL, KeyRange.parse("-"));
        assertTrue(KeyRange.parse("-").isFull());
        assertEquals("40-80", KeyRange.parse("40-80").toString());
        assertEquals("-", KeyRange.FULL.toString());
    }

    @Test
    void boundsAreNormalizedToPositions() {
        assertEquals(new KeyRange("a0", "c0"), KeyRange.parse("A0-C0"), "case does not matter");
        assertEquals(KeyRange.parse("-80"), KeyRange.parse("-8000"), "trailing zero bytes do not move a bound");
        assertEquals(KeyRange.parse("80-"), KeyRange.parse("8000-"));
        assertEquals(KeyRange.FULL, KeyRange.parse("00-"));
        assertEquals(KeyRange.parse("-80").hashCode(), KeyRange.parse("-800000").hashCode());
        assertNotEquals(KeyRange.parse("-80"), KeyRange.parse("-8001"));
    }

    @Test
    void rejectsWhatIsNotAKeyRange() {
        assertEquals("\"80-7f\" is not a keyrange: start 80 is not below end 7f", parseError("80-7f"));
        assertEquals("\"80-80\" is not a keyrange: start 80 is not below end 80", parseError("80-80"));
        assertEquals("\"80-8000\" is not a keyrange: start 80 is not below end 80", parseError("80-8000"));
        assertEquals("\"8-\" is not a keyrange: start \"8\" is not hex bytes (an even number of digits 0-9, a-f)",
                parseError("8-"));
        assertEquals("\"-zz\" is not a keyrange: end \"zz\" is not hex bytes (an even number of digits 0-9, a-f)",
                parseError("-zz"));
        assertEquals("\"0\" is not a keyrange: expected hex start-end such as \"-80\", \"80-\" or \"40-80\"",
                parseError("0"));
        assertEquals("\"-40-80\" is not a keyrange: expected hex start-end such as \"-80\", \"80-\" or \"40-80\"",
                parseError("-40-80"));
        assertEquals("\"-00\" is not a keyrange: end 00 is zero, so the range is empty", parseError("-00"));
        assertEquals("\"\" is not a keyrange: expected hex start-end such as \"-80\", \"80-\" or \"40-80\"",
                parseError(""));
    }

    @Test
    void containsIsStartInclusiveEndExclusive() {
        KeyRange low = KeyRange.parse("-80");
        KeyRange high = KeyRange.parse("80-");
        assertTrue(low.contains(id("00")));
        assertTrue(low.contains(id("7fffffffffffffff")));
        assertFalse(low.contains(id("80")));
        assertFalse(low.contains(id("8000000000000000")));
        assertTrue(high.contains(id("8000000000000000")));
        assertTrue(high.contains(id("ffffffffffffffff")));
        assertFalse(high.contains(id("7fffffffffffffff")));
    }

    @Test
    void containsComparesUnsignedBytes() {
        // 0xff is above 0x80 unsigned; a signed comparison would put it below.
        assertTrue(KeyRange.parse("80-").contains(id("ff")));
        assertFalse(KeyRange.parse("-80").contains(id("ff")));
        assertTrue(KeyRange.parse("40-80").contains(id("40")));
        assertTrue(KeyRange.parse("40-80").contains(id("4000000000000001")));
    }

    @Test
    void fullRangeContainsEverythingIncludingTheEmptyId() {
        assertTrue(KeyRange.FULL.contains(new byte[0]));
        assertTrue(KeyRange.FULL.contains(id("ffffffffffffffff")));
        assertTrue(KeyRange.parse("-80").contains(new byte[0]), "the empty id sorts first");
        assertFalse(KeyRange.parse("80-").contains(new byte[0]));
    }

    @Test
    void equalPositionsBehaveTheSame() {
        // -80 and -8000 are the same range, so they must agree on every id, including short ones.
        for (String hex : new String[] {"7f", "80", "8000", "800001", "7fff"}) {
            assertEquals(KeyRange.parse("-80").contains(id(hex)), KeyRange.parse("-8000").contains(id(hex)), hex);
        }
    }

    @Test
    void overlaps() {
        assertTrue(KeyRange.parse("-80").overlaps(KeyRange.parse("40-c0")));
        assertFalse(KeyRange.parse("-80").overlaps(KeyRange.parse("80-")));
        assertFalse(KeyRange.parse("-80").overlaps(KeyRange.parse("8000-")));
        assertTrue(KeyRange.FULL.overlaps(KeyRange.parse("40-80")));
        assertTrue(KeyRange.parse("80-").overlaps(KeyRange.parse("c0-")));
    }

    @Test
    void exposesBytes() {
        assertArrayEquals(id("40"), KeyRange.parse("40-a0").startBytes());
        assertArrayEquals(id("a0"), KeyRange.parse("40-A0").endBytes());
        assertArrayEquals(new byte[0], KeyRange.parse("40-").endBytes());
    }

    @Test
    void shardNamesMapToRanges() {
        assertEquals(KeyRange.FULL, Shard.keyRangeOf("0"));
        assertEquals(KeyRange.FULL, Shard.keyRangeOf("-"));
        assertEquals(KeyRange.parse("-80"), Shard.keyRangeOf("-80"));
    }
}
