package io.switchyard.replication.external;

import io.switchyard.config.BackendTls;
import io.switchyard.config.Endpoint;
import io.switchyard.replication.copy.SqlConnector;

import javax.net.ssl.SSLException;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.SecureRandom;
import java.security.cert.CertificateException;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.time.Duration;
import java.util.HexFormat;
import java.util.Optional;
import java.util.Properties;

/**
 * Opens JDBC connections (MariaDB Connector/J) to an external keyspace's primary or replicas in the TLS mode it asks
 * for:
 * <table>
 *   <tr><th>SSL MODE</th><th>Connector/J</th></tr>
 *   <tr><td>DISABLED</td><td>{@code sslMode=disable}</td></tr>
 *   <tr><td>PREFERRED</td><td>{@code trust}, and {@code disable} if the server offers no TLS (Connector/J has no
 *       "preferred")</td></tr>
 *   <tr><td>REQUIRED</td><td>{@code trust}: encrypted, certificate not checked</td></tr>
 *   <tr><td>VERIFY_CA</td><td>{@code verify-ca} with {@code serverSslCert} = the SSL CA PEM, and no fallback to the
 *       JVM's CAs when one is given</td></tr>
 *   <tr><td>VERIFY_IDENTITY</td><td>{@code verify-full}; with SSL SERVER NAME, {@code verify-ca} plus a probe of the
 *       certificate's name before each connection (Connector/J checks only the host it connects to)</td></tr>
 * </table>
 * {@code TLS MIN VERSION} becomes {@code enabledSslProtocolSuites}; a client certificate becomes a PKCS#12
 * {@code keyStore} in a private temporary file (Connector/J reads key stores from files only), deleted by
 * {@link #close()}.
 *
 * <p>When a connection fails, the message says why in plain words; a certificate problem is found by
 * {@link TlsProbe} ("the server's certificate is not signed by the given CA", "the certificate's name does not
 * match host X"). Messages never contain the password or the key. Thread-safe.
 */
public final class ExternalConnector implements SqlConnector, AutoCloseable {
    private final ExternalKeyspace keyspace;
    private final Duration timeout;
    private final Optional<Path> keyStoreDir;
    private final Properties base;

    private ExternalConnector(ExternalKeyspace keyspace, Duration timeout, Optional<Path> keyStoreDir,
                              Properties base) {
        this.keyspace = keyspace;
        this.timeout = timeout;
        this.keyStoreDir = keyStoreDir;
        this.base = base;
    }

    /**
     * A connector for {@code keyspace}; for a client certificate it writes the key store file now.
     *
     * @param timeout limit on connecting, TLS and login included
     */
    public static ExternalConnector of(ExternalKeyspace keyspace, Duration timeout, SecureRandom random) {
        Properties p = new Properties();
        p.setProperty("user", keyspace.user());
        p.setProperty("connectTimeout", Long.toString(timeout.toMillis()));
        p.setProperty("socketTimeout", Long.toString(Math.max(timeout.toMillis(), 30_000)));
        if (keyspace.auth() instanceof ExternalAuth.Password password) {
            p.setProperty("password", password.password());
        }
        keyspace.ca().ifPresent(ca -> {
            Pem.certificates(ca, "SSL CA"); // a bad PEM is the user's mistake: say so before the driver garbles it
            p.setProperty("serverSslCert", ca);
            p.setProperty("fallbackToSystemTrustStore", "false");
        });
        keyspace.tlsMinVersion().ifPresent(v -> p.setProperty("enabledSslProtocolSuites",
                String.join(",", new BackendTls(BackendTls.Mode.REQUIRED, Optional.empty(), Optional.empty(),
                        Optional.empty(), Optional.empty(), Optional.of(v)).protocols())));
        Optional<Path> dir = Optional.empty();
        if (keyspace.auth() instanceof ExternalAuth.ClientCertificate client) {
            char[] secret = HexFormat.of().formatHex(randomBytes(random)).toCharArray();
            KeyStore store = Pem.keyStore(client.certificatePem(), client.keyPem(), secret);
            dir = Optional.of(writeKeyStore(store, secret));
            p.setProperty("keyStore", dir.get().resolve("client.p12").toString());
            p.setProperty("keyStorePassword", new String(secret));
            p.setProperty("keyStoreType", "PKCS12");
            p.setProperty("fallbackToSystemKeyStore", "false");
        }
        return new ExternalConnector(keyspace, timeout, dir, p);
    }

