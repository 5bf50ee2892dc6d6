package io.switchyard.routing.vindex;

import org.junit.jupiter.api.Test;

import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class XxhashVindexTest {
    private final XxhashVindex xxhash = new XxhashVindex();

    @Test
    void mapsValuesAsVitessXxhashTestDoes() {
        // vitessio/vitess go/vt/vtgate/vindexes/xxhash_test.go, TestXXHashMap (Go byte slices written as hex).
        assertMaps("d01ab7e4d6978f0b", "test1");
        assertMaps("87eb11714c0a0e89", "test2");
        assertMaps("81d8c38e0d850e6a", "testaverylongvaluetomakesurethisworks");
        assertMaps("d46405367612b4b7", 1L);
        assertMaps("99e9d85137db46ef", null);
        assertMaps("d8e2a6a7c8c7623d", -1L);
        assertMaps("477cfa8d6d8f1f8d", new BigInteger("18446744073709551615"));
        assertMaps("b37eb01f7bffafd8", Long.MAX_VALUE);
        assertMaps("b37eb01f7bffafd8", BigInteger.valueOf(Long.MAX_VALUE));
        assertMaps("102c27ddb26a609e", Long.MIN_VALUE);
    }

    @Test
    void writesTheHashLittleEndianAsVitessDoes() {
        // NULL hashes the empty input: XXH64("") = 0xef46db3751d8e999, stored byte-reversed.
        assertEquals("99e9d85137db46ef", hex(XxhashVindex.hash(new byte[0])));
        assertEquals("5b6e8ca9f1c44ed2", hex(XxhashVindex.hash("a".getBytes(StandardCharsets.US_ASCII))));
    }

    @Test
    void hashesAnIntegerByItsDecimalText() {
        // Vitess hashes Value.ToBytes(), which is the integer's text; xxhash_test.go TestXXHashVerify also maps
        // Uint64(1) to the same id as Int64(1).
        byte[] one = xxhash.keyspaceId(1L);
        for (Object form : List.of(1, (short) 1, (byte) 1, BigInteger.ONE, "1", bytes("1"))) {
            assertArrayEquals(one, xxhash.keyspaceId(form), form.getClass().getSimpleName() + " " + form);
        }
        assertNotEquals(hex(one), hex(xxhash.keyspaceId("01")), "text is hashed as is, not parsed");
    }

    @Test
    void hashesBinaryAsIsAndTextAsUtf8() {
        // TestXXHashVerify: the hex literals x'9efa' and 0x9efa map like the raw bytes 9e fa.
        byte[] raw = {(byte) 0x9e, (byte) 0xfa};
        assertArrayEquals(XxhashVindex.hash(raw), xxhash.keyspaceId(raw));
        byte[] utf8 = "caf\u00e9".getBytes(StandardCharsets.UTF_8);
        assertArrayEquals(xxhash.keyspaceId(utf8), xxhash.keyspaceId("caf\u00e9"));
    }

    @Test
    void rejectsOtherTypesAndSaysWhich() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> xxhash.keyspaceId(1.5));
        assertEquals("xxhash vindex needs a string, binary or integer value; got 1.5", e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> xxhash.keyspaceId(new Object()));
        assertEquals("xxhash vindex needs a string, binary or integer value; got a java.lang.Object", e.getMessage());
    }

    private void assertMaps(String expectedHex, Object value) {
        assertEquals(expectedHex, hex(xxhash.keyspaceId(value)), String.valueOf(value));
    }

    private static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.US_ASCII);
    }

    private static String hex(byte[] bytes) {
        return HexFormat.of().formatHex(bytes);
    }
}
