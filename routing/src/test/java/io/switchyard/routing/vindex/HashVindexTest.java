package io.switchyard.routing.vindex;

import org.junit.jupiter.api.Test;

import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import javax.crypto.Cipher;
import javax.crypto.spec.SecretKeySpec;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class HashVindexTest {
    private final HashVindex hash = new HashVindex();

    /**
     * vitessio/vitess go/vt/vtgate/vindexes/hash_test.go, TestHashMap. The Go test writes the ids as string
     * literals in which valid UTF-8 pairs print as runes; decoded: "\x06\xe7\xea\"Βp\x8f" has Β = U+0392 = ce 92,
     * "N\xb1\x90ɢ\xfa\x16\x9c" has ɢ = U+0262 = c9 a2, and "\xf0\x98H\n\xc4ľq" has ľ = U+013E = c4 be.
     */
    private static final Map<Long, String> VITESS_HASH_MAP = Map.of(
            1L, "166b40b44aba4bd6",
            2L, "06e7ea22ce92708f",
            3L, "4eb190c9a2fa169c",
            4L, "d2fd8867d50d2dfe",
            5L, "70bb023c810ca87a",
            6L, "f098480ac4c4be71");

    @Test
    void mapsIntegersAsVitessHashTestDoes() {
        VITESS_HASH_MAP.forEach((id, ksid) -> assertEquals(ksid, hex(hash.keyspaceId(id)), "hash(" + id + ")"));
    }

    @Test
    void zeroIsTheDesKnownAnswerForAnAllZeroKeyAndBlock() {
        // The classic DES known-answer test (NBS/FIPS validation): key 0, plaintext 0 -> 8ca64de9c1b123a7.
        assertEquals("8ca64de9c1b123a7", hex(hash.keyspaceId(0L)));
    }

    @Test
    void reversesAsVitessReverseMapDoes() {
        // hash_test.go TestHashReverseMap: 166b40b44aba4bd6 -> uint64 1.
        assertEquals(1L, hash.reverse(HexFormat.of().parseHex("166b40b44aba4bd6")));
        VITESS_HASH_MAP.forEach((id, ksid) -> assertEquals(id, hash.reverse(HexFormat.of().parseHex(ksid))));
        for (long v : new long[] {0, -1, Long.MIN_VALUE, Long.MAX_VALUE, 0x0123456789abcdefL, 1000, 1001}) {
            assertEquals(v, hash.reverse(hash.hash(v)), Long.toUnsignedString(v));
        }
    }

    @Test
    void rejectsAKeyspaceIdThatIsNotEightBytesInVitessWords() {
        // hash_test.go TestHashReverseMapNeg.
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> hash.reverse(HexFormat.of().parseHex("166b40b44aba4bd6166b40b44aba4bd6")));
        assertEquals("invalid keyspace id: 166b40b44aba4bd6166b40b44aba4bd6", e.getMessage());
    }

    @Test
    void putsTheLocalExampleCustomersOnTheShardsVitessShows() {
        // vitessio/website content/en/docs/user-guides/configuration-advanced/resharding.md: after resharding
        // customer (hash vindex on customer_id, rows from vitessio/vitess examples/common/insert_commerce_data.sql)
        // into -80 and 80-, customers 1, 2, 3, 5 are on -80 and customer 4 on 80-.
        KeyRange low = KeyRange.parse("-80");
        KeyRange high = KeyRange.parse("80-");
        for (long id : List.of(1L, 2L, 3L, 5L)) {
            byte[] ksid = hash.keyspaceId(id);
            assertEquals(List.of(true, false), List.of(low.contains(ksid), high.contains(ksid)), "customer " + id);
        }
        byte[] four = hash.keyspaceId(4L);
        assertEquals(List.of(false, true), List.of(low.contains(four), high.contains(four)), "customer 4");
    }

    @Test
    void takesEveryFormOfTheSameInteger() {
        byte[] one = hash.keyspaceId(1L);
        for (Object form : List.of(1, (short) 1, (byte) 1, BigInteger.ONE, "1", "+1", "01", bytes("1"))) {
            assertArrayEquals(one, hash.keyspaceId(form), form.getClass().getSimpleName() + " " + form);
        }
    }

    @Test
    void castsNegativeNumbersToUnsignedAsGoDoes() {
        // Vitess: uint64(int64) for signed values, so -1 is 2^64-1 and Long.MIN_VALUE is 2^63.
        byte[] minusOne = hash.keyspaceId(-1L);
        for (Object form : List.of(-1, "-1", bytes("-1"), new BigInteger("18446744073709551615"),
                "18446744073709551615", BigInteger.ONE.negate())) {
            assertArrayEquals(minusOne, hash.keyspaceId(form), form.getClass().getSimpleName() + " " + form);
        }
        assertArrayEquals(hash.keyspaceId(Long.MIN_VALUE), hash.keyspaceId("9223372036854775808"));
        assertArrayEquals(hash.keyspaceId(Long.MIN_VALUE), hash.keyspaceId("-9223372036854775808"));
        assertEquals(-1L, hash.reverse(minusOne));
        assertEquals("18446744073709551615", Long.toUnsignedString(hash.reverse(minusOne)));
    }

    @Test
    void rejectsWhatIsNotAnIntegerAndSaysWhat() {
        assertEquals("hash vindex needs an integer; got 'abc'", message("abc"));
        // hash_test.go TestHashVerify fails on the binary value 'aa' too.
        assertEquals("hash vindex needs an integer; got 'aa'", message(bytes("aa")));
        assertEquals("hash vindex needs an integer; got x'00ff'", message(new byte[] {0, -1}));
        assertEquals("hash vindex needs an integer; got NULL", message(null));
        assertEquals("hash vindex needs an integer; got 1.5", message(1.5));
        for (String text : List.of("", "-", "1.5", " 1", "1 ", "0x10", "1e3", "\u0661\u0662\u0663", "'1'")) {
            assertEquals("hash vindex needs an integer; got '" + text + "'", message(text));
        }
    }

    @Test
    void rejectsIntegersOutsideSixtyFourBits() {
        for (Object big : List.of("18446744073709551616", "-9223372036854775809", "+18446744073709551615",
                BigInteger.ONE.shiftLeft(64), BigInteger.ONE.shiftLeft(63).negate().subtract(BigInteger.ONE))) {
            assertEquals("hash vindex needs a 64-bit integer, from -9223372036854775808 to 18446744073709551615;"
                    + " got " + (big instanceof String ? "'" + big + "'" : big), message(big));
        }
    }

    @Test
    void shortensHugeValuesInMessages() {
        String huge = "x".repeat(10_000);
        assertEquals("hash vindex needs an integer; got '" + "x".repeat(64) + "...(10000 chars)'", message(huge));
    }

    @Test
    void jceAcceptsTheAllZeroTripleDesKeyAndItEqualsSingleDes() throws Exception {
        // Vitess once used single DES under a null key and says 3DES under a null key is equivalent (EDE with
        // K1 = K2 = K3 collapses to one encryption). Check both against each other for a spread of blocks.
        Cipher des = Cipher.getInstance("DES/ECB/NoPadding");
        des.init(Cipher.ENCRYPT_MODE, new SecretKeySpec(new byte[8], "DES"));
        for (long v = -5; v < 1000; v += 7) {
            byte[] block = java.nio.ByteBuffer.allocate(8).putLong(v * 0x9E3779B97F4A7C15L).array();
            assertArrayEquals(des.doFinal(block), hash.hash(v * 0x9E3779B97F4A7C15L));
        }
    }

    @Test
    void isSafeToShareBetweenThreads() throws Exception {
        int threads = 8;
        Thread[] workers = new Thread[threads];
        Throwable[] failures = new Throwable[threads];
        for (int t = 0; t < threads; t++) {
            int index = t;
            workers[t] = new Thread(() -> {
                try {
                    for (int i = 0; i < 2_000; i++) {
                        long v = index * 1_000_000L + i;
                        assertEquals(v, hash.reverse(hash.keyspaceId(v)));
                        assertEquals("166b40b44aba4bd6", hex(hash.keyspaceId(1L)));
                    }
                } catch (Throwable e) {
                    failures[index] = e;
                }
            });
            workers[t].start();
        }
        for (int t = 0; t < threads; t++) {
            workers[t].join();
            if (failures[t] != null) {
                throw new AssertionError("worker " + t, failures[t]);
            }
        }
    }

    private String message(Object value) {
        return assertThrows(IllegalArgumentException.class, () -> hash.keyspaceId(value)).getMessage();
    }

    private static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.US_ASCII);
    }

    private static String hex(byte[] bytes) {
        return HexFormat.of().formatHex(bytes);
    }
}
