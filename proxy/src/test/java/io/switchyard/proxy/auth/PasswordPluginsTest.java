package io.switchyard.proxy.auth;

import com.mysql.cj.protocol.Security;
import io.switchyard.proxy.codec.Hex;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Scrambles checked three ways: against vectors computed with Python's hashlib on the definitions of the MySQL
 * documentation, against the drivers applications use (MySQL Connector/J, MariaDB Connector/J), and server-side
 * verification against client-side scrambling.
 */
class PasswordPluginsTest {
    private static final byte[] SEED = "abcdefghij0123456789".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] APP = "app".getBytes(StandardCharsets.UTF_8);

    @Test
    void nativePasswordMatchesAnIndependentlyComputedVector() {
        // python3: s1=sha1(b"app"); s1 XOR sha1(seed + sha1(s1))
        assertEquals("425b49e2247b2f4dcbfbb0a807dee223306e2018", Hex.hex(NativePassword.scramble(APP, SEED)));
        // `echo -n app | openssl sha1 -binary | openssl sha1 -binary | xxd -p`
        assertEquals("5bcb3e6ac345b435c7c2e6b7949a04ce6f6563d3", Hex.hex(NativePassword.storedHash(APP)));
        // MySQL's PASSWORD('password'), a widely published value.
        assertArrayEquals(NativePassword.storedHash("password".getBytes()),
                NativePassword.parseStoredHash("*2470C0C06DEE42FD1618BB99005ADCA2EC9D1E19"));
        assertEquals("*2470C0C06DEE42FD1618BB99005ADCA2EC9D1E19",
                NativePassword.formatStoredHash(NativePassword.storedHash("password".getBytes())));
    }

    @Test
    void nativePasswordMatchesTheDrivers() {
        assertArrayEquals(Security.scramble411(APP, SEED), NativePassword.scramble(APP, SEED));
        assertArrayEquals(org.mariadb.jdbc.plugin.authentication.standard.NativePasswordPlugin
                .encryptPassword("app", SEED), NativePassword.scramble(APP, SEED));
    }

    @Test
    void nativePasswordServerVerifiesWhatTheClientScrambles() {
        byte[] seed = Seeds.generate(new Random(1));
        byte[] stored = NativePassword.storedHash(APP);
        assertTrue(NativePassword.verify(NativePassword.scramble(APP, seed), seed, stored));
        assertTrue(NativePassword.verify(Security.scramble411(APP, seed), seed, stored));
        assertFalse(NativePassword.verify(NativePassword.scramble("apq".getBytes(), seed), seed, stored));
        assertFalse(NativePassword.verify(NativePassword.scramble(APP, SEED), seed, stored), "other seed");
        assertFalse(NativePassword.verify(new byte[0], seed, stored), "no password given");
        assertTrue(NativePassword.verify(new byte[0], seed, NativePassword.storedHash(new byte[0])));
        assertFalse(NativePassword.verify(new byte[20], seed, new byte[0]), "password given, none expected");
        assertEquals(0, NativePassword.scramble(new byte[0], seed).length);
        assertThrows(IllegalArgumentException.class, () -> NativePassword.parseStoredHash("2470C0C0"));
    }

    @Test
    void cachingSha2MatchesAnIndependentlyComputedVector() throws Exception {
        // python3: t1=sha256(b"app"); t1 XOR sha256(sha256(t1) + seed)
        assertEquals("f5a8d50dfa3bcba5519f6ddefd4ae09d938333eb7ab15bf177ecf5d3e64bcafe",
                Hex.hex(CachingSha2Password.scramble(APP, SEED)));
        assertEquals("3bfc3d7ca254b2d951bd6aa00bbeb14ff3c0d8d703941aa643f506fee788ff55",
                Hex.hex(CachingSha2Password.storedDigest(APP)));
    }

    @Test
    void cachingSha2MatchesTheDrivers() throws Exception {
        assertArrayEquals(Security.scrambleCachingSha2(APP, SEED), CachingSha2Password.scramble(APP, SEED));
        // MariaDB's helper takes the plugin data as sent, NUL included, and drops the last byte itself.
        byte[] pluginData = Arrays.copyOf(SEED, SEED.length + 1);
        assertArrayEquals(org.mariadb.jdbc.plugin.authentication.standard.CachingSha2PasswordPlugin
                .sha256encryptPassword("app", pluginData), CachingSha2Password.scramble(APP, SEED));
    }

    @Test
    void cachingSha2ServerVerifiesTheFastPath() {
        byte[] seed = Seeds.generate(new Random(2));
        byte[] stored = CachingSha2Password.storedDigest(APP);
        assertTrue(CachingSha2Password.verify(CachingSha2Password.scramble(APP, seed), seed, stored));
        assertFalse(CachingSha2Password.verify(CachingSha2Password.scramble("ap".getBytes(), seed), seed, stored));
        assertFalse(CachingSha2Password.verify(NativePassword.scramble(APP, seed), seed, stored), "wrong plugin");
        assertTrue(CachingSha2Password.verify(new byte[0], seed, CachingSha2Password.storedDigest(new byte[0])));
    }

    @Test
    void cachingSha2CleartextResponseIsNulTerminated() {
        assertEquals("61707000", Hex.hex(CachingSha2Password.cleartextResponse(APP)));
        assertArrayEquals(APP, CachingSha2Password.parseCleartextResponse(Hex.bytes("61707000")));
        assertArrayEquals(APP, CachingSha2Password.parseCleartextResponse(APP));
    }

    @Test
    void seedsArePrintableLikeMySqls() {
        Random random = new Random(42);
        for (int i = 0; i < 1000; i++) {
            byte[] seed = Seeds.generate(random);
            assertEquals(Seeds.LENGTH, seed.length);
            for (byte b : seed) {
                assertTrue(b >= 1 && b <= 127 && b != '$', "byte " + b);
            }
        }
        assertArrayEquals(Seeds.generate(new Random(7)), Seeds.generate(new Random(7)), "injected randomness");
    }
}
