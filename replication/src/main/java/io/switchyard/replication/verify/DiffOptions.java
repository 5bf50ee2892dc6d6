package io.switchyard.replication.verify;

/**
 * How a {@link TableDiff} reads and compares.
 *
 * @param pageSize       rows per keyset page per shard; memory holds at most one page per shard
 * @param sampleLimit    keys kept per kind of difference in a report (mismatched, extra on source, extra on target)
 * @param textComparison when character values count as equal
 */
public record DiffOptions(int pageSize, int sampleLimit, TextComparison textComparison) {
    /** 2,000-row pages, 10 samples per kind, text equal under its collation (Vitess's default). */
    public static final DiffOptions DEFAULTS = new DiffOptions(2_000, 10, TextComparison.COLLATION);

    /** When two character values are the same. */
    public enum TextComparison {
        /** Equal under the column's collation: {@code 'a' = 'A'} under {@code utf8mb4_general_ci}. */
        COLLATION,
        /** Identical characters only; finds case or trailing-space changes the collation hides. */
        EXACT
    }

    public DiffOptions {
        if (pageSize < 1 || pageSize > 1_000_000) {
            throw new IllegalArgumentException("pageSize must be 1 to 1000000, was " + pageSize);
        }
        if (sampleLimit < 0) {
            throw new IllegalArgumentException("sampleLimit must not be negative, was " + sampleLimit);
        }
        if (textComparison == null) {
            throw new IllegalArgumentException("textComparison must be set");
        }
    }

    public DiffOptions withPageSize(int rows) {
        return new DiffOptions(rows, sampleLimit, textComparison);
    }

    public DiffOptions withSampleLimit(int keys) {
        return new DiffOptions(pageSize, keys, textComparison);
    }

    public DiffOptions withTextComparison(TextComparison comparison) {
        return new DiffOptions(pageSize, sampleLimit, comparison);
    }
}
