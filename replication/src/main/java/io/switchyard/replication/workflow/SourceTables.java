package io.switchyard.replication.workflow;

/** What {@code COMPLETE WORKFLOW} does with the source tables: drop them (default), rename them, keep them. */
public enum SourceTables {
    DROP, RENAME, KEEP
}