    public ExternalKeyspace keyspace() {
        return keyspace;
    }

    /** A new connection to the primary, database selected; the caller closes it. */
    @Override
    public Connection open() throws SQLException {
        return open(keyspace.primary());
    }

    /** A new connection to {@code server} (the primary or one of the replicas), database selected. */
    public Connection open(Endpoint server) throws SQLException {
        BackendTls.Mode mode = keyspace.sslMode();
        String driverMode = driverMode(mode);
        if (mode == BackendTls.Mode.VERIFY_IDENTITY && keyspace.sslServerName().isPresent()) {
            // The probe checked the name; the driver checks the chain again on its own connection.
            checkServerName(server);
            driverMode = "verify-ca";
        }
        try {
            return connect(server, driverMode);
        } catch (SQLException e) {
            if (mode == BackendTls.Mode.PREFERRED && notOffered(e)) {
                try {
                    return connect(server, "disable");
                } catch (SQLException plain) {
                    throw explain(server, plain);
                }
            }
            throw explain(server, e);
        }
    }

    /** Deletes the temporary key store, if any. Connections already open stay open. */
    @Override
    public void close() {
        keyStoreDir.ifPresent(dir -> {
            try {
                Files.deleteIfExists(dir.resolve("client.p12"));
                Files.deleteIfExists(dir);
            } catch (IOException e) {
                throw new UncheckedIOException("cannot delete the temporary key store " + dir, e);
            }
        });
    }

    @Override
    public String toString() {
        return "ExternalConnector[" + keyspace.name() + " at " + keyspace.primary() + ", " + keyspace.sslMode() + "]";
    }

    private Connection connect(Endpoint server, String sslMode) throws SQLException {
        Properties p = new Properties();
        p.putAll(base);
        p.setProperty("sslMode", sslMode);
        return DriverManager.getConnection("jdbc:mariadb://" + server + "/" + keyspace.database(), p);
    }

    private static String driverMode(BackendTls.Mode mode) {
        return switch (mode) {
            case DISABLED -> "disable";
            case PREFERRED, REQUIRED -> "trust";
            case VERIFY_CA -> "verify-ca";
            case VERIFY_IDENTITY -> "verify-full";
        };
    }

    /** Checks the certificate's name against SSL SERVER NAME, which the driver cannot. */
    private void checkServerName(Endpoint server) throws ExternalConnectionException {
        TlsProbe.Result result;
        try {
            result = TlsProbe.probe(server.host(), server.port(), keyspace.ca(), keyspace.sslServerName(),
                    protocols(), timeout);
        } catch (IOException e) {
            throw new ExternalConnectionException(where(server) + scrub(e.getMessage()), e);
        }
        if (!result.offered()) {
            throw new ExternalConnectionException(where(server) + "the server does not offer TLS, but SSL MODE is "
                    + keyspace.sslMode() + "; enable TLS on the server (ssl-cert, ssl-key) or lower SSL MODE", null);
        }
        if (result.problem().isPresent()) {
            throw new ExternalConnectionException(where(server) + result.problem().get(), null);
        }
    }

