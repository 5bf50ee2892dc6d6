package io.switchyard.proxy.auth;

import java.util.Random;

/**
 * Authentication nonces ("scrambles") as MySQL generates them: 20 bytes in 1..127, never NUL (the nonce travels
 * NUL-terminated) and never {@code '$'} (the separator of MySQL's stored SHA-2 hashes), see
 * {@code generate_user_salt} in the MySQL server.
 */
public final class Seeds {
    /** The nonce length of mysql_native_password and caching_sha2_password. */
    public static final int LENGTH = 20;

    private Seeds() {
    }

    /** A fresh nonce; pass a {@link java.security.SecureRandom} in production and a seeded Random in tests. */
    public static byte[] generate(Random random) {
        byte[] seed = new byte[LENGTH];
        random.nextBytes(seed);
        for (int i = 0; i < seed.length; i++) {
            int b = seed[i] & 0x7F;
            if (b == 0 || b == '$') {
                b++;
            }
            seed[i] = (byte) b;
        }
        return seed;
    }
}
