package io.switchyard.replication.external;

import io.switchyard.config.BackendTls.Mode;
import io.switchyard.sandbox.TestCa;
import io.switchyard.sandbox.MariaDbServer;
import io.switchyard.sandbox.Sandbox;
import io.switchyard.sandbox.Sandboxed;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * TLS to an external database, against a sandbox MariaDB restarted with certificates from a CA made up here: each
 * SSL MODE passes when it should and fails with the cause in plain words when it should not.
 */
@Sandboxed("ext:0")
class ExternalTlsIT {
    private static final Duration TIMEOUT = Duration.ofSeconds(5);
    private static final SecureRandom RANDOM = new SecureRandom();
    private static final TestCa CA = TestCa.create("Switchyard test CA");
    private static final TestCa OTHER_CA = TestCa.create("Some other CA");
    /** The server's certificate names only a DNS name, not the 127.0.0.1 the sandbox listens on. */
    private static final TestCa.Issued BY_NAME = CA.server("db.example.test", "db.example.test");
    private static final TestCa.Issued BY_IP = CA.server("ext", "127.0.0.1");

    @TempDir
    static Path dir;

    @BeforeAll
    static void startWithTls(Sandbox sandbox) throws Exception {
        java.nio.file.Files.writeString(dir.resolve("ca.pem"), CA.pem());
        BY_NAME.write(dir, "by-name");
        BY_IP.write(dir, "by-ip");
        serveCertificate(sandbox, "by-ip");
        ext(sandbox).execute(
                "CREATE USER 'pw'@'%' IDENTIFIED BY 'Pw-secret-123'",
                "GRANT ALL ON ext.* TO 'pw'@'%'",
                "CREATE USER 'mtls'@'%' REQUIRE X509",
                "GRANT ALL ON ext.* TO 'mtls'@'%'");
    }

    @AfterAll
    static void plainAgain(Sandbox sandbox) {
        ext(sandbox).restartWith(List.of());
    }

    @Test
    void verifyCaPassesWithTheSigningCaAndFailsWithAnother(Sandbox sandbox) throws Exception {
        serveCertificate(sandbox, "by-ip");
        assertEquals("TLSv1.3", tlsVersion(keyspace(sandbox, Mode.VERIFY_CA, Optional.of(CA.pem()), Optional.empty())));

        ExternalConnectionException wrong = assertThrows(ExternalConnectionException.class,
                () -> tlsVersion(keyspace(sandbox, Mode.VERIFY_CA, Optional.of(OTHER_CA.pem()), Optional.empty())));
        assertTrue(wrong.getMessage().contains("the server's certificate is not signed by the given CA"),
                wrong.getMessage());
        assertEquals("08001", wrong.getSQLState());
    }

    @Test
    void verifyIdentityChecksTheNameOnTheCertificate(Sandbox sandbox) throws Exception {
        serveCertificate(sandbox, "by-ip");
        assertEquals("TLSv1.3", tlsVersion(keyspace(sandbox, Mode.VERIFY_IDENTITY, Optional.of(CA.pem()),
                Optional.empty())));

        serveCertificate(sandbox, "by-name");
        // Right CA, but the certificate is for db.example.test and we connect to 127.0.0.1.
        ExternalConnectionException mismatch = assertThrows(ExternalConnectionException.class,
                () -> tlsVersion(keyspace(sandbox, Mode.VERIFY_IDENTITY, Optional.of(CA.pem()), Optional.empty())));
        assertTrue(mismatch.getMessage().contains("the certificate's name does not match host 127.0.0.1 (it is for"
                + " db.example.test)"), mismatch.getMessage());
        // VERIFY_CA does not look at names, so the same server passes.
        assertEquals("TLSv1.3", tlsVersion(keyspace(sandbox, Mode.VERIFY_CA, Optional.of(CA.pem()), Optional.empty())));
        // SSL SERVER NAME says which name to expect.
        assertEquals("TLSv1.3", tlsVersion(keyspace(sandbox, Mode.VERIFY_IDENTITY, Optional.of(CA.pem()),
                Optional.of("db.example.test"))));
        ExternalConnectionException wrongName = assertThrows(ExternalConnectionException.class,
                () -> tlsVersion(keyspace(sandbox, Mode.VERIFY_IDENTITY, Optional.of(CA.pem()),
                        Optional.of("other.example.test"))));
        assertTrue(wrongName.getMessage().contains("the certificate's name does not match host other.example.test"),
                wrongName.getMessage());
        // The wrong CA is reported before the name.
        ExternalConnectionException both = assertThrows(ExternalConnectionException.class,
                () -> tlsVersion(keyspace(sandbox, Mode.VERIFY_IDENTITY, Optional.of(OTHER_CA.pem()),
                        Optional.empty())));
        assertTrue(both.getMessage().contains("not signed by the given CA"), both.getMessage());
    }

