package io.switchyard.config;

import java.util.Objects;
import java.util.regex.Pattern;

/**
 * A column whose values come from a sequence table, so that inserts on different shards never hand out the same id.
 *
 * @param sequence the sequence table, as written: {@code keyspace.table} or just {@code table} when the name is a
 *     sequence in only one unsharded keyspace; {@link SwitchyardConfig#resolveSequence} gives the qualified form
 */
public record AutoIncrement(String column, String sequence) {

    private static final Pattern SEQUENCE =
            Pattern.compile("(" + Checks.NAME.pattern() + "\\.)?" + Checks.NAME.pattern());

    public AutoIncrement {
        Objects.requireNonNull(column, "column");
        Objects.requireNonNull(sequence, "sequence");
        Problems problems = new Problems();
        check(problems, column, sequence);
        problems.throwIfAny();
    }

    static void check(Problems problems, String column, String sequence) {
        if (column != null) {
            Checks.add(problems, "column", Checks.notBlank(column));
        }
        if (sequence != null && !SEQUENCE.matcher(sequence).matches()) {
            problems.add("sequence", Problems.quote(sequence) + " is not a table name (table or keyspace.table)");
        }
    }
}
