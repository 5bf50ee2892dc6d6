package io.switchyard.replication.copy;

/**
 * A copy failed. The message names the table, the server (source or target shard) and, for SQL failures, the
 * statement; the cause carries the driver's exception with its SQLSTATE. Whatever committed before the failure stays
 * committed together with its {@code copy_state}, so running the copy again resumes from there.
 */
public final class CopyException extends RuntimeException {
    public CopyException(String message) {
        super(message);
    }

    public CopyException(String message, Throwable cause) {
        super(message, cause);
    }
}
