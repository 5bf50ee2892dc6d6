package io.switchyard.replication.workflow;

import java.util.Locale;
import java.util.Objects;

/**
 * One row of a workflow's validation before create ({@code VALIDATE WORKFLOW}; seed 003, "Workflow validation").
 *
 * @param check {@value #SCHEMA}, {@value #TABLES} or {@value #STORAGE}
 */
public record CreateCheck(String check, Status status, String message) {
    /** Keyspaces, vschema, row keys and foreign keys. */
    public static final String SCHEMA = "keyspaces_and_vschema";
    /** The tables that will be created on the target. */
    public static final String TABLES = "tables";
    /** Free space on each target shard. */
    public static final String STORAGE = "storage";

    /** {@code UNKNOWN}: the check could not be made here (the message says how to make it possible). */
    public enum Status {
        PASS, FAIL, UNKNOWN;

        public String label() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    public CreateCheck {
        Objects.requireNonNull(check, "check");
        Objects.requireNonNull(status, "status");
        Objects.requireNonNull(message, "message");
    }
}
