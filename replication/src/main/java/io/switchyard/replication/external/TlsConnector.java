package io.switchyard.replication.external;

import io.switchyard.config.BackendTls;
import io.switchyard.config.Credentials;
import io.switchyard.config.Endpoint;

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
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Properties;

/**
 * Opens JDBC connections (MariaDB Connector/J) to one keyspace's servers in the TLS mode its {@link BackendTls} asks
 * for. External keyspaces ({@link ExternalConnector}) and every workflow's control path (copy, apply, metadata,
 * verification) connect through it, so the two cannot drift apart:
 * <table>
 *   <tr><th>mode</th><th>Connector/J</th></tr>
 *   <tr><td>DISABLED</td><td>{@code sslMode=disable}</td></tr>
 *   <tr><td>PREFERRED</td><td>{@code trust}, and {@code disable} if the server offers no TLS (Connector/J has no
 *       "preferred")</td></tr>
 *   <tr><td>REQUIRED</td><td>{@code trust}: encrypted, certificate not checked</td></tr>
 *   <tr><td>VERIFY_CA</td><td>{@code verify-ca} with {@code serverSslCert} = the CA PEM, and no fallback to the
 *       JVM's CAs when one is given</td></tr>
 *   <tr><td>VERIFY_IDENTITY</td><td>{@code verify-full}; with a server name, {@code verify-ca} plus a probe of the
 *       certificate's name before each connection (Connector/J checks only the host it connects to)</td></tr>
 * </table>
 * The minimum TLS version becomes {@code enabledSslProtocolSuites}; a client certificate becomes a PKCS#12
 * {@code keyStore} in a private temporary file (0600 in a 0700 directory: Connector/J reads key stores from files
 * only), written by {@link #of} and deleted by {@link #close()}.
 *
 * <p>When a connection fails, the message says why in plain words; a certificate problem is found by
 * {@link TlsProbe} ("the server's certificate is not signed by the given CA", "the certificate's name does not
 * match host X"). Messages and {@link #toString()} never contain the password or the key. Thread-safe.
 */
public final class TlsConnector implements AutoCloseable {
    private final String description;
    private final BackendTls tls;
    private final Optional<String> caPem;
    private final Credentials credentials;
    private final Duration timeout;
    private final Optional<Path> keyStoreDir;
    private final Properties base;

    private TlsConnector(String description, BackendTls tls, Optional<String> caPem, Credentials credentials,
                         Duration timeout, Optional<Path> keyStoreDir, Properties base) {
        this.description = description;
        this.tls = tls;
        this.caPem = caPem;
        this.credentials = credentials;
        this.timeout = timeout;
        this.keyStoreDir = keyStoreDir;
        this.base = base;
    }

    /**
     * A connector; for a client certificate it writes the key store file now, so close it.
     *
     * @param description what the servers are, for messages: "keyspace commerce", "external keyspace legacy"
     * @param credentials the user, and a password unless empty (a client certificate logs in without one)
     * @param connectTimeout limit on connecting, and on each TLS probe
     * @param socketTimeout limit on waiting for a reply; empty for none (a copy's or a verification's queries may
     *     run long)
     */
    public static TlsConnector of(String description, BackendTls tls, Credentials credentials,
                                  Duration connectTimeout, Optional<Duration> socketTimeout, SecureRandom random) {
        Properties p = new Properties();
        p.setProperty("user", credentials.user());
        p.setProperty("connectTimeout", Long.toString(connectTimeout.toMillis()));
        socketTimeout.ifPresent(t -> p.setProperty("socketTimeout", Long.toString(t.toMillis())));
        if (!credentials.password().isEmpty()) {
            p.setProperty("password", credentials.password());
        }
        Optional<String> ca = Pem.ca(tls);
        ca.ifPresent(pem -> {
            p.setProperty("serverSslCert", pem);
            p.setProperty("fallbackToSystemTrustStore", "false");
        });
        if (tls.minVersion().isPresent()) {
            p.setProperty("enabledSslProtocolSuites", String.join(",", tls.protocols()));
        }
        Optional<Path> dir = Optional.empty();
        if (tls.client().isPresent()) {
            char[] secret = HexFormat.of().formatHex(randomBytes(random)).toCharArray();
            KeyStore store = Pem.keyStore(tls.client().get().certificatePem(), tls.client().get().keyPem(), secret);
            dir = Optional.of(writeKeyStore(store, secret));
            p.setProperty("keyStore", dir.get().resolve("client.p12").toString());
            p.setProperty("keyStorePassword", new String(secret));
            p.setProperty("keyStoreType", "PKCS12");
            p.setProperty("fallbackToSystemKeyStore", "false");
        }
        return new TlsConnector(description, tls, ca, credentials, connectTimeout, dir, p);
    }

    /** A new connection to {@code server} with {@code database} selected; the caller closes it. */
    public Connection open(Endpoint server, String database) throws SQLException {
        return open(server, database, "");
    }

