package io.switchyard.replication.verify;

import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * The result of comparing one table: how many keys were compared and how each came out, with sample keys for each
 * kind of difference.
 *
 * <p>{@code processed = matching + mismatched + extraSource + extraTarget}: every distinct key of the merged source
 * stream and the merged target stream counts once (a key on both sides once, not twice). Sample keys are JSON objects
 * such as {@code {"id":42}} (binary values as {@code "0x..."}), the first ones met in key order.
 *
 * @param table             the table name
 * @param processed         keys compared
 * @param matching          keys present on both sides with equal rows
 * @param matchingUnderCollation of those, rows whose text was not identical but equal under its collation (case,
 *                          trailing spaces, or characters the collation does not tell apart); 0 with
 *                          {@link DiffOptions.TextComparison#EXACT}. Worth a look when not 0: see {@link TableDiff}
 * @param mismatched        keys present on both sides whose rows differ
 * @param extraSource       keys only the source has (missing on the target)
 * @param extraTarget       keys only the target has
 * @param misplacedTarget   target rows on a shard whose key range does not own them (checked only when the diff was
 *                          given a {@link Placement}; not part of {@code processed}: such a row may also match)
 * @param mismatchedSamples up to the sample limit of mismatched keys
 * @param extraSourceSamples up to the sample limit of keys only on the source
 * @param extraTargetSamples up to the sample limit of keys only on the target
 * @param misplacedSamples  up to the sample limit of misplaced rows, as {@code shard: key}
 * @param mismatchedColumns for each column that differed in at least one row, in how many rows
 * @param started           when the diff started, by the diff's clock
 * @param finished          when it finished
 */
public record VerifyReport(String table, long processed, long matching, long matchingUnderCollation,
                           long mismatched, long extraSource,
                           long extraTarget, long misplacedTarget, List<String> mismatchedSamples,
                           List<String> extraSourceSamples, List<String> extraTargetSamples,
                           List<String> misplacedSamples, Map<String, Long> mismatchedColumns, Instant started,
                           Instant finished) {
    public VerifyReport {
        Objects.requireNonNull(table, "table");
        mismatchedSamples = List.copyOf(mismatchedSamples);
        extraSourceSamples = List.copyOf(extraSourceSamples);
        extraTargetSamples = List.copyOf(extraTargetSamples);
        misplacedSamples = List.copyOf(misplacedSamples);
        // Keeps the order in which columns first differed; Map.copyOf would not.
        mismatchedColumns = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(mismatchedColumns));
        Objects.requireNonNull(started, "started");
        Objects.requireNonNull(finished, "finished");
        if (matchingUnderCollation < 0 || matchingUnderCollation > matching) {
            throw new IllegalArgumentException("matchingUnderCollation (" + matchingUnderCollation
                    + ") must be between 0 and matching (" + matching + ")");
        }
        if (processed != matching + mismatched + extraSource + extraTarget) {
            throw new IllegalArgumentException("processed (" + processed + ") must be the sum of matching ("
                    + matching + "), mismatched (" + mismatched + "), extraSource (" + extraSource
                    + ") and extraTarget (" + extraTarget + ")");
        }
    }

    /** Whether source and target hold the same rows (and, if checked, every target row is on its own shard). */
    public boolean identical() {
        return mismatched == 0 && extraSource == 0 && extraTarget == 0 && misplacedTarget == 0;
    }

    public Duration elapsed() {
        return Duration.between(started, finished);
    }

    /** One line for logs and the admin API: {@code customer: 1000 rows, 998 matching, 1 mismatched (...) ...}. */
    public String summary() {
        StringBuilder text = new StringBuilder(table).append(": ").append(processed).append(" rows, ")
                .append(matching).append(" matching");
        if (matchingUnderCollation > 0) {
            text.append(" (").append(matchingUnderCollation).append(" only under their collation)");
        }
        append(text, mismatched, "mismatched", mismatchedSamples);
        append(text, extraSource, "missing on target", extraSourceSamples);
        append(text, extraTarget, "extra on target", extraTargetSamples);
        append(text, misplacedTarget, "on the wrong target shard", misplacedSamples);
        return text.toString();
    }

    private static void append(StringBuilder text, long count, String what, List<String> samples) {
        if (count > 0) {
            text.append(", ").append(count).append(' ').append(what).append(" (e.g. ")
                    .append(String.join(" ", samples)).append(')');
        }
    }
}
