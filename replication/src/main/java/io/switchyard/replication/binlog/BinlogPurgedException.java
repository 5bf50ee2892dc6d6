package io.switchyard.replication.binlog;

/**
 * The source no longer has the binlogs needed to continue from the requested position (MySQL/MariaDB error 1236,
 * ER_MASTER_FATAL_ERROR_READING_BINLOG, e.g. "Could not find GTID state requested by slave in any binlog files").
 * Retrying cannot help: the workflow must go to {@code error} and be restarted from a new copy.
 */
public final class BinlogPurgedException extends BinlogStreamException {
    /** ER_MASTER_FATAL_ERROR_READING_BINLOG. */
    static final int ERROR_CODE = 1236;

    private final String position;

    public BinlogPurgedException(String position, String serverMessage, Throwable cause) {
        super("binlog position " + position + " is gone from the source: the binlogs it needs were purged ("
                + serverMessage + "); copy the tables again from a new snapshot", cause);
        this.position = position;
    }

    /** The position that could not be resumed. */
    public String position() {
        return position;
    }
}
