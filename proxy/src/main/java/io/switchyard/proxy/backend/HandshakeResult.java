package io.switchyard.proxy.backend;

/**
 * What the connection phase established.
 *
 * @param threadId the connection id from the greeting (what {@code KILL QUERY} takes)
 * @param capabilities the capabilities in effect: what the gateway asked for, limited to what the server offered
 * @param statusFlags the server status from the greeting
 * @param tls whether the connection runs over TLS
 */
record HandshakeResult(String serverVersion, long threadId, long capabilities, int statusFlags, boolean tls) {
}
