package io.switchyard.proxy.backend;

import io.switchyard.proxy.packet.generic.ErrPacket;

import java.util.Objects;

/**
 * A backend could not serve a session: it is down or unreachable, refused the gateway's credentials, broke or
 * violated the protocol mid-response, the pool had no free connection, or (for the gateway's own
 * {@link BackendConnection#query} only) it answered a statement with an ERR. Carries the MySQL error the session
 * should answer with; {@link #toErrPacket()} builds it. Messages name keyspace, shard, tablet type and endpoint so an
 * operator knows where to look.
 *
 * <p>Error codes (see {@link Kind}): the gateway's own failures use codes whose SQLSTATE does not start with
 * {@code 08}, because drivers and pools (HikariCP, Connector/J) treat {@code 08xxx} as "this client connection is
 * dead", and the client's connection to the gateway is fine. An unavailable backend is 1105 (ER_UNKNOWN_ERROR), as
 * Vitess answers for an unavailable tablet; a backend lost mid-query is 2013 (CR_SERVER_LOST), the code drivers
 * themselves report for a connection lost during a query, which applications already treat as "retry". The
 * exceptions are errors the backend sent itself (kept verbatim) and pool exhaustion, which is MySQL's own 1040
 * "Too many connections" with its SQLSTATE 08004.
 */
public final class BackendException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    /** What went wrong; decides the default code and whether the connection or the server is still usable. */
    public enum Kind {
        /** Cannot connect (refused, timed out, down and backing off, greeting refused): 1105 / HY000. */
        UNAVAILABLE(1105, "HY000"),
        /** The backend refused the gateway's credentials; carries the server's code (usually 1045 / 28000). */
        AUTH_REFUSED(1045, "28000"),
        /** The connection broke or timed out in the middle of a response: 2013 / HY000 (CR_SERVER_LOST). */
        LOST(2013, "HY000"),
        /** The backend sent something the protocol does not allow there; the connection is closed: 1105 / HY000. */
        PROTOCOL(1105, "HY000"),
        /** The pool was at pool_max_size for longer than connect_timeout: 1040 / 08004 (ER_CON_COUNT_ERROR). */
        POOL_EXHAUSTED(1040, "08004"),
        /** The server answered a gateway-issued statement with an ERR; the connection is still usable. */
        SERVER_ERROR(1105, "HY000");

        private final int defaultCode;
        private final String defaultSqlState;

        Kind(int defaultCode, String defaultSqlState) {
            this.defaultCode = defaultCode;
            this.defaultSqlState = defaultSqlState;
        }
    }

    private final Kind kind;
    private final int errorCode;
    private final String sqlState;

    public BackendException(Kind kind, int errorCode, String sqlState, String message, Throwable cause) {
        super(Objects.requireNonNull(message, "message"), cause);
        this.kind = Objects.requireNonNull(kind, "kind");
        if (errorCode < 0 || errorCode > 0xFFFF) {
            throw new IllegalArgumentException("error code must fit in int<2>, was " + errorCode);
        }
        if (sqlState.length() != 5) {
            throw new IllegalArgumentException("SQLSTATE must have 5 characters, was '" + sqlState + "'");
        }
        this.errorCode = errorCode;
        this.sqlState = sqlState;
    }

    /** An exception of {@code kind} with that kind's code and SQLSTATE. */
    public static BackendException of(Kind kind, String message) {
        return new BackendException(kind, kind.defaultCode, kind.defaultSqlState, message, null);
    }

    public static BackendException of(Kind kind, String message, Throwable cause) {
        return new BackendException(kind, kind.defaultCode, kind.defaultSqlState, message, cause);
    }

    /** An exception carrying an error the server sent, with {@code prefix} (where it happened) before its message. */
    public static BackendException fromServer(Kind kind, ErrPacket err, String prefix) {
        return new BackendException(kind, err.errorCode(), err.sqlState(), prefix + err.message(), null);
    }

    /** The same error with another message, e.g. to name the keyspace and shard in front of an endpoint's failure. */
    public BackendException withMessage(String message) {
        return new BackendException(kind, errorCode, sqlState, message, getCause());
    }

    public Kind kind() {
        return kind;
    }

    /** The MySQL error number the session answers with. */
    public int errorCode() {
        return errorCode;
    }

    /** The five-character SQLSTATE the session answers with. */
    public String sqlState() {
        return sqlState;
    }

    /** The ERR packet a session sends its client for this failure. */
    public ErrPacket toErrPacket() {
        return new ErrPacket(errorCode, sqlState, getMessage());
    }
}
