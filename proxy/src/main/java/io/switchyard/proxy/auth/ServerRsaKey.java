package io.switchyard.proxy.auth;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.Optional;

import javax.crypto.Cipher;

/**
 * The gateway's RSA key pair for caching_sha2_password's full path without TLS: the client sends
 * {@link CachingSha2Password#REQUEST_PUBLIC_KEY}, the server answers AuthMoreData({@link #publicKeyPemBytes()}),
 * the client sends the RSA-encrypted {@code (password + NUL) XOR seed}, which {@link #decryptPassword} turns back
 * into the password. Immutable and thread-safe (a new Cipher per call).
 */
public final class ServerRsaKey {
    /** The key size MySQL generates by default. */
    public static final int KEY_SIZE = 2048;

    private final KeyPair keyPair;
    private final String publicKeyPem;

    public ServerRsaKey(KeyPair keyPair) {
        if (!"RSA".equals(keyPair.getPublic().getAlgorithm())) {
            throw new IllegalArgumentException("caching_sha2_password needs an RSA key, was "
                    + keyPair.getPublic().getAlgorithm());
        }
        this.keyPair = keyPair;
        this.publicKeyPem = RsaPasswords.toPem(keyPair.getPublic());
    }

    /** A fresh 2048-bit key pair; generating one takes tens of milliseconds, so do it once at startup. */
    public static ServerRsaKey generate(SecureRandom random) {
        try {
            KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
            generator.initialize(KEY_SIZE, random);
            return new ServerRsaKey(generator.generateKeyPair());
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("RSA is required of every Java runtime", e);
        }
    }

    public PublicKey publicKey() {
        return keyPair.getPublic();
    }

    public String publicKeyPem() {
        return publicKeyPem;
    }

    /** The PEM text as the AuthMoreData payload (after the 0x01 header) that answers a public-key request. */
    public byte[] publicKeyPemBytes() {
        return publicKeyPem.getBytes(StandardCharsets.US_ASCII);
    }

    /**
     * Recovers the password from a client's RSA response: decrypts with OAEP (MySQL 8.0.5+ clients), else with
     * PKCS#1 v1.5 (Connector/J against servers announcing a version before 8.0.5), XORs with the seed and strips the
     * trailing NUL. Empty if neither padding decrypts: answer ER_ACCESS_DENIED_ERROR.
     */
    public Optional<byte[]> decryptPassword(byte[] encrypted, byte[] seed) {
        byte[] plain = decrypt(RsaPasswords.OAEP, encrypted);
        if (plain == null) {
            plain = decrypt(RsaPasswords.PKCS1, encrypted);
        }
        if (plain == null || seed.length == 0) {
            return Optional.empty();
        }
        for (int i = 0; i < plain.length; i++) {
            plain[i] ^= seed[i % seed.length];
        }
        int end = 0;
        while (end < plain.length && plain[end] != 0) {
            end++;
        }
        return Optional.of(Arrays.copyOf(plain, end));
    }

    private byte[] decrypt(String transformation, byte[] encrypted) {
        PrivateKey key = keyPair.getPrivate();
        try {
            Cipher cipher = Cipher.getInstance(transformation);
            cipher.init(Cipher.DECRYPT_MODE, key);
            return cipher.doFinal(encrypted);
        } catch (GeneralSecurityException e) {
            return null;
        }
    }
}
