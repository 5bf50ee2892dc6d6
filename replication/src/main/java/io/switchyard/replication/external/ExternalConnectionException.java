package io.switchyard.replication.external;

import java.sql.SQLException;

/**
 * An external database could not be connected to: unreachable, login refused, or TLS failed. A
 * {@link SQLException} with SQLSTATE {@code 08001} (connection failure) so that callers that classify by SQLSTATE
 * treat it as one; the message names the cause in plain words and says what to change.
 */
public final class ExternalConnectionException extends SQLException {
    public ExternalConnectionException(String message, Throwable cause) {
        super(message, "08001", cause);
    }
}
