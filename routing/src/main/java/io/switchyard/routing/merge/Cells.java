package io.switchyard.routing.merge;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.math.RoundingMode;
import java.nio.charset.StandardCharsets;
import java.text.Normalizer;
import java.util.Arrays;
import java.util.Locale;

/**
 * Comparison and arithmetic on text-protocol cells, by {@link ColumnKind}. A cell is the value's text as the server
 * sent it, {@code null} for SQL NULL.
 */
final class Cells {

    /** MySQL's default {@code div_precision_increment}: the scale an AVG adds to its argument's. */
    static final int DIV_PRECISION_INCREMENT = 4;

    private Cells() {
    }

    /** Orders two cells as MySQL does in ORDER BY: NULL below every value. */
    static int compare(ColumnKind kind, byte[] a, byte[] b) {
        if (kind == ColumnKind.ENUM) {
            throw new MergeException("cannot merge ORDER BY on an ENUM or SET column across shards: MySQL sorts them"
                    + " by definition order, which the result does not carry; order by CAST(col AS CHAR) instead");
        }
        return compareValues(kind, a, b);
    }

    /**
     * A total order for grouping and DISTINCT, where two cells are the same value when it returns 0 (NULL equals
     * NULL there, as in GROUP BY) and ENUM values compare by their text.
     */
    static int compareForEquality(ColumnKind kind, byte[] a, byte[] b) {
        return compareValues(kind == ColumnKind.ENUM ? ColumnKind.TEXT : kind, a, b);
    }

    private static int compareValues(ColumnKind kind, byte[] a, byte[] b) {
        if (a == null || b == null) {
            return a == null ? (b == null ? 0 : -1) : 1;
        }
        return switch (kind) {
            case INTEGER -> integer(a).compareTo(integer(b));
            case DECIMAL -> decimal(a).compareTo(decimal(b));
            case FLOAT -> Double.compare(floating(a), floating(b));
            case TEXT, ENUM -> foldText(a).compareTo(foldText(b));
            case BINARY, TEMPORAL -> Arrays.compareUnsigned(a, b);
        };
    }

    /**
     * Adds two partial SUMs or COUNTs, skipping NULL (a shard with no rows sums to NULL). Exact unless a value is a
     * float: integers stay integers and decimals keep the larger scale, as MySQL's SUM over DECIMAL does.
     */
    static byte[] add(ColumnKind kind, byte[] a, byte[] b) {
        if (a == null || b == null) {
            return a == null ? b : a;
        }
        if (kind == ColumnKind.FLOAT || isFloatText(a) || isFloatText(b)) {
            return ascii(formatDouble(floating(a) + floating(b)));
        }
        if (kind == ColumnKind.INTEGER || isIntegerText(a) && isIntegerText(b)) {
            return ascii(integer(a).add(integer(b)).toString());
        }
        return ascii(decimal(a).add(decimal(b)).toPlainString());
    }

    /**
     * An AVG from the total SUM and COUNT: NULL when no row counted; a decimal with the sum's scale plus
     * {@link #DIV_PRECISION_INCREMENT} digits, rounded half up, as MySQL computes it; a double for float columns.
     */
    static byte[] average(ColumnKind kind, byte[] sum, byte[] count) {
        if (sum == null || count == null || integer(count).signum() == 0) {
            return null;
        }
        if (kind == ColumnKind.FLOAT || isFloatText(sum)) {
            return ascii(formatDouble(floating(sum) / floating(count)));
        }
        BigDecimal total = decimal(sum);
        BigDecimal rows = new BigDecimal(integer(count));
        return ascii(total.divide(rows, total.scale() + DIV_PRECISION_INCREMENT, RoundingMode.HALF_UP).toPlainString());
    }

    /**
     * Doubles as MySQL prints them: no trailing {@code .0}, exponent form only for very large or small magnitudes
     * ({@code 1e20}, {@code 1.5e-7}).
     */
    static String formatDouble(double value) {
        if (Double.isNaN(value) || Double.isInfinite(value)) {
            throw new MergeException("the merged value " + value + " is not a number MySQL can return");
        }
        if (value == 0) {
            return "0";
        }
        BigDecimal exact = new BigDecimal(Double.toString(value)).stripTrailingZeros();
        double magnitude = Math.abs(value);
        if (magnitude >= 1e-6 && magnitude < 1e15) {
            return exact.toPlainString();
        }
        String scientific = exact.toString().toLowerCase(Locale.ROOT).replace("e+", "e");
        return scientific.contains("e") ? scientific : exact.toPlainString();
    }

    private static BigInteger integer(byte[] cell) {
        String text = text(cell);
        try {
            return text.length() <= 18 ? BigInteger.valueOf(Long.parseLong(text)) : new BigInteger(text);
        } catch (NumberFormatException e) {
            throw notA("an integer", text, e);
        }
    }

    private static BigDecimal decimal(byte[] cell) {
        String text = text(cell);
        try {
            return new BigDecimal(text);
        } catch (NumberFormatException e) {
            throw notA("a decimal", text, e);
        }
    }

    private static double floating(byte[] cell) {
        String text = text(cell);
        try {
            return Double.parseDouble(text);
        } catch (NumberFormatException e) {
            throw notA("a number", text, e);
        }
    }

    private static boolean isIntegerText(byte[] cell) {
        for (int i = 0; i < cell.length; i++) {
            byte c = cell[i];
            if (!(c >= '0' && c <= '9' || i == 0 && (c == '-' || c == '+'))) {
                return false;
            }
        }
        return cell.length > 0;
    }

    private static boolean isFloatText(byte[] cell) {
        for (byte c : cell) {
            if (c == 'e' || c == 'E' || c == 'n' || c == 'N' || c == 'i' || c == 'I') {
                return true;
            }
        }
        return false;
    }

    /**
     * The comparison key of case-insensitive text: trailing spaces dropped (PAD SPACE collations ignore them),
     * accents removed, case folded. ASCII skips the Unicode decomposition, which is the expensive part.
     */
    private static String foldText(byte[] cell) {
        String text = text(cell);
        int end = text.length();
        while (end > 0 && text.charAt(end - 1) == ' ') {
            end--;
        }
        text = text.substring(0, end);
        if (!isAscii(text)) {
            text = Normalizer.normalize(text, Normalizer.Form.NFD).replaceAll("\\p{M}+", "");
        }
        return text.toUpperCase(Locale.ROOT).toLowerCase(Locale.ROOT);
    }

    private static boolean isAscii(String text) {
        for (int i = 0; i < text.length(); i++) {
            if (text.charAt(i) >= 0x80) {
                return false;
            }
        }
        return true;
    }

    private static String text(byte[] cell) {
        return new String(cell, StandardCharsets.UTF_8);
    }

    private static byte[] ascii(String text) {
        return text.getBytes(StandardCharsets.US_ASCII);
    }

    private static MergeException notA(String what, String text, NumberFormatException e) {
        String shown = text.length() > 64 ? text.substring(0, 64) + "..." : text;
        return new MergeException("a shard returned '" + shown + "' where the merge needs " + what, e);
    }
}
