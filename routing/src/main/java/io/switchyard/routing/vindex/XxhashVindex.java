package io.switchyard.routing.vindex;

import java.math.BigInteger;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;

/**
 * Vitess's {@code xxhash} vindex: the keyspace id is XXH64 (seed 0) of the value's bytes, written as 8 bytes
 * <em>little-endian</em> (Vitess uses {@code binary.LittleEndian.PutUint64}).
 *
 * <p>The bytes are what Vitess's {@code Value.ToBytes()} gives: a string's UTF-8 bytes (the connection character
 * set's bytes as MySQL sends them), binary as is, and an integer's decimal text, so {@code 1}, {@code '1'} and
 * {@code x'31'} share a keyspace id. Because the text of a signed value differs from its unsigned reinterpretation,
 * {@code -1L} and {@code BigInteger 18446744073709551615} map differently, as in Vitess. {@code NULL} maps like the
 * empty string, also as in Vitess.
 *
 * @see <a href="https://github.com/vitessio/vitess/blob/main/go/vt/vtgate/vindexes/xxhash.go">Vitess xxhash.go</a>
 */
public final class XxhashVindex implements Vindex {
    static final String TYPE = "xxhash";

    private static final byte[] NULL_BYTES = new byte[0];

    @Override
    public String type() {
        return TYPE;
    }

    @Override
    public byte[] keyspaceId(Object value) {
        return hash(toBytes(value));
    }

    /** The keyspace id of raw value bytes. */
    public static byte[] hash(byte[] bytes) {
        long h = XxHash64.hash(bytes, 0);
        return ByteBuffer.allocate(Long.BYTES).order(ByteOrder.LITTLE_ENDIAN).putLong(h).array();
    }

    /**
     * The bytes Vitess hashes for a column value.
     *
     * @throws IllegalArgumentException for a type that is not a string, binary or integer
     */
    static byte[] toBytes(Object value) {
        if (value == null) {
            return NULL_BYTES;
        }
        if (value instanceof byte[] bytes) {
            return bytes;
        }
        if (value instanceof String text) {
            return text.getBytes(StandardCharsets.UTF_8);
        }
        if (value instanceof Long || value instanceof Integer || value instanceof Short || value instanceof Byte
                || value instanceof BigInteger) {
            return value.toString().getBytes(StandardCharsets.US_ASCII);
        }
        throw new IllegalArgumentException("xxhash vindex needs a string, binary or integer value; got "
                + Values.describe(value));
    }
}
