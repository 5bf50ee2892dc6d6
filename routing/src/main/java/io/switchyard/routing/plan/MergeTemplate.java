package io.switchyard.routing.plan;

import io.switchyard.routing.merge.MergeSpec;
import io.switchyard.routing.plan.Routing.ValueSource;
import java.math.BigInteger;
import java.util.List;

/**
 * A {@link MergeSpec} whose LIMIT and OFFSET may be bind variables ({@code LIMIT ?}), resolved per execution.
 *
 * @param spec the merge with offset 0 and no limit
 * @param limit the LIMIT value, or {@code null} for none
 * @param offset the OFFSET value, or {@code null} for none
 */
record MergeTemplate(MergeSpec spec, ValueSource limit, ValueSource offset) {

    static final MergeTemplate CONCAT = new MergeTemplate(MergeSpec.CONCAT, null, null);

    MergeSpec resolve(List<BoundValue> values) {
        if (limit == null) {
            return spec;
        }
        return spec.withLimit(offset == null ? 0 : count(offset, values), count(limit, values));
    }

    /** What each shard is asked for: {@code offset + limit} rows, since any of them may be among the first. */
    String perShardLimit(List<BoundValue> values) {
        long rows = count(limit, values) + (offset == null ? 0 : count(offset, values));
        return Long.toString(rows);
    }

    private static long count(ValueSource source, List<BoundValue> values) {
        Object value = source.value(values);
        try {
            long count = value instanceof Long || value instanceof Integer ? ((Number) value).longValue()
                    : value instanceof BigInteger big ? big.longValueExact()
                    : value instanceof String text ? Long.parseLong(text) : -1;
            if (count >= 0) {
                return count;
            }
        } catch (NumberFormatException | ArithmeticException e) {
            // reported below
        }
        throw RoutingException.syntax("LIMIT and OFFSET need a non-negative integer; got " + value);
    }
}