    /** Turns a driver failure into a message that names the cause and says what to do. */
    private ExternalConnectionException explain(Endpoint server, SQLException e) {
        String text = scrub(String.valueOf(e.getMessage()));
        if (notOffered(e)) {
            return new ExternalConnectionException(where(server) + "the server does not offer TLS, but SSL MODE is "
                    + keyspace.sslMode() + "; enable TLS on the server (ssl-cert, ssl-key) or use SSL MODE PREFERRED"
                    + " or DISABLED", e);
        }
        if (e.getErrorCode() == 1045) {
            String how = keyspace.auth() instanceof ExternalAuth.Password ? "the user name and password"
                    : "the user name and that the client certificate is the one the server expects";
            return new ExternalConnectionException(where(server) + "access denied for user '" + keyspace.user()
                    + "': check " + how + " (" + text + ")", e);
        }
        if (e.getErrorCode() == 1044 || e.getErrorCode() == 1049) {
            return new ExternalConnectionException(where(server) + text + "; check DATABASE and the user's grants",
                    e);
        }
        if (keyspace.sslMode() != BackendTls.Mode.DISABLED && tlsFailure(e)) {
            Optional<String> problem = Optional.empty();
            String probeFailure = "";
            try {
                TlsProbe.Result result = TlsProbe.probe(server.host(), server.port(), keyspace.ca(),
                        TlsProbe.expectedName(keyspace.sslMode(), server.host(), keyspace.sslServerName()),
                        protocols(), timeout);
                problem = keyspace.sslMode().verifies() ? result.problem() : Optional.empty();
            } catch (IOException | RuntimeException probe) {
                probeFailure = "; " + scrub(String.valueOf(probe.getMessage()));
            }
            if (problem.isPresent()) {
                return new ExternalConnectionException(where(server) + problem.get(), e);
            }
            return new ExternalConnectionException(where(server) + "TLS failed (SSL MODE " + keyspace.sslMode()
                    + ", TLS versions " + String.join(", ", protocols()) + "): " + text + probeFailure, e);
        }
        return new ExternalConnectionException(where(server) + text + "; check HOST, PORT and that the server"
                + " accepts connections from this gateway", e);
    }

    private java.util.List<String> protocols() {
        return keyspace.tlsMinVersion().map(v -> BackendTls.TLS_VERSIONS.subList(BackendTls.TLS_VERSIONS.indexOf(v),
                BackendTls.TLS_VERSIONS.size())).orElse(java.util.List.of("TLSv1.2", "TLSv1.3"));
    }

    private String where(Endpoint server) {
        return "cannot connect to external keyspace " + keyspace.name() + " at " + server + ": ";
    }

    /** Driver messages can quote connection options; make sure no secret survives into ours. */
    private String scrub(String message) {
        String text = message;
        if (keyspace.auth() instanceof ExternalAuth.Password p && p.password().length() >= 3) {
            text = text.replace(p.password(), "***");
        }
        String storePassword = base.getProperty("keyStorePassword");
        if (storePassword != null) {
            text = text.replace(storePassword, "***");
        }
        return text;
    }

    private static boolean notOffered(SQLException e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            String m = String.valueOf(t.getMessage()).toLowerCase(java.util.Locale.ROOT);
            if (m.contains("ssl not enabled in the server") || m.contains("server doesn't support ssl")
                    || m.contains("server does not support ssl")) {
                return true;
            }
        }
        return false;
    }

    private static boolean tlsFailure(SQLException e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof SSLException || t instanceof CertificateException) {
                return true;
            }
            String m = String.valueOf(t.getMessage()).toLowerCase(java.util.Locale.ROOT);
            if (m.contains("ssl") || m.contains("tls") || m.contains("certificate")) {
                return true;
            }
        }
        return false;
    }

    private static byte[] randomBytes(SecureRandom random) {
        byte[] bytes = new byte[16];
        random.nextBytes(bytes);
        return bytes;
    }

    private static Path writeKeyStore(KeyStore store, char[] secret) {
        try {
            Path dir = Files.createTempDirectory("switchyard-ext-",
                    PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
            Path file = dir.resolve("client.p12");
            Files.createFile(file, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
            try (OutputStream out = Files.newOutputStream(file)) {
                store.store(out, secret);
            }
            return dir;
        } catch (IOException | GeneralSecurityException e) {
            throw new IllegalStateException("cannot write the client key store to a temporary file: "
                    + e.getMessage(), e);
        }
    }
}
