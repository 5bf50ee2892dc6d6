package io.switchyard.routing.vindex;

import java.util.Arrays;

/**
 * The keyspace ids a shard owns: {@code [start, end)} compared as {@link KeyspaceIds#compare}, an empty bound being
 * unbounded. Bounds are copied in and out; equality ignores trailing zero bytes, so {@code -80} equals
 * {@code 00-8000}.
 *
 * @param start the inclusive lower bound, empty for none
 * @param end   the exclusive upper bound, empty for none
 */
public record KeyRange(byte[] start, byte[] end) {
    /** The whole keyspace-id range, {@code -}. */
    public static final KeyRange ALL = new KeyRange(new byte[0], new byte[0]);

    public KeyRange {
        start = start.clone();
        end = end.clone();
    }

    /** Parses a shard name; see {@link KeyspaceIds#parseShardName(String)}. */
    public static KeyRange parse(String shardName) {
        return KeyspaceIds.parseShardName(shardName);
    }

    /** Whether this range owns a keyspace id. */
    public boolean contains(byte[] keyspaceId) {
        return KeyspaceIds.inRange(keyspaceId, start, end);
    }

    /** Whether this range is the whole keyspace-id range. */
    public boolean isAll() {
        return KeyspaceIds.isUnbounded(start) && KeyspaceIds.isUnbounded(end);
    }

    @Override
    public byte[] start() {
        return start.clone();
    }

    @Override
    public byte[] end() {
        return end.clone();
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof KeyRange that
                && KeyspaceIds.compare(start, that.start) == 0
                && KeyspaceIds.compare(end, that.end) == 0;
    }

    @Override
    public int hashCode() {
        return 31 * significantHash(start) + significantHash(end);
    }

    /** The shard name, as Vitess's {@code key.KeyRangeString} prints it: {@code 40-80}, or {@code -} for all. */
    @Override
    public String toString() {
        return isAll() ? "-" : KeyspaceIds.toHex(start) + "-" + KeyspaceIds.toHex(end);
    }

    private static int significantHash(byte[] bound) {
        return Arrays.hashCode(Arrays.copyOf(bound, KeyspaceIds.significantLength(bound)));
    }
}