    @Test
    void requiredEncryptsWithoutVerifyingAndDisabledDoesNotEncrypt(Sandbox sandbox) throws Exception {
        serveCertificate(sandbox, "by-name");
        assertEquals("TLSv1.3", tlsVersion(keyspace(sandbox, Mode.REQUIRED, Optional.empty(), Optional.empty())));
        assertEquals("TLSv1.3", tlsVersion(keyspace(sandbox, Mode.PREFERRED, Optional.empty(), Optional.empty())));
        assertEquals("", tlsVersion(keyspace(sandbox, Mode.DISABLED, Optional.empty(), Optional.empty())));
    }

    @Test
    void minimumTlsVersionIsPassedOn(Sandbox sandbox) throws Exception {
        serveCertificate(sandbox, "by-ip");
        ExternalKeyspace twelve = withMinVersion(keyspace(sandbox, Mode.VERIFY_IDENTITY, Optional.of(CA.pem()),
                Optional.empty()), "TLSv1.2");
        assertTrue(List.of("TLSv1.2", "TLSv1.3").contains(tlsVersion(twelve)));
        ExternalKeyspace thirteen = withMinVersion(twelve, "TLSv1.3");
        assertEquals("TLSv1.3", tlsVersion(thirteen));
    }

    @Test
    void aServerWithoutTlsFailsRequiredAndPassesPreferred(Sandbox sandbox) throws Exception {
        ext(sandbox).restartWith(List.of());
        try {
            ExternalConnectionException none = assertThrows(ExternalConnectionException.class,
                    () -> tlsVersion(keyspace(sandbox, Mode.REQUIRED, Optional.empty(), Optional.empty())));
            assertTrue(none.getMessage().contains("the server does not offer TLS, but SSL MODE is REQUIRED"),
                    none.getMessage());
            assertEquals("", tlsVersion(keyspace(sandbox, Mode.PREFERRED, Optional.empty(), Optional.empty())));
        } finally {
            serveCertificate(sandbox, "by-ip");
        }
    }

    @Test
    void mutualTlsLogsInAUserThatRequiresX509(Sandbox sandbox) throws Exception {
        serveCertificate(sandbox, "by-ip");
        TestCa.Issued client = CA.client("switchyard-importer");
        ExternalKeyspace mtls = new ExternalKeyspace("ext", "127.0.0.1", ext(sandbox).port(), "ext", "mtls",
                new ExternalAuth.ClientCertificate(client.certificatePem(), client.keyPem()), Mode.VERIFY_IDENTITY,
                Optional.of(CA.pem()), Optional.empty(), Optional.empty(), 4, List.of());
        try (ExternalConnector connector = ExternalConnector.of(mtls, TIMEOUT, RANDOM);
             Connection c = connector.open(); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT CURRENT_USER()")) {
            rs.next();
            assertEquals("mtls@%", rs.getString(1));
        }
        // Without the certificate the same user is refused, and the message says what to check.
        ExternalKeyspace noCert = new ExternalKeyspace("ext", "127.0.0.1", ext(sandbox).port(), "ext", "mtls",
                new ExternalAuth.Password(""), Mode.VERIFY_IDENTITY, Optional.of(CA.pem()), Optional.empty(),
                Optional.empty(), 4, List.of());
        ExternalConnectionException denied = assertThrows(ExternalConnectionException.class, () -> tlsVersion(noCert));
        assertTrue(denied.getMessage().contains("access denied for user 'mtls'"), denied.getMessage());
        // A client certificate from another CA is refused by the server.
        TestCa.Issued stranger = OTHER_CA.client("stranger");
        ExternalKeyspace foreign = new ExternalKeyspace("ext", "127.0.0.1", ext(sandbox).port(), "ext", "mtls",
                new ExternalAuth.ClientCertificate(stranger.certificatePem(), stranger.keyPem()), Mode.VERIFY_CA,
                Optional.of(CA.pem()), Optional.empty(), Optional.empty(), 4, List.of());
        assertThrows(ExternalConnectionException.class, () -> tlsVersion(foreign));
    }

