/**
 * The backend side of the gateway: client-side connections to MariaDB/MySQL servers and their pools.
 *
 * <ul>
 *   <li>{@link io.switchyard.proxy.backend.Backends}: every pool of the gateway, from the config; acquire a
 *       {@link io.switchyard.proxy.backend.Backends.Lease} for a keyspace, shard and tablet type, release it,
 *       KILL QUERY, server version probe, health checks.</li>
 *   <li>{@link io.switchyard.proxy.backend.BackendPool} and {@code BackendServer}: idle connections per client
 *       option set, and the per-server budget, health and backoff they share.</li>
 *   <li>{@link io.switchyard.proxy.backend.BackendConnection}: one authenticated connection; relays the response
 *       of each command to a {@link io.switchyard.proxy.backend.ResponseListener} packet by packet, with
 *       {@code ResponseTracker} finding where each response ends.</li>
 *   <li>{@code BackendConnector} and {@code BackendHandshake}: TCP, TLS and authentication.</li>
 * </ul>
 *
 * <p><b>Threading.</b> A connection is used by one session at a time and lives on one event loop; its methods hop
 * onto that loop and its callbacks run there. Pools and servers are thread-safe with short synchronized sections
 * that never do I/O. Nothing here blocks an event loop; time comes from an injected {@link java.time.Clock} and the
 * health check runs on an injected scheduler.
 *
 * <p><b>Errors</b> are {@link io.switchyard.proxy.backend.BackendException}s carrying the MySQL error a session
 * answers with; see its Javadoc for the codes.
 */
package io.switchyard.proxy.backend;
