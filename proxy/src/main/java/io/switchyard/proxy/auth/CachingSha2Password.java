package io.switchyard.proxy.auth;

import java.security.MessageDigest;
import java.util.Arrays;

/**
 * caching_sha2_password, the MySQL 8 default
 * (https://dev.mysql.com/doc/dev/mysql-server/latest/page_caching_sha2_authentication_exchanges.html).
 *
 * <p>Fast path: the client sends {@code XOR(SHA256(password), SHA256(SHA256(SHA256(password)) + seed))}; a server
 * that holds {@code SHA256(SHA256(password))} verifies it and answers AuthMoreData {@link #FAST_AUTH_SUCCESS}, then
 * OK. The gateway knows passwords from its config, so it can always take this path.
 *
 * <p>Full path (a server without the cached digest answers {@link #PERFORM_FULL_AUTHENTICATION}): over TLS the
 * client sends the password NUL-terminated in clear ({@link #cleartextResponse}); without TLS it sends
 * {@link #REQUEST_PUBLIC_KEY}, gets the PEM key in an AuthMoreData and sends the RSA-encrypted
 * {@code (password + NUL) XOR seed} ({@link ServerRsaKey#decryptPassword}, {@link RsaPasswords#encrypt}).
 * An empty password is an empty response.
 */
public final class CachingSha2Password {
    public static final String PLUGIN_NAME = "caching_sha2_password";
    /** Client to server: send me your public key. Sent as the raw payload, without the AuthMoreData header. */
    public static final int REQUEST_PUBLIC_KEY = 0x02;
    /** Server to client, in AuthMoreData: the fast path succeeded, an OK follows. */
    public static final int FAST_AUTH_SUCCESS = 0x03;
    /** Server to client, in AuthMoreData: send the password in clear (TLS) or RSA-encrypted. */
    public static final int PERFORM_FULL_AUTHENTICATION = 0x04;

    private CachingSha2Password() {
    }

    /** The client's fast-path auth response for {@code password} and the server's 20-byte nonce. */
    public static byte[] scramble(byte[] password, byte[] seed) {
        if (password.length == 0) {
            return new byte[0];
        }
        byte[] stage1 = Digests.sha256(password);
        byte[] stage2 = Digests.sha256(stage1);
        return Digests.xor(stage1, Digests.sha256(stage2, seed));
    }

    /** What a server keeps to verify the fast path: SHA256(SHA256(password)), empty for an empty password. */
    public static byte[] storedDigest(byte[] password) {
        return password.length == 0 ? new byte[0] : Digests.sha256(Digests.sha256(password));
    }

    /**
     * Server side of the fast path: recovers {@code SHA256(password)} as
     * {@code response XOR SHA256(stored + seed)} and compares its SHA-256 with the stored digest in constant time.
     */
    public static boolean verify(byte[] response, byte[] seed, byte[] storedDigest) {
        if (storedDigest.length == 0 || response.length == 0) {
            return storedDigest.length == 0 && response.length == 0;
        }
        if (response.length != storedDigest.length) {
            return false;
        }
        byte[] stage1 = Digests.xor(response, Digests.sha256(storedDigest, seed));
        return MessageDigest.isEqual(Digests.sha256(stage1), storedDigest);
    }

    /** The full-path response over TLS: the password followed by a NUL. */
    public static byte[] cleartextResponse(byte[] password) {
        return Arrays.copyOf(password, password.length + 1);
    }

    /** The password from a full-path cleartext response: everything up to the first NUL. */
    public static byte[] parseCleartextResponse(byte[] response) {
        int end = 0;
        while (end < response.length && response[end] != 0) {
            end++;
        }
        return Arrays.copyOf(response, end);
    }

    /** {@code (password + NUL) XOR seed}, the seed repeated as needed: what is RSA-encrypted on the full path. */
    static byte[] xorWithSeed(byte[] password, byte[] seed) {
        byte[] plain = cleartextResponse(password);
        for (int i = 0; i < plain.length; i++) {
            plain[i] ^= seed[i % seed.length];
        }
        return plain;
    }
}
