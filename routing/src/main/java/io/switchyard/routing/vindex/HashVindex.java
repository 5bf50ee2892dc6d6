package io.switchyard.routing.vindex;

import java.math.BigInteger;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.util.HexFormat;
import javax.crypto.Cipher;
import javax.crypto.spec.SecretKeySpec;

/**
 * Vitess's {@code hash} vindex: the keyspace id of a 64-bit integer is its 8-byte big-endian form encrypted with
 * Triple DES under an all-zero 24-byte key (which equals single DES under an all-zero key). The map is a bijection
 * on 64-bit values, so it is reversible: {@link #reverse(byte[])} recovers the integer, as Vitess's
 * {@code ReverseMap} does.
 *
 * <p>Integers are taken as Vitess takes them: a signed value maps through Go's {@code uint64(int64)} cast, so
 * {@code -1} and {@code 18446744073709551615} share a keyspace id; text and binary values must be a decimal integer
 * in {@code [-2^63, 2^64)} (ASCII digits, optional sign, no spaces), else {@code keyspaceId} throws
 * {@link IllegalArgumentException}, as it does for {@code NULL}: Vitess maps both to no shard at all, which the
 * planner decides for itself. One difference: Vitess maps a negative number that arrives as quoted text
 * ({@code '-1'}) to no shard; the planner hands both forms over as a {@code String}, so here both map like the
 * unquoted literal.
 *
 * <p>The JDK's SunJCE provider accepts the all-zero key (a weak key; it does not check). A {@link Cipher} is not
 * thread-safe and costs microseconds to create, so each thread that uses this vindex keeps its own pair; with
 * Netty that is one pair per event loop.
 *
 * @see <a href="https://github.com/vitessio/vitess/blob/main/go/vt/vtgate/vindexes/hash.go">Vitess hash.go</a>
 */
public final class HashVindex implements Vindex {
    static final String TYPE = "hash";

    private static final String TRANSFORMATION = "DESede/ECB/NoPadding";
    private static final SecretKeySpec NULL_KEY = new SecretKeySpec(new byte[24], "DESede");
    private static final BigInteger TWO_TO_THE_64 = BigInteger.ONE.shiftLeft(64);

    private final ThreadLocal<Ciphers> ciphers = ThreadLocal.withInitial(Ciphers::create);

    /**
     * Creates the vindex and checks now, rather than on the first query, that this JVM's crypto provider does
     * Triple DES with an all-zero key.
     *
     * @throws IllegalStateException if it does not (for example a FIPS-only provider)
     */
    public HashVindex() {
        ciphers.get();
    }

    @Override
    public String type() {
        return TYPE;
    }

    @Override
    public byte[] keyspaceId(Object value) {
        return hash(toUint64(value));
    }

    /** The keyspace id of a 64-bit value, whose bits are read as unsigned (Go's {@code uint64}). */
    public byte[] hash(long uint64) {
        byte[] plain = ByteBuffer.allocate(Long.BYTES).putLong(uint64).array();
        return ciphers.get().encrypt(plain);
    }

    /**
     * The integer a keyspace id came from: the 64 bits of an unsigned value, so print it with
     * {@link Long#toUnsignedString(long)}.
     *
     * @throws IllegalArgumentException if the id is not 8 bytes long, in Vitess's words
     */
    public long reverse(byte[] keyspaceId) {
        if (keyspaceId.length != Long.BYTES) {
            throw new IllegalArgumentException("invalid keyspace id: " + HexFormat.of().formatHex(keyspaceId));
        }
        return ByteBuffer.wrap(ciphers.get().decrypt(keyspaceId)).getLong();
    }

    /**
     * The unsigned 64-bit value the vindex hashes, as Vitess derives it from a column value.
     *
     * @throws IllegalArgumentException if the value is not an integer in {@code [-2^63, 2^64)}
     */
    static long toUint64(Object value) {
        if (value instanceof Long || value instanceof Integer || value instanceof Short || value instanceof Byte) {
            return ((Number) value).longValue();
        }
        if (value instanceof BigInteger big) {
            if (big.bitLength() > (big.signum() < 0 ? 63 : 64)) {
                throw outOfRange(value);
            }
            return big.longValue();
        }
        if (value instanceof String text) {
            return parseUint64(text, value);
        }
        if (value instanceof byte[] bytes) {
            return parseUint64(new String(bytes, StandardCharsets.ISO_8859_1), value);
        }
        throw new IllegalArgumentException("hash vindex needs an integer; got " + Values.describe(value));
    }

    /**
     * Parses decimal text the way Vitess does: Go's {@code strconv.ParseInt} first (a negative result is then cast
     * to {@code uint64}), else {@code strconv.ParseUint}, which takes no sign.
     */
    private static long parseUint64(String text, Object value) {
        if (!isDecimalInteger(text)) {
            throw new IllegalArgumentException("hash vindex needs an integer; got " + Values.describe(value));
        }
        try {
            char first = text.charAt(0);
            return first == '-' || first == '+' ? Long.parseLong(text) : Long.parseUnsignedLong(text);
        } catch (NumberFormatException e) {
            throw outOfRange(value);
        }
    }

    private static boolean isDecimalInteger(String text) {
        int start = !text.isEmpty() && (text.charAt(0) == '-' || text.charAt(0) == '+') ? 1 : 0;
        if (start == text.length()) {
            return false;
        }
        for (int i = start; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c < '0' || c > '9') {
                return false;
            }
        }
        return true;
    }

    private static IllegalArgumentException outOfRange(Object value) {
        return new IllegalArgumentException("hash vindex needs a 64-bit integer, from " + Long.MIN_VALUE + " to "
                + TWO_TO_THE_64.subtract(BigInteger.ONE) + "; got " + Values.describe(value));
    }

    /** One thread's ciphers; never shared between threads. */
    private static final class Ciphers {
        private final Cipher encryptor;
        private final Cipher decryptor;

        private Ciphers(Cipher encryptor, Cipher decryptor) {
            this.encryptor = encryptor;
            this.decryptor = decryptor;
        }

        static Ciphers create() {
            try {
                Cipher encrypt = Cipher.getInstance(TRANSFORMATION);
                encrypt.init(Cipher.ENCRYPT_MODE, NULL_KEY);
                Cipher decrypt = Cipher.getInstance(TRANSFORMATION);
                decrypt.init(Cipher.DECRYPT_MODE, NULL_KEY);
                return new Ciphers(encrypt, decrypt);
            } catch (GeneralSecurityException e) {
                throw new IllegalStateException("the hash vindex needs " + TRANSFORMATION
                        + " with an all-zero key, which this JVM's crypto provider refuses: " + e.getMessage(), e);
            }
        }

        byte[] encrypt(byte[] block) {
            return run(encryptor, block);
        }

        byte[] decrypt(byte[] block) {
            return run(decryptor, block);
        }

        private static byte[] run(Cipher cipher, byte[] block) {
            try {
                return cipher.doFinal(block);
            } catch (GeneralSecurityException e) {
                // Unreachable: ECB without padding takes any 8-byte block.
                throw new IllegalStateException(TRANSFORMATION + " failed on one 8-byte block", e);
            }
        }
    }
}
