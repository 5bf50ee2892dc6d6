package io.switchyard.routing.vindex;

import java.util.List;
import java.util.Locale;

/**
 * A function from a sharding-column value to a keyspace id, as a Vitess vindex of the same name computes it.
 *
 * <p>Values arrive as the planner has them: {@link Long} (or {@link Integer}, {@link Short}, {@link Byte}) for a
 * signed integer, {@link java.math.BigInteger} for any integer including unsigned 64-bit values above
 * {@link Long#MAX_VALUE}, {@link String} for SQL text (the literal's value, quotes already removed: {@code '123'}
 * and {@code 123} both arrive as {@code "123"}), and {@code byte[]} for binary values (hex literals decoded).
 * A value the vindex cannot map is rejected with an {@link IllegalArgumentException} whose message names the value.
 */
public sealed interface Vindex permits HashVindex, XxhashVindex {

    /** The vindex type names {@link #of(String)} accepts, as they appear in a vschema. */
    List<String> TYPES = List.of(HashVindex.TYPE, XxhashVindex.TYPE);

    /**
     * Creates the vindex of a vschema type name ({@code hash} or {@code xxhash}, case-insensitive).
     *
     * @throws IllegalArgumentException for any other name, listing the known ones
     */
    static Vindex of(String type) {
        switch (type.toLowerCase(Locale.ROOT)) {
            case HashVindex.TYPE:
                return new HashVindex();
            case XxhashVindex.TYPE:
                return new XxhashVindex();
            default:
                throw new IllegalArgumentException(
                        "unknown vindex type '" + type + "'; known types: " + String.join(", ", TYPES));
        }
    }

    /** The vschema type name: {@code hash} or {@code xxhash}. */
    String type();

    /**
     * The keyspace id of a column value; a new array the caller owns.
     *
     * @param value the column value, see the interface documentation for the accepted types; {@code null} is SQL
     *              {@code NULL}, which only some vindexes can map
     * @throws IllegalArgumentException if this vindex cannot map the value
     */
    byte[] keyspaceId(Object value);
}
