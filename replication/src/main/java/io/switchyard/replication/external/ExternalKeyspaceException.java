package io.switchyard.replication.external;

/**
 * Something about an external keyspace went wrong, with a {@link Reason} the admin SQL maps to a MySQL error code.
 * Messages say what to do and never contain a password or a private key.
 */
public final class ExternalKeyspaceException extends RuntimeException {

    /** Why; decides the MySQL error code a client sees. */
    public enum Reason {
        /** A setting is malformed or contradicts another one (1210). */
        BAD_SETTING,
        /** No credentials key is configured, so secrets cannot be stored or read. */
        NO_CREDENTIALS_KEY,
        /** The stored secrets cannot be decrypted with the configured key (it changed, or the row was altered). */
        WRONG_CREDENTIALS_KEY,
        /** No external keyspace of that name. */
        NOT_FOUND,
        /** An external keyspace of that name exists already. */
        EXISTS,
        /** The external database could not be reached, refused the login, or failed TLS. */
        CONNECTION,
        /** The topology store failed. */
        STORE
    }

    private final Reason reason;

    public ExternalKeyspaceException(Reason reason, String message) {
        super(message);
        this.reason = reason;
    }

    public ExternalKeyspaceException(Reason reason, String message, Throwable cause) {
        super(message, cause);
        this.reason = reason;
    }

    public Reason reason() {
        return reason;
    }
}
