package io.switchyard.replication.external;

import io.switchyard.config.BackendTls;
import io.switchyard.config.ConfigException;
import io.switchyard.config.Credentials;
import io.switchyard.config.Endpoint;
import io.switchyard.config.Keyspace;
import io.switchyard.config.Shard;
import io.switchyard.config.VSchema;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * An external MySQL or MariaDB database attached to Switchyard, with the settings of seed 003's connection form.
 *
 * @param name the keyspace name the gateway will serve it as
 * @param host the primary's host name or IP address
 * @param database the schema to import on the external server
 * @param auth password or client certificate (mutual TLS)
 * @param sslMode MySQL's ssl-mode semantics; a client certificate needs at least {@code REQUIRED}
 * @param ca PEM of the CA chain that signed the server's certificate, for {@code VERIFY_CA} and
 *     {@code VERIFY_IDENTITY}; without it the JVM's trusted CAs are used
 * @param tlsMinVersion the oldest TLS version accepted ({@code TLSv1} .. {@code TLSv1.3})
 * @param sslServerName the name the server's certificate must carry under {@code VERIFY_IDENTITY} when it is not
 *     {@code host} (e.g. connecting by IP address)
 * @param importConnections most connections an import opens to this database at once, 1 to
 *     {@value #MAX_IMPORT_CONNECTIONS}
 * @param replicas external read replicas that serve {@code @replica} reads until traffic switches
 */
public record ExternalKeyspace(String name, String host, int port, String database, String user, ExternalAuth auth,
                               BackendTls.Mode sslMode, Optional<String> ca, Optional<String> tlsMinVersion,
                               Optional<String> sslServerName, int importConnections, List<Endpoint> replicas) {

    /** Seed 003: "Maximum number of concurrent connections for the import (max 100)". */
    public static final int MAX_IMPORT_CONNECTIONS = 100;
    public static final int DEFAULT_IMPORT_CONNECTIONS = 8;
    public static final int DEFAULT_PORT = 3306;

    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9_]{1,64}");
    private static final Pattern DATABASE = Pattern.compile("[A-Za-z0-9_$-]{1,64}");

    public ExternalKeyspace {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(host, "host");
        Objects.requireNonNull(database, "database");
        Objects.requireNonNull(user, "user");
        Objects.requireNonNull(auth, "auth");
        Objects.requireNonNull(sslMode, "sslMode");
        Objects.requireNonNull(ca, "ca");
        Objects.requireNonNull(tlsMinVersion, "tlsMinVersion");
        Objects.requireNonNull(sslServerName, "sslServerName");
        replicas = List.copyOf(replicas);
        List<String> problems = new ArrayList<>();
        if (!NAME.matcher(name).matches()) {
            problems.add("keyspace name '" + name + "' is not valid: use letters, digits and _, at most 64 characters");
        }
        Endpoint primary = endpoint(host, port, "HOST/PORT", problems);
        if (!DATABASE.matcher(database).matches()) {
            problems.add("DATABASE '" + database + "' is not a database name (letters, digits, _, $ and -, at most"
                    + " 64 characters)");
        }
        if (user.isBlank()) {
            problems.add("USER must not be empty");
        }
        if (auth instanceof ExternalAuth.ClientCertificate && (sslMode == BackendTls.Mode.DISABLED
                || sslMode == BackendTls.Mode.PREFERRED)) {
            problems.add("SSL CERT/SSL KEY (mutual TLS) need TLS: use SSL MODE REQUIRED, VERIFY_CA or"
                    + " VERIFY_IDENTITY, not " + sslMode);
        }
        if (ca.isPresent() && !sslMode.verifies()) {
            problems.add("SSL CA is only used with SSL MODE VERIFY_CA or VERIFY_IDENTITY, but the mode is " + sslMode
                    + "; choose a verifying mode or drop SSL CA");
        }
        if (sslServerName.isPresent() && sslMode != BackendTls.Mode.VERIFY_IDENTITY) {
            problems.add("SSL SERVER NAME is only used with SSL MODE VERIFY_IDENTITY, but the mode is " + sslMode);
        }
        sslServerName.ifPresent(n -> {
            if (!n.matches("[A-Za-z0-9*]([A-Za-z0-9._*-]*[A-Za-z0-9])?|[0-9A-Fa-f:.]+")) {
                problems.add("SSL SERVER NAME '" + n + "' is not a host name");
            }
        });
        tlsMinVersion.ifPresent(v -> {
            if (!BackendTls.TLS_VERSIONS.contains(v)) {
                problems.add("TLS MIN VERSION '" + v + "' is not a TLS version; use one of "
                        + String.join(", ", BackendTls.TLS_VERSIONS));
            }
        });
        if (importConnections < 1 || importConnections > MAX_IMPORT_CONNECTIONS) {
            problems.add("IMPORT CONNECTIONS " + importConnections + " is out of range: use 1 to "
                    + MAX_IMPORT_CONNECTIONS);
        }
        for (Endpoint replica : replicas) {
            if (replica.equals(primary)) {
                problems.add("replica " + replica + " is the primary itself");
            }
        }
        if (replicas.stream().distinct().count() != replicas.size()) {
            problems.add("a replica is listed twice");
        }
        if (!problems.isEmpty()) {
            throw new ExternalKeyspaceException(ExternalKeyspaceException.Reason.BAD_SETTING,
                    String.join("; ", problems));
        }
    }

    /** The primary's address. */
    public Endpoint primary() {
        return new Endpoint(host, port);
    }

    /** The same keyspace with {@code replica} added. */
    public ExternalKeyspace withReplica(Endpoint replica) {
        if (replicas.contains(replica)) {
            throw new ExternalKeyspaceException(ExternalKeyspaceException.Reason.BAD_SETTING, "external keyspace "
                    + name + " already has replica " + replica);
        }
        List<Endpoint> more = new ArrayList<>(replicas);
        more.add(replica);
        return withReplicas(more);
    }

    /** The same keyspace without {@code replica}. */
    public ExternalKeyspace withoutReplica(Endpoint replica) {
        if (!replicas.contains(replica)) {
            throw new ExternalKeyspaceException(ExternalKeyspaceException.Reason.NOT_FOUND, "external keyspace "
                    + name + " has no replica " + replica + " (it has: " + (replicas.isEmpty() ? "none"
                    : String.join(", ", replicas.stream().map(Endpoint::toString).toList())) + ")");
        }
        List<Endpoint> fewer = new ArrayList<>(replicas);
        fewer.remove(replica);
        return withReplicas(fewer);
    }

    private ExternalKeyspace withReplicas(List<Endpoint> list) {
        return new ExternalKeyspace(name, host, port, database, user, auth, sslMode, ca, tlsMinVersion, sslServerName,
                importConnections, list);
    }

    /**
     * The keyspace as the gateway's config describes one: unsharded, shard {@code 0} with the primary and the
     * replicas, this user's credentials and TLS settings, an empty vschema. A client-certificate user gets an empty
     * password in {@link Credentials} and the certificate in {@link BackendTls#client()}.
     */
    public Keyspace toKeyspace() {
        String password = auth instanceof ExternalAuth.Password p ? p.password() : "";
        Optional<BackendTls.ClientCertificate> client = auth instanceof ExternalAuth.ClientCertificate c
                ? Optional.of(new BackendTls.ClientCertificate(c.certificatePem(), c.keyPem())) : Optional.empty();
        BackendTls tls = new BackendTls(sslMode, Optional.empty(), ca, client, sslServerName, tlsMinVersion);
        return new Keyspace(name, false, database, new Credentials(user, password), tls,
                List.of(Shard.of(Shard.UNSHARDED_NAME, primary(), replicas)), VSchema.EMPTY);
    }

    /** Settings without secrets: the password and client key are never shown. */
    @Override
    public String toString() {
        return "ExternalKeyspace[name=" + name + ", primary=" + primary() + ", database=" + database + ", user=" + user
                + ", auth=" + (auth instanceof ExternalAuth.Password ? "password" : "client certificate")
                + ", sslMode=" + sslMode + ", ca=" + (ca.isPresent() ? "given" : "none") + ", tlsMinVersion="
                + tlsMinVersion.orElse("default") + ", sslServerName=" + sslServerName.orElse("none")
                + ", importConnections=" + importConnections + ", replicas=" + replicas + "]";
    }

    private static Endpoint endpoint(String host, int port, String what, List<String> problems) {
        try {
            return new Endpoint(host, port);
        } catch (ConfigException e) {
            problems.add(what + ": " + e.problems().get(0).message());
            return null;
        }
    }
}
