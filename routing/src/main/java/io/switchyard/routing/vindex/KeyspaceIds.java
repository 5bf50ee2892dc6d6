package io.switchyard.routing.vindex;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;

/**
 * Keyspace-id arithmetic with Vitess's semantics ({@code go/vt/key/key.go}).
 *
 * <p>Keyspace ids and key-range bounds compare as unsigned bytes, left to right, <em>ignoring trailing zero
 * bytes</em>: {@code -80 == 00-80 == 0000-8000}, so a bound's length never matters, and a bound of only zero bytes
 * is the same as an empty one (unbounded).
 */
public final class KeyspaceIds {
    private static final HexFormat HEX = HexFormat.of();

    private KeyspaceIds() {
    }

    /** Lower-case hex, the form Vitess prints keyspace ids and shard bounds in. */
    public static String toHex(byte[] id) {
        return HEX.formatHex(id);
    }

    /**
     * Parses hex, either case; the empty string is the empty id.
     *
     * @throws IllegalArgumentException for an odd length or a non-hex character
     */
    public static byte[] fromHex(String hex) {
        try {
            return HEX.parseHex(hex);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("'" + hex + "' is not a hex keyspace id: " + e.getMessage(), e);
        }
    }

    /**
     * Compares as Vitess's {@code key.Compare}: unsigned bytes lexicographically after dropping trailing zero bytes.
     * Negative, zero or positive as {@code a} is below, equal to or above {@code b}.
     */
    public static int compare(byte[] a, byte[] b) {
        return Arrays.compareUnsigned(a, 0, significantLength(a), b, 0, significantLength(b));
    }

    /**
     * Whether {@code id} lies in {@code [start, end)}; an empty (or all-zero) start or end is unbounded, as in
     * Vitess's {@code key.KeyRangeContains}.
     */
    public static boolean inRange(byte[] id, byte[] start, byte[] end) {
        return (isUnbounded(start) || compare(id, start) >= 0) && (isUnbounded(end) || compare(id, end) < 0);
    }

    /**
     * Parses one shard name into its key range: {@code -80}, {@code 80-}, {@code 40-80}, and {@code -} or {@code 0}
     * for the whole range (an unsharded keyspace's single shard is named {@code 0}).
     *
     * @throws IllegalArgumentException for anything else, including a start not below its end
     */
    public static KeyRange parseShardName(String name) {
        List<KeyRange> ranges = parseShardingSpec(name);
        if (ranges.size() != 1) {
            throw new IllegalArgumentException("shard name '" + name + "' names " + ranges.size()
                    + " key ranges; a shard has one, as in -80, 80- or 40-80");
        }
        return ranges.get(0);
    }

    /**
     * Parses a sharding spec as Vitess's {@code key.ParseShardingSpec}: {@code -40-80-} is the three ranges
     * {@code -40}, {@code 40-80}, {@code 80-}. Bounds are hex; an empty bound may only be first or last; {@code 0}
     * means the whole range. Unlike Vitess, bounds are ordered by value rather than as strings, so {@code 80-8000}
     * (an empty range) is rejected instead of accepted.
     *
     * @throws IllegalArgumentException naming the spec and what is wrong with it
     */
    public static List<KeyRange> parseShardingSpec(String spec) {
        String[] bounds = spec.equals("0") ? new String[] {"", ""} : spec.split("-", -1);
        if (bounds.length < 2) {
            throw new IllegalArgumentException("'" + spec + "' is not a key range: expected hex bounds around '-'"
                    + " as in -80, 80- or 40-80 (or 0 for the whole range)");
        }
        List<KeyRange> ranges = new ArrayList<>(bounds.length - 1);
        byte[] start = parseBound(spec, bounds[0]);
        for (int i = 1; i < bounds.length; i++) {
            boolean last = i == bounds.length - 1;
            if (bounds[i].isEmpty() && !last) {
                throw new IllegalArgumentException("'" + spec + "' has an empty bound in the middle;"
                        + " only the first and last bounds may be empty (unbounded)");
            }
            byte[] end = parseBound(spec, bounds[i]);
            if (!isUnbounded(start) && !isUnbounded(end) && compare(start, end) >= 0) {
                throw new IllegalArgumentException("'" + spec + "' is out of order: " + bounds[i - 1]
                        + " is not below " + bounds[i]);
            }
            ranges.add(new KeyRange(start, end));
            start = end;
        }
        return List.copyOf(ranges);
    }

    static boolean isUnbounded(byte[] bound) {
        return significantLength(bound) == 0;
    }

    /** The length without trailing zero bytes (Vitess's {@code key.Normalize}). */
    static int significantLength(byte[] id) {
        int length = id.length;
        while (length > 0 && id[length - 1] == 0) {
            length--;
        }
        return length;
    }

    private static byte[] parseBound(String spec, String bound) {
        try {
            return HEX.parseHex(bound);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("'" + spec + "' has a bound '" + bound
                    + "' that is not hex with an even number of digits", e);
        }
    }
}
