package io.switchyard.replication.apply;

import io.switchyard.replication.copy.LastPk;

import java.util.Objects;

/**
 * How far a table's copy has come on one target, which decides what the applier does with the table's binlog rows.
 * This is Vitess's catch-up filter (reference notes, section 2): while a table is being copied, a binlog change is
 * applied only to rows the copy has already written ({@code pk <= lastpk}); later rows arrive with the copy itself,
 * from a newer snapshot that already contains the change.
 */
public sealed interface CopyProgress {
    /** The copy is done (or the table was never copied): apply every row. */
    record Copied() implements CopyProgress {
    }

    /** The copy has committed rows up to and including {@code lastPk}: apply rows with {@code pk <= lastPk} only. */
    record Copying(LastPk lastPk) implements CopyProgress {
        public Copying {
            Objects.requireNonNull(lastPk, "lastPk");
        }
    }

    /** The copy has not started: apply nothing; the copy will read the table after the change. */
    record NotStarted() implements CopyProgress {
    }

    CopyProgress COPIED = new Copied();
    CopyProgress NOT_STARTED = new NotStarted();
}