    @Test
    void validationReportsTheTlsProblemAsTheConnectivityFailure(Sandbox sandbox) {
        serveCertificate(sandbox, "by-name");
        ValidationReport report = new ExternalValidator(TIMEOUT, RANDOM).validate(keyspace(sandbox,
                Mode.VERIFY_IDENTITY, Optional.of(CA.pem()), Optional.empty()));
        assertEquals(1, report.results().size(), report.results().toString());
        ValidationResult row = report.results().get(0);
        assertEquals("connectivity", row.check());
        assertEquals(ValidationResult.Status.FAIL, row.status());
        assertTrue(row.message().contains("the certificate's name does not match host 127.0.0.1"), row.message());

        ValidationReport ok = new ExternalValidator(TIMEOUT, RANDOM).validate(keyspace(sandbox, Mode.VERIFY_IDENTITY,
                Optional.of(CA.pem()), Optional.of("db.example.test")));
        ValidationResult connected = ok.results().get(0);
        assertEquals(ValidationResult.Status.PASS, connected.status(), connected.message());
        assertTrue(connected.message().contains("with TLSv1.3"), connected.message());
        assertTrue(connected.message().contains("issued for db.example.test"), connected.message());
    }

    @Test
    void connectionErrorsNeverShowThePassword(Sandbox sandbox) {
        serveCertificate(sandbox, "by-ip");
        ExternalKeyspace wrong = new ExternalKeyspace("ext", "127.0.0.1", ext(sandbox).port(), "ext", "pw",
                new ExternalAuth.Password("Not-the-password-987"), Mode.REQUIRED, Optional.empty(), Optional.empty(),
                Optional.empty(), 4, List.of());
        ExternalConnectionException denied = assertThrows(ExternalConnectionException.class, () -> tlsVersion(wrong));
        assertTrue(denied.getMessage().contains("access denied for user 'pw'"), denied.getMessage());
        for (Throwable t = denied; t != null; t = t.getCause()) {
            assertFalse(String.valueOf(t.getMessage()).contains("Not-the-password-987"), t.toString());
        }
        assertFalse(wrong.toString().contains("Not-the-password-987"));
    }

    private static String tlsVersion(ExternalKeyspace keyspace) throws SQLException {
        try (ExternalConnector connector = ExternalConnector.of(keyspace, TIMEOUT, RANDOM);
             Connection c = connector.open(); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SHOW SESSION STATUS LIKE 'Ssl_version'")) {
            return rs.next() ? rs.getString(2) : "";
        }
    }

    private static ExternalKeyspace keyspace(Sandbox sandbox, Mode mode, Optional<String> ca,
                                             Optional<String> serverName) {
        return new ExternalKeyspace("ext", "127.0.0.1", ext(sandbox).port(), "ext", "pw",
                new ExternalAuth.Password("Pw-secret-123"), mode, ca, Optional.empty(), serverName, 4, List.of());
    }

    private static ExternalKeyspace withMinVersion(ExternalKeyspace k, String version) {
        return new ExternalKeyspace(k.name(), k.host(), k.port(), k.database(), k.user(), k.auth(), k.sslMode(),
                k.ca(), Optional.of(version), k.sslServerName(), k.importConnections(), k.replicas());
    }

    private static void serveCertificate(Sandbox sandbox, String name) {
        List<String> options = new ArrayList<>(List.of("--ssl-ca=" + dir.resolve("ca.pem"),
                "--ssl-cert=" + dir.resolve(name + "-cert.pem"), "--ssl-key=" + dir.resolve(name + "-key.pem")));
        if (!options.equals(ext(sandbox).extraOptions())) {
            ext(sandbox).restartWith(options);
        }
    }

    private static MariaDbServer ext(Sandbox sandbox) {
        return sandbox.primary("ext", "0");
    }
}
