package io.switchyard.routing.vindex;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;

/**
 * XXH64, the 64-bit xxHash, written from the algorithm's specification.
 *
 * <p>Input is consumed in 32-byte stripes by four accumulators, then the remainder in 8-, 4- and 1-byte steps, and
 * the result is mixed by a final avalanche. All reads are little-endian, whatever the platform.
 *
 * @see <a href="https://github.com/Cyan4973/xxHash/blob/dev/doc/xxhash_spec.md">xxHash specification</a>
 */
final class XxHash64 {
    private static final long PRIME_1 = 0x9E3779B185EBCA87L;
    private static final long PRIME_2 = 0xC2B2AE3D27D4EB4FL;
    private static final long PRIME_3 = 0x165667B19E3779F9L;
    private static final long PRIME_4 = 0x85EBCA77C2B2AE63L;
    private static final long PRIME_5 = 0x27D4EB2F165667C5L;
    private static final int STRIPE = 32;

    private static final VarHandle LONG_LE =
            MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);
    private static final VarHandle INT_LE =
            MethodHandles.byteArrayViewVarHandle(int[].class, ByteOrder.LITTLE_ENDIAN);

    private XxHash64() {
    }

    /** XXH64 of the whole array with the given seed; the result's 64 bits are an unsigned value. */
    static long hash(byte[] input, long seed) {
        int length = input.length;
        int offset = 0;
        long h;
        if (length >= STRIPE) {
            long acc1 = seed + PRIME_1 + PRIME_2;
            long acc2 = seed + PRIME_2;
            long acc3 = seed;
            long acc4 = seed - PRIME_1;
            int lastStripe = length - STRIPE;
            do {
                acc1 = round(acc1, readLong(input, offset));
                acc2 = round(acc2, readLong(input, offset + 8));
                acc3 = round(acc3, readLong(input, offset + 16));
                acc4 = round(acc4, readLong(input, offset + 24));
                offset += STRIPE;
            } while (offset <= lastStripe);
            h = Long.rotateLeft(acc1, 1) + Long.rotateLeft(acc2, 7) + Long.rotateLeft(acc3, 12)
                    + Long.rotateLeft(acc4, 18);
            h = mergeAccumulator(h, acc1);
            h = mergeAccumulator(h, acc2);
            h = mergeAccumulator(h, acc3);
            h = mergeAccumulator(h, acc4);
        } else {
            h = seed + PRIME_5;
        }
        h += length;

        for (; offset + Long.BYTES <= length; offset += Long.BYTES) {
            h ^= round(0, readLong(input, offset));
            h = Long.rotateLeft(h, 27) * PRIME_1 + PRIME_4;
        }
        if (offset + Integer.BYTES <= length) {
            h ^= Integer.toUnsignedLong((int) INT_LE.get(input, offset)) * PRIME_1;
            h = Long.rotateLeft(h, 23) * PRIME_2 + PRIME_3;
            offset += Integer.BYTES;
        }
        for (; offset < length; offset++) {
            h ^= Byte.toUnsignedLong(input[offset]) * PRIME_5;
            h = Long.rotateLeft(h, 11) * PRIME_1;
        }
        return avalanche(h);
    }

    private static long readLong(byte[] input, int offset) {
        return (long) LONG_LE.get(input, offset);
    }

    private static long round(long acc, long lane) {
        acc += lane * PRIME_2;
        acc = Long.rotateLeft(acc, 31);
        return acc * PRIME_1;
    }

    private static long mergeAccumulator(long h, long acc) {
        h ^= round(0, acc);
        return h * PRIME_1 + PRIME_4;
    }

    private static long avalanche(long h) {
        h ^= h >>> 33;
        h *= PRIME_2;
        h ^= h >>> 29;
        h *= PRIME_3;
        h ^= h >>> 32;
        return h;
    }
}
