package io.switchyard.config;

import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;

/**
 * TLS from the gateway to a keyspace's backends, with MySQL's client {@code --ssl-mode} semantics.
 *
 * <p>The YAML config sets {@code mode} and {@code ca} (a file); the other fields come from external keyspaces
 * (admin SQL {@code CREATE EXTERNAL KEYSPACE}), whose settings are stored as PEM text in the topology store rather
 * than as files on every gateway's disk.
 *
 * @param ca PEM file of the CA that signed the servers' certificates; without it (and without {@code caPem}),
 *     verification uses the JVM's trust store
 * @param caPem the same as PEM text (a chain may hold several certificates); at most one of {@code ca} and
 *     {@code caPem}
 * @param client a client certificate and key for servers that require X509 (mutual TLS)
 * @param serverName the name the server's certificate must carry under {@code verify_identity}, when it is not the
 *     host name connected to (e.g. connecting by IP address)
 * @param minVersion the oldest TLS protocol version accepted, one of {@link #TLS_VERSIONS}
 */
public record BackendTls(Mode mode, Optional<Path> ca, Optional<String> caPem, Optional<ClientCertificate> client,
                         Optional<String> serverName, Optional<String> minVersion) {

    /** MySQL's ssl-mode values, in order of strength. */
    public enum Mode {
        DISABLED,
        PREFERRED,
        REQUIRED,
        VERIFY_CA,
        VERIFY_IDENTITY;

        /** Whether the server certificate is checked against a CA. */
        public boolean verifies() {
            return this == VERIFY_CA || this == VERIFY_IDENTITY;
        }
    }

    /** TLS protocol versions as the JDK names them, oldest first. */
    public static final List<String> TLS_VERSIONS = List.of("TLSv1", "TLSv1.1", "TLSv1.2", "TLSv1.3");

    public static final BackendTls DISABLED = new BackendTls(Mode.DISABLED, Optional.empty());

    public BackendTls {
        Objects.requireNonNull(mode, "mode");
        Objects.requireNonNull(ca, "ca");
        Objects.requireNonNull(caPem, "caPem");
        Objects.requireNonNull(client, "client");
        Objects.requireNonNull(serverName, "serverName");
        Objects.requireNonNull(minVersion, "minVersion");
        Problems problems = new Problems();
        check(problems, mode, ca.isPresent() || caPem.isPresent());
        if (ca.isPresent() && caPem.isPresent()) {
            problems.add("ca", "is given both as a file and as PEM text; give one");
        }
        if (mode == Mode.DISABLED && client.isPresent()) {
            problems.add("client", "a client certificate needs TLS, but mode is \"disabled\"");
        }
        minVersion.ifPresent(v -> {
            if (!TLS_VERSIONS.contains(v)) {
                problems.add("min_version", Problems.quote(v) + " is not a TLS version; use one of "
                        + String.join(", ", TLS_VERSIONS));
            }
        });
        problems.throwIfAny();
    }

    /** What the YAML config can express: a mode and an optional CA file. */
    public BackendTls(Mode mode, Optional<Path> ca) {
        this(mode, ca, Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty());
    }

    /** The protocol versions from {@code minVersion} up, or all of {@link #TLS_VERSIONS} without one. */
    public List<String> protocols() {
        int from = minVersion.map(TLS_VERSIONS::indexOf).orElse(0);
        return TLS_VERSIONS.subList(from, TLS_VERSIONS.size());
    }

    /**
     * A CA with a mode that does not verify is a contradiction: the user wants verification and would silently not
     * get it. We refuse rather than guess which of the two they meant.
     */
    static void check(Problems problems, Mode mode, boolean hasCa) {
        if (mode != null && hasCa && !mode.verifies()) {
            problems.add("ca", "is only used with mode verify_ca or verify_identity, but mode is "
                    + Problems.quote(mode.name().toLowerCase(Locale.ROOT)));
        }
    }

    /**
     * A client certificate chain and its private key, both PEM text.
     *
     * <p>{@link #toString()} never shows the key: configs and keyspaces end up in logs.
     */
    public record ClientCertificate(String certificatePem, String keyPem) {
        public ClientCertificate {
            Objects.requireNonNull(certificatePem, "certificatePem");
            Objects.requireNonNull(keyPem, "keyPem");
        }

        @Override
        public String toString() {
            return "ClientCertificate[certificate=" + certificatePem.length() + " characters, key=***]";
        }
    }
}
