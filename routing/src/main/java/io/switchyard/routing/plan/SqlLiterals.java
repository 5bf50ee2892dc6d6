package io.switchyard.routing.plan;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.time.temporal.Temporal;
import java.util.HexFormat;

/** Reading literal text into values, and writing execute-time parameter values as SQL literals. */
final class SqlLiterals {

    private SqlLiterals() {
    }

    /** A decimal number literal's value: Long or BigInteger for integers, BigDecimal or Double otherwise. */
    static Object number(String text) {
        boolean negative = text.startsWith("-");
        String digits = negative ? text.substring(1) : text;
        if (digits.indexOf('e') >= 0 || digits.indexOf('E') >= 0) {
            return Double.parseDouble(text);
        }
        if (digits.indexOf('.') >= 0) {
            return new BigDecimal(text);
        }
        BigInteger value = new BigInteger(text);
        return value.bitLength() < 64 ? (Object) value.longValue() : value;
    }

    /**
     * A quoted string literal's value, with MySQL's escapes undone (backslash escapes as in the default sql_mode,
     * and doubled quotes). {@code \%} and {@code \_} keep their backslash, as MySQL does outside LIKE.
     */
    static String unquote(String literal) {
        char quote = literal.charAt(0);
        StringBuilder value = new StringBuilder(literal.length());
        for (int i = 1; i < literal.length() - 1; i++) {
            char c = literal.charAt(i);
            if (c == '\\' && i + 1 < literal.length() - 1) {
                char escaped = literal.charAt(++i);
                switch (escaped) {
                    case '0' -> value.append('\0');
                    case 'b' -> value.append('\b');
                    case 'n' -> value.append('\n');
                    case 'r' -> value.append('\r');
                    case 't' -> value.append('\t');
                    case 'Z' -> value.append('\032');
                    case '%', '_' -> value.append('\\').append(escaped);
                    default -> value.append(escaped);
                }
            } else if (c == quote && i + 1 < literal.length() - 1 && literal.charAt(i + 1) == quote) {
                value.append(quote);
                i++;
            } else {
                value.append(c);
            }
        }
        return value.toString();
    }

    /**
     * An execute-time parameter as a bound value. Strings are quoted with doubled quotes, which every sql_mode reads
     * the same way; a string holding a backslash or NUL is sent as {@code _utf8mb4 X'..'} instead, because
     * backslashes mean different things with and without NO_BACKSLASH_ESCAPES.
     *
     * @throws IllegalArgumentException for a type with no SQL literal form, or a non-finite double
     */
    static BoundValue parameter(Object value) {
        if (value == null) {
            return BoundValue.NULL;
        }
        if (value instanceof Long || value instanceof Integer || value instanceof Short || value instanceof Byte) {
            long number = ((Number) value).longValue();
            return new BoundValue(number, Long.toString(number));
        }
        if (value instanceof BigInteger big) {
            return new BoundValue(big.bitLength() < 64 ? (Object) big.longValue() : big, big.toString());
        }
        if (value instanceof BigDecimal decimal) {
            return new BoundValue(decimal, decimal.toPlainString());
        }
        if (value instanceof Double || value instanceof Float) {
            double number = ((Number) value).doubleValue();
            if (Double.isNaN(number) || Double.isInfinite(number)) {
                throw new IllegalArgumentException("parameter value " + number + " has no SQL form");
            }
            return new BoundValue(number, Double.toString(number));
        }
        if (value instanceof Boolean flag) {
            return new BoundValue(flag ? 1L : 0L, flag ? "1" : "0");
        }
        if (value instanceof byte[] bytes) {
            return new BoundValue(bytes.clone(), "X'" + HexFormat.of().formatHex(bytes) + "'");
        }
        if (value instanceof String text) {
            return new BoundValue(text, quote(text));
        }
        if (value instanceof Temporal temporal) {
            // ISO forms, with the date-time 'T' MySQL also accepts replaced by a space for older servers.
            String text = temporal.toString().replace('T', ' ');
            return new BoundValue(text, quote(text));
        }
        throw new IllegalArgumentException("parameter of type " + value.getClass().getName() + " has no SQL form");
    }

    private static String quote(String text) {
        if (text.indexOf('\\') >= 0 || text.indexOf('\0') >= 0) {
            return "_utf8mb4 X'" + HexFormat.of().formatHex(text.getBytes(StandardCharsets.UTF_8)) + "'";
        }
        return "'" + text.replace("'", "''") + "'";
    }
}
