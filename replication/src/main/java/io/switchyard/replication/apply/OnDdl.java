package io.switchyard.replication.apply;

/**
 * What a {@link RowApplier} does when the source runs a DDL on a watched table; Vitess's {@code on_ddl} policies.
 * Each one that continues records the position after the DDL, so the statement is handled once.
 */
public enum OnDdl {
    /** Record the position after the DDL with state {@code stopped} and a message quoting it, then stop. */
    STOP,
    /** Skip the DDL and keep going; the target tables keep their schema. */
    IGNORE,
    /** Run the DDL on the target (source database name replaced by the target's); a failure stops with error. */
    EXEC,
    /** Run the DDL on the target; a failure is logged and the stream keeps going. */
    EXEC_IGNORE
}
