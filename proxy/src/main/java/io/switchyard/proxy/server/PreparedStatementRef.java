package io.switchyard.proxy.server;

/**
 * A statement a client prepared: the id the client knows, the backend connection (lease) it lives on and the id
 * that backend gave it. Ids are the gateway's own because one session may prepare on several backends.
 *
 * @param touches what its executes read or write, from the plan at prepare time, for {@link QueryBuffer}
 */
record PreparedStatementRef(long clientId, LeaseKey lease, long backendId, Touches touches) {
}
