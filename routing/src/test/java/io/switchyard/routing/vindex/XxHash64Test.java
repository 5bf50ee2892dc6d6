package io.switchyard.routing.vindex;

import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

class XxHash64Test {
    private static final long PRIME32 = 2654435761L;
    /** xxhsum's test-buffer multiplier, 11400714785074694797: note it is not XXH64's PRIME64_1 (...791). */
    private static final long BUFFER_MULTIPLIER = 0x9E3779B185EBCA8DL;

    @Test
    void matchesTheReferenceSanityCheckOnTheCurrentTestBuffer() {
        // Cyan4973/xxHash xxhsum.c BMK_sanityCheck (v0.7/v0.8), over BMK_fillTestBuffer: seed 0 and seed PRIME32.
        // 222 bytes runs six full 32-byte stripes, then the 8-, 4- and 1-byte tails.
        byte[] buffer = currentTestBuffer(222);
        assertHash(0xEF46DB3751D8E999L, buffer, 0, 0);
        assertHash(0xAC75FDA2929B17EFL, buffer, 0, PRIME32);
        assertHash(0xE934A84ADB052768L, buffer, 1, 0);
        assertHash(0x5014607643A9B4C3L, buffer, 1, PRIME32);
        assertHash(0x9136A0DCA57457EEL, buffer, 4, 0);
        assertHash(0x8282DCC4994E35C8L, buffer, 14, 0);
        assertHash(0xC3BD6BF63DEB6DF0L, buffer, 14, PRIME32);
        assertHash(0xB641AE8CB691C174L, buffer, 222, 0);
        assertHash(0x20CB8AB7AE10C14AL, buffer, 222, PRIME32);
    }

    @Test
    void matchesTheReferenceSanityCheckOnTheOriginalTestBuffer() {
        // The same check in the original xxhsum.c (r39 era), over a 101-byte buffer from a squaring generator.
        byte[] buffer = originalTestBuffer(101);
        assertHash(0x4FCE394CC88952D8L, buffer, 1, 0);
        assertHash(0x739840CB819FA723L, buffer, 1, PRIME32);
        assertHash(0xCFFA8DB881BC3A3DL, buffer, 14, 0);
        assertHash(0x5B9611585EFCC9CBL, buffer, 14, PRIME32);
        assertHash(0x0EAB543384F878ADL, buffer, 101, 0);
        assertHash(0xCAA65939306F1E21L, buffer, 101, PRIME32);
    }

    @Test
    void matchesTheGoImplementationVitessUses() {
        // cespare/xxhash xxhash_test.go TestSum (Vitess's xxhash vindex calls this library's Sum64).
        assertText(0xef46db3751d8e999L, "");
        assertText(0xd24ec4f1a98c6e5bL, "a");
        assertText(0x1c330fb2d66be179L, "as");
        assertText(0x631c37ce72a97393L, "asd");
        assertText(0x415872f599cea71eL, "asdf");
        // 63 bytes: one stripe, then three 8-byte steps, one 4-byte step and three single bytes.
        assertText(0x02a2e85470d6fd96L, "Call me Ishmael. Some years ago--never mind how long precisely-");
    }

    @Test
    void handlesEveryLengthAroundTheStripeBoundary() {
        // No published vectors per length, but each length must be deterministic and distinct from its neighbours.
        byte[] buffer = currentTestBuffer(100);
        long previous = 0;
        for (int length = 0; length <= 100; length++) {
            long h = XxHash64.hash(Arrays.copyOf(buffer, length), 0);
            assertEquals(h, XxHash64.hash(Arrays.copyOf(buffer, length), 0));
            if (length > 0) {
                assertNotEquals(previous, h, "length " + length);
            }
            previous = h;
        }
    }

    /** BMK_fillTestBuffer: a 64-bit multiplicative generator, one byte from the top of each state. */
    private static byte[] currentTestBuffer(int length) {
        byte[] buffer = new byte[length];
        long generator = PRIME32;
        for (int i = 0; i < length; i++) {
            buffer[i] = (byte) (generator >>> 56);
            generator *= BUFFER_MULTIPLIER;
        }
        return buffer;
    }

    /** The original generator: a 32-bit state squared each step, one byte from its top. */
    private static byte[] originalTestBuffer(int length) {
        byte[] buffer = new byte[length];
        int generator = (int) PRIME32;
        for (int i = 0; i < length; i++) {
            buffer[i] = (byte) (generator >>> 24);
            generator *= generator;
        }
        return buffer;
    }

    private static void assertHash(long expected, byte[] buffer, int length, long seed) {
        long actual = XxHash64.hash(Arrays.copyOf(buffer, length), seed);
        assertEquals(Long.toHexString(expected), Long.toHexString(actual), "length " + length + " seed " + seed);
    }

    private static void assertText(long expected, String text) {
        long actual = XxHash64.hash(text.getBytes(StandardCharsets.US_ASCII), 0);
        assertEquals(Long.toHexString(expected), Long.toHexString(actual), text);
    }
}