    /**
     * As {@link #open(Endpoint, String)}, with {@code sessionVariables} ({@code name=value,...}, Connector/J's
     * option) set on the connection.
     */
    public Connection open(Endpoint server, String database, String sessionVariables) throws SQLException {
        BackendTls.Mode mode = tls.mode();
        String driverMode = driverMode(mode);
        if (mode == BackendTls.Mode.VERIFY_IDENTITY && tls.serverName().isPresent()) {
            // The probe checked the name; the driver checks the chain again on its own connection.
            checkServerName(server);
            driverMode = "verify-ca";
        }
        try {
            return connect(server, database, sessionVariables, driverMode);
        } catch (SQLException e) {
            if (mode == BackendTls.Mode.PREFERRED && notOffered(e)) {
                try {
                    return connect(server, database, sessionVariables, "disable");
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
        return "TlsConnector[" + description + ", " + tls.mode() + "]";
    }

    private Connection connect(Endpoint server, String database, String sessionVariables, String sslMode)
            throws SQLException {
        Properties p = new Properties();
        p.putAll(base);
        p.setProperty("sslMode", sslMode);
        if (!sessionVariables.isEmpty()) {
            p.setProperty("sessionVariables", sessionVariables);
        }
        return DriverManager.getConnection("jdbc:mariadb://" + server + "/" + database, p);
    }

    private static String driverMode(BackendTls.Mode mode) {
        return switch (mode) {
            case DISABLED -> "disable";
            case PREFERRED, REQUIRED -> "trust";
            case VERIFY_CA -> "verify-ca";
            case VERIFY_IDENTITY -> "verify-full";
        };
    }

    /** Checks the certificate's name against the server name, which the driver cannot. */
    private void checkServerName(Endpoint server) throws ExternalConnectionException {
        TlsProbe.Result result;
        try {
            result = TlsProbe.probe(server.host(), server.port(), caPem, tls.serverName(), probeProtocols(), timeout);
        } catch (IOException e) {
            throw new ExternalConnectionException(where(server) + scrub(e.getMessage()), e);
        }
        if (!result.offered()) {
            throw new ExternalConnectionException(where(server) + "the server does not offer TLS, but SSL MODE is "
                    + tls.mode() + "; enable TLS on the server (ssl-cert, ssl-key) or lower SSL MODE", null);
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
                    + tls.mode() + "; enable TLS on the server (ssl-cert, ssl-key) or use SSL MODE PREFERRED"
                    + " or DISABLED", e);
        }
        if (e.getErrorCode() == 1045) {
            String how = tls.client().isEmpty() ? "the user name and password"
                    : "the user name and that the client certificate is the one the server expects";
            return new ExternalConnectionException(where(server) + "access denied for user '" + credentials.user()
                    + "': check " + how + " (" + text + ")", e);
        }
        if (e.getErrorCode() == 1044 || e.getErrorCode() == 1049) {
            return new ExternalConnectionException(where(server) + text + "; check DATABASE and the user's grants",
                    e);
        }
        if (tls.mode() != BackendTls.Mode.DISABLED && tlsFailure(e)) {
            Optional<String> problem = Optional.empty();
            String probeFailure = "";
            try {
                TlsProbe.Result result = TlsProbe.probe(server.host(), server.port(), caPem,
                        TlsProbe.expectedName(tls.mode(), server.host(), tls.serverName()), probeProtocols(),
                        timeout);
                problem = tls.mode().verifies() ? result.problem() : Optional.empty();
            } catch (IOException | RuntimeException probe) {
                probeFailure = "; " + scrub(String.valueOf(probe.getMessage()));
            }
            if (problem.isPresent()) {
                return new ExternalConnectionException(where(server) + problem.get(), e);
            }
            return new ExternalConnectionException(where(server) + "TLS failed (SSL MODE " + tls.mode()
                    + ", TLS versions " + String.join(", ", probeProtocols()) + "): " + text + probeFailure, e);
        }
        return new ExternalConnectionException(where(server) + text + "; check HOST, PORT and that the server"
                + " accepts connections from this gateway", e);
    }

    /** What the probe offers: the minimum version and up, or what current servers speak without one. */
    private List<String> probeProtocols() {
        return tls.minVersion().isPresent() ? tls.protocols() : List.of("TLSv1.2", "TLSv1.3");
    }

    private String where(Endpoint server) {
        return "cannot connect to " + description + " at " + server + ": ";
    }

    /** Driver messages can quote connection options; make sure no secret survives into ours. */
    private String scrub(String message) {
        String text = message;
        if (credentials.password().length() >= 3) {
            text = text.replace(credentials.password(), "***");
        }
        String storePassword = base.getProperty("keyStorePassword");
        if (storePassword != null) {
            text = text.replace(storePassword, "***");
        }
        return text;
    }

    private static boolean notOffered(SQLException e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            String m = String.valueOf(t.getMessage()).toLowerCase(Locale.ROOT);
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
            String m = String.valueOf(t.getMessage()).toLowerCase(Locale.ROOT);
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
            Path dir = Files.createTempDirectory("switchyard-tls-",
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
