package io.switchyard.replication.external;

import java.util.Locale;
import java.util.Objects;
import java.util.Optional;

/**
 * One row of an external keyspace's validation (seed 003, step 3).
 *
 * @param check what was checked: {@code connectivity}, a server variable ({@code binlog_format}, ...),
 *     {@code grants}, or a schema check ({@code unique_key}, {@code charset}, ...)
 * @param table the table a schema check is about; empty for server-wide checks
 * @param message what was found and, for a failure, how to fix it
 */
public record ValidationResult(String check, Optional<String> table, Status status, String message) {

    /**
     * {@code FAIL}: the import cannot work until this is fixed. {@code SKIPPABLE}: a failure the user may skip and
     * continue past (seed 003, "Handling validation errors"), at the price of importing all tables.
     */
    public enum Status {
        PASS, FAIL, SKIPPABLE;

        /** As shown in SQL results: {@code pass}, {@code fail}, {@code skippable}. */
        public String label() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    public ValidationResult {
        Objects.requireNonNull(check, "check");
        Objects.requireNonNull(table, "table");
        Objects.requireNonNull(status, "status");
        Objects.requireNonNull(message, "message");
    }

    static ValidationResult pass(String check, String message) {
        return new ValidationResult(check, Optional.empty(), Status.PASS, message);
    }

    static ValidationResult fail(String check, String message) {
        return new ValidationResult(check, Optional.empty(), Status.FAIL, message);
    }

    static ValidationResult skippable(String check, String table, String message) {
        return new ValidationResult(check, Optional.of(table), Status.SKIPPABLE, message);
    }

    static ValidationResult tablePass(String check, String table, String message) {
        return new ValidationResult(check, Optional.of(table), Status.PASS, message);
    }
}
