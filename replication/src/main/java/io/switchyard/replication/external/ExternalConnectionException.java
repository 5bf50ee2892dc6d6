package io.switchyard.replication.external;

import java.sql.SQLException;

/**
 * A keyspace's server could not be connected to: unreachable, login refused, or TLS failed. Named for external
 * databases, where it happens most, but {@link TlsConnector} throws it for every keyspace. A
 * {@link SQLException} with SQLSTATE {@code 08001} (connection failure) so that callers that classify by SQLSTATE
 * treat it as one; the message names the cause in plain words and says what to change.
 */
public final class ExternalConnectionException extends SQLException {
    public ExternalConnectionException(String message, Throwable cause) {
        super(message, "08001", cause);
    }
}
