package io.switchyard.replication.apply;

/**
 * Applying binlog rows to a target failed, or a row cannot be applied without breaking exactly-once (a duplicate
 * key, a column the target lacks). The target transaction has been rolled back, so the target still holds exactly
 * what its stored position says: fix the cause and restart the stream from that position. Thrown on the stream
 * thread, this stops the {@code BinlogStream}, which reports it.
 */
public final class ApplyException extends RuntimeException {
    public ApplyException(String message) {
        super(message);
    }

    public ApplyException(String message, Throwable cause) {
        super(message, cause);
    }
}
