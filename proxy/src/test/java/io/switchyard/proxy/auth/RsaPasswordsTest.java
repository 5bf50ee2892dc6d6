package io.switchyard.proxy.auth;

import com.mysql.cj.protocol.ExportControlled;
import org.junit.jupiter.api.BeforeAll;
import org.mariadb.jdbc.plugin.authentication.standard.CachingSha2PasswordPlugin;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.security.PublicKey;
import java.security.SecureRandom;
import java.security.interfaces.RSAPublicKey;
import java.util.Arrays;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** caching_sha2_password's RSA exchange, against our own client side and both Connector/Js. */
class RsaPasswordsTest {
    private static final byte[] PASSWORD = "pässword".getBytes(StandardCharsets.UTF_8);
    private static ServerRsaKey key;

    @BeforeAll
    static void generateOnce() {
        key = ServerRsaKey.generate(new SecureRandom());
    }

    @Test
    void publicKeyIsPemAsMySqlSendsIt() {
        String pem = key.publicKeyPem();
        assertTrue(pem.startsWith("-----BEGIN PUBLIC KEY-----\n"), pem);
        assertTrue(pem.endsWith("\n-----END PUBLIC KEY-----\n"), pem);
        for (String line : pem.split("\n")) {
            assertTrue(line.length() <= 64, line);
        }
        assertEquals(key.publicKey(), RsaPasswords.parsePem(pem));
        assertArrayEquals(pem.getBytes(StandardCharsets.US_ASCII), key.publicKeyPemBytes());
        assertEquals(2048, ((RSAPublicKey) key.publicKey()).getModulus().bitLength());
    }

    @Test
    void ourClientSideDecryptsOnOurServerSide() {
        byte[] seed = Seeds.generate(new Random(3));
        byte[] encrypted = RsaPasswords.encrypt(PASSWORD, seed, key.publicKey(), new SecureRandom());
        assertEquals(256, encrypted.length);
        assertArrayEquals(PASSWORD, key.decryptPassword(encrypted, seed).orElseThrow());
        assertFalse(Arrays.equals(PASSWORD, key.decryptPassword(encrypted, Seeds.generate(new Random(4)))
                .orElseThrow()), "another seed gives another password");
    }

    @Test
    void mysqlConnectorJOaepAndPkcs1Decrypt() throws Exception {
        byte[] seed = Seeds.generate(new Random(5));
        RSAPublicKey parsed = ExportControlled.decodeRSAPublicKey(key.publicKeyPem());
        byte[] plain = CachingSha2Password.xorWithSeed(PASSWORD, seed);
        byte[] oaep = ExportControlled.encryptWithRSAPublicKey(plain, parsed, "RSA/ECB/OAEPWithSHA-1AndMGF1Padding");
        byte[] pkcs1 = ExportControlled.encryptWithRSAPublicKey(plain, parsed, "RSA/ECB/PKCS1Padding");
        assertArrayEquals(PASSWORD, key.decryptPassword(oaep, seed).orElseThrow());
        assertArrayEquals(PASSWORD, key.decryptPassword(pkcs1, seed).orElseThrow());
    }

    @Test
    void mariadbConnectorJDecrypts() throws Exception {
        byte[] seed = Seeds.generate(new Random(6));
        PublicKey publicKey = CachingSha2PasswordPlugin.generatePublicKey(key.publicKeyPemBytes());
        byte[] encrypted = CachingSha2PasswordPlugin.encrypt(publicKey, new String(PASSWORD, StandardCharsets.UTF_8),
                seed);
        assertArrayEquals(PASSWORD, key.decryptPassword(encrypted, seed).orElseThrow());
    }

    @Test
    void garbageDoesNotDecrypt() {
        assertTrue(key.decryptPassword(new byte[256], new byte[20]).isEmpty());
        assertTrue(key.decryptPassword(new byte[3], new byte[20]).isEmpty());
        assertThrows(IllegalArgumentException.class, () -> RsaPasswords.parsePem("not a key"));
    }
}
