package io.switchyard.routing.vindex;

import java.nio.charset.StandardCharsets;
import java.util.HexFormat;

/** How vindex error messages show the value they could not map. */
final class Values {
    private static final int MAX_CHARS = 64;

    private Values() {
    }

    /**
     * A short, printable rendering of a column value: text in single quotes, binary that is not printable ASCII as a
     * hex literal {@code x'..'}, anything else by its class. Long input is cut so it cannot flood a log or an error
     * packet.
     */
    static String describe(Object value) {
        if (value == null) {
            return "NULL";
        }
        if (value instanceof String text) {
            return "'" + cut(text) + "'";
        }
        if (value instanceof byte[] bytes) {
            return isPrintableAscii(bytes)
                    ? describe(new String(bytes, StandardCharsets.US_ASCII))
                    : "x'" + cut(HexFormat.of().formatHex(bytes)) + "'";
        }
        if (value instanceof Number) {
            return cut(value.toString());
        }
        return "a " + value.getClass().getName();
    }

    private static String cut(String text) {
        return text.length() <= MAX_CHARS ? text : text.substring(0, MAX_CHARS) + "...(" + text.length() + " chars)";
    }

    private static boolean isPrintableAscii(byte[] bytes) {
        for (byte b : bytes) {
            if (b < 0x20 || b > 0x7e) {
                return false;
            }
        }
        return true;
    }
}
