package io.switchyard.replication.external;

import java.util.List;

/**
 * Every check of one validation run, in the order they ran: connectivity, server configuration, grants, schema.
 *
 * @param flavor {@code MariaDB} or {@code MySQL}; empty when the server could not be reached
 * @param foreignKeys whether the schema has foreign keys: then an import must take all tables (seed 003, step 4)
 */
public record ValidationReport(String flavor, List<ValidationResult> results, boolean foreignKeys) {

    public ValidationReport {
        results = List.copyOf(results);
    }

    /** Failures that cannot be skipped. */
    public List<ValidationResult> failures() {
        return results.stream().filter(r -> r.status() == ValidationResult.Status.FAIL).toList();
    }

    /** Failures the user may skip and continue past. */
    public List<ValidationResult> skippable() {
        return results.stream().filter(r -> r.status() == ValidationResult.Status.SKIPPABLE).toList();
    }

    public boolean hasFailures() {
        return !failures().isEmpty();
    }

    /**
     * Whether an import must take every table: with foreign keys (referential integrity), and when skippable
     * failures are skipped ("all tables will be imported automatically", seed 003).
     */
    public boolean forcesAllTables() {
        return foreignKeys || !skippable().isEmpty();
    }
}
