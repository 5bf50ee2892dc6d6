/**
 * External keyspaces: MySQL or MariaDB databases Switchyard does not own, attached with connection settings so that
 * an import workflow can copy them and the gateway can serve them until traffic switches (seed 003, "Connect to your
 * external database" and "Validate connection and schema").
 *
 * <ul>
 *   <li>{@link io.switchyard.replication.external.ExternalKeyspace} — the settings, an immutable record.</li>
 *   <li>{@link io.switchyard.replication.external.ExternalKeyspaces} — the registry in the topology store; passwords
 *       and client keys are stored encrypted with {@link io.switchyard.replication.external.SecretBox}.</li>
 *   <li>{@link io.switchyard.replication.external.ExternalConnector} — opens JDBC connections in the TLS mode asked
 *       for, and names a certificate that fails verification as the cause.</li>
 *   <li>{@link io.switchyard.replication.external.TlsConnector} and
 *       {@link io.switchyard.replication.external.TlsContexts} — the TLS behind it, for any keyspace's
 *       {@code BackendTls}: workflows connect (JDBC) and stream binlogs (raw sockets) through them too, so that the
 *       PEM and certificate handling lives here once.</li>
 *   <li>{@link io.switchyard.replication.external.ExternalValidator} — the connectivity, server configuration,
 *       grant and schema checks, one {@link io.switchyard.replication.external.ValidationResult} each.</li>
 * </ul>
 *
 * <p>Secrets (passwords, client keys) never appear in {@code toString()}, log lines or exception messages.
 *
 * <p>Threading: everything here blocks on JDBC or sockets; call it from an executor, never a Netty event loop. The
 * classes hold no mutable state except {@link io.switchyard.replication.external.TlsConnector}'s temporary key
 * store file, which it deletes on close.
 */
package io.switchyard.replication.external;
