package io.switchyard.routing.merge;

/**
 * The shards' results cannot be merged as the spec asks (ordering by an ENUM, a value that is not a number in a
 * numeric column, a column the shards did not return). The executor reports it to the client as an error rather
 * than returning rows that may be wrong.
 */
public final class MergeException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    public MergeException(String message) {
        super(message);
    }

    public MergeException(String message, Throwable cause) {
        super(message, cause);
    }
}
