package io.switchyard.replication.binlog;

/**
 * Why a {@link BinlogStream} stopped on its own. The stream never skips an event it could not handle: it stops and
 * reports this, and the caller restarts from the last position it committed (or gives up).
 */
public class BinlogStreamException extends RuntimeException {
    public BinlogStreamException(String message, Throwable cause) {
        super(message, cause);
    }

    public BinlogStreamException(String message) {
        super(message);
    }
}
