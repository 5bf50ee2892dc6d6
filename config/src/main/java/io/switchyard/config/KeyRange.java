package io.switchyard.config;

import java.util.HexFormat;
import java.util.Locale;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * A range of keyspace ids, start inclusive and end exclusive, as in Vitess: keyspace ids are byte strings compared
 * unsigned and lexicographically, an empty start is minus infinity and an empty end plus infinity.
 *
 * <p>Bounds are stored as lowercase hex with trailing {@code 00} bytes removed, because Vitess treats a shorter bound
 * as that bound padded with zeros: {@code -80} and {@code -8000} end at the same place. Normalising makes the record's
 * {@code equals} mean "same range", and comparisons pad the shorter side with zeros for the same reason.
 *
 * @param start lowercase hex, "" for minus infinity
 * @param end lowercase hex, "" for plus infinity
 */
public record KeyRange(String start, String end) {

    private static final Pattern HEX = Pattern.compile("(?:[0-9a-fA-F]{2})*");
    private static final String EXAMPLES = "\"-80\", \"80-\" or \"40-80\"";

    /** Every keyspace id: the range of an unsharded keyspace's only shard. Declared after HEX, which it needs. */
    public static final KeyRange FULL = new KeyRange("", "");

    public KeyRange {
        Objects.requireNonNull(start, "start");
        Objects.requireNonNull(end, "end");
        String problem = boundProblem("start", start);
        if (problem == null) {
            problem = boundProblem("end", end);
        }
        if (problem != null) {
            throw new ConfigException("", problem);
        }
        start = normalize(start);
        String written = end;
        end = normalize(end);
        if (!written.isEmpty() && end.isEmpty()) {
            throw new ConfigException("", "end " + written + " is zero, so the range is empty");
        }
        if (!end.isEmpty() && compare(start, end) >= 0) {
            throw new ConfigException("", "start " + start + " is not below end " + end);
        }
    }

    /**
     * Parses a Vitess shard name such as {@code -80}, {@code 80-}, {@code 40-80} or {@code -} (the full range).
     *
     * @throws ConfigException with an empty path and a message like {@code "80-7f" is not a keyrange: start 80 is not
     *     below end 7f}
     */
    public static KeyRange parse(String shardName) {
        Objects.requireNonNull(shardName, "shardName");
        int dash = shardName.indexOf('-');
        if (dash < 0 || dash != shardName.lastIndexOf('-')) {
            throw notAKeyRange(shardName, "expected hex start-end such as " + EXAMPLES);
        }
        try {
            return new KeyRange(shardName.substring(0, dash), shardName.substring(dash + 1));
        } catch (ConfigException e) {
            throw notAKeyRange(shardName, e.problems().get(0).message());
        }
    }

    public boolean isFull() {
        return start.isEmpty() && end.isEmpty();
    }

    /** Whether the keyspace id falls in this range (start inclusive, end exclusive). */
    public boolean contains(byte[] keyspaceId) {
        String id = HexFormat.of().formatHex(keyspaceId);
        return compare(start, id) <= 0 && (end.isEmpty() || compare(id, end) < 0);
    }

    /** Whether the two ranges share at least one keyspace id. */
    public boolean overlaps(KeyRange other) {
        return startsBefore(other.start, end) && startsBefore(start, other.end);
    }

    /** Whether a start bound lies before an end bound; an empty start is zero, an empty end plus infinity. */
    static boolean startsBefore(String start, String end) {
        return end.isEmpty() || compare(start, end) < 0;
    }

    public byte[] startBytes() {
        return HexFormat.of().parseHex(start);
    }

    /** The end bound's bytes; empty means plus infinity. */
    public byte[] endBytes() {
        return HexFormat.of().parseHex(end);
    }

    /** The shard-name form, e.g. {@code 40-80}; {@code -} for the full range. */
    @Override
    public String toString() {
        return start + "-" + end;
    }

    /**
     * Compares two finite positions given as lowercase hex, padding the shorter with zeros. Lowercase hex digits sort
     * in ASCII as their nibble values do, so comparing characters compares the bytes unsigned.
     */
    static int compare(String a, String b) {
        int length = Math.max(a.length(), b.length());
        for (int i = 0; i < length; i++) {
            char x = i < a.length() ? a.charAt(i) : '0';
            char y = i < b.length() ? b.charAt(i) : '0';
            if (x != y) {
                return x < y ? -1 : 1;
            }
        }
        return 0;
    }

    /** Like {@link #compare} for end bounds, where "" is plus infinity rather than zero. */
    static int compareEnds(String a, String b) {
        if (a.isEmpty() || b.isEmpty()) {
            return Boolean.compare(a.isEmpty(), b.isEmpty());
        }
        return compare(a, b);
    }

    private static String boundProblem(String which, String bound) {
        if (HEX.matcher(bound).matches()) {
            return null;
        }
        return which + " " + Problems.quote(bound) + " is not hex bytes (an even number of digits 0-9, a-f)";
    }

    private static String normalize(String hex) {
        String lower = hex.toLowerCase(Locale.ROOT);
        int length = lower.length();
        while (length >= 2 && lower.startsWith("00", length - 2)) {
            length -= 2;
        }
        return lower.substring(0, length);
    }

    private static ConfigException notAKeyRange(String name, String why) {
        return new ConfigException("", Problems.quote(name) + " is not a keyrange: " + why);
    }
}
