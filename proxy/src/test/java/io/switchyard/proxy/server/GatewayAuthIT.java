package io.switchyard.proxy.server;

import io.netty.handler.ssl.SslContextBuilder;
import io.switchyard.proxy.auth.CachingSha2Password;
import io.switchyard.proxy.tls.SelfSignedCertificate;
import io.switchyard.sandbox.Sandbox;
import io.switchyard.sandbox.Sandboxed;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * TLS, and caching_sha2_password's three exchanges: full authentication over TLS, full authentication with the RSA
 * key exchange, then the fast path. The {@code mariadb} command-line client speaks caching_sha2 when told to
 * ({@code --default-auth}); the JDBC drivers answer a MariaDB-versioned greeting with mysql_native_password.
 */
@Sandboxed("commerce:0")
class GatewayAuthIT {
    private static final String KEYSPACES = """
            keyspaces:
              - name: commerce
                shards:
                  - name: "0"
                    primary: ${sandbox:commerce/0/primary}
            """;

    @Test
    void tlsUpgradeWithBothDriversAndCachingSha2OverTls(Sandbox sandbox, @TempDir Path dir) throws Exception {
        SelfSignedCertificate cert = SelfSignedCertificate.generate(dir, Clock.systemUTC(), new SecureRandom());
        GatewayServer.Options options = GatewayServer.Options.defaults()
                .withDefaultAuthPlugin(CachingSha2Password.PLUGIN_NAME)
                .withSsl(SslContextBuilder.forServer(cert.certificate().toFile(), cert.privateKey().toFile()).build());
        try (GatewayFixture gateway = GatewayFixture.start(sandbox, KEYSPACES, LocalCommands.NONE, options)) {
            try (Connection c = DriverManager.getConnection(gateway.mariadbUrl("commerce",
                    "sslMode=trust&user=secret&password=s3cr3t-pw")); Statement s = c.createStatement();
                 ResultSet rs = s.executeQuery("SELECT 1")) {
                assertTrue(rs.next());
            }
            try (Connection c = DriverManager.getConnection("jdbc:mysql://127.0.0.1:" + gateway.port()
                    + "/commerce?sslMode=REQUIRED&defaultAuthenticationPlugin=mysql_native_password"
                    + "&user=app&password=app")) {
                assertTrue(c.isValid(2));
            }
            // First caching_sha2 login: the full path, the password in clear inside TLS.
            assertEquals("secret@tls", cli(gateway, "--ssl", "--default-auth=caching_sha2_password",
                    "-usecret", "-ps3cr3t-pw", "-e", "SELECT CONCAT('secret', '@tls')"));
            // Now the fast path works without TLS.
            assertEquals("fast", cli(gateway, "--skip-ssl", "--default-auth=caching_sha2_password",
                    "-usecret", "-ps3cr3t-pw", "-e", "SELECT 'fast'"));
            assertNotEquals(0, cliExit(gateway, "--ssl", "--default-auth=caching_sha2_password", "-usecret",
                    "-pwrong", "-e", "SELECT 1"));
        }
    }

    @Test
    void cachingSha2WithoutTlsUsesTheRsaKeyExchange(Sandbox sandbox) throws Exception {
        GatewayServer.Options options = GatewayServer.Options.defaults()
                .withDefaultAuthPlugin(CachingSha2Password.PLUGIN_NAME);
        try (GatewayFixture gateway = GatewayFixture.start(sandbox, KEYSPACES, LocalCommands.NONE, options)) {
            assertEquals("rsa", cli(gateway, "--skip-ssl", "--default-auth=caching_sha2_password",
                    "-usecret", "-ps3cr3t-pw", "-e", "SELECT 'rsa'"));
            assertEquals("fast", cli(gateway, "--skip-ssl", "--default-auth=caching_sha2_password",
                    "-usecret", "-ps3cr3t-pw", "-e", "SELECT 'fast'"));
            assertNotEquals(0, cliExit(gateway, "--skip-ssl", "--default-auth=caching_sha2_password", "-usecret",
                    "-pbad", "-e", "SELECT 1"));
            SQLException wrong = assertThrows(SQLException.class, () -> gateway.mariadb("commerce", "secret", "x"));
            assertEquals(1045, wrong.getErrorCode());
        }
    }

    private static String cli(GatewayFixture gateway, String... args) throws Exception {
        Process p = start(gateway, args);
        String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
        assertTrue(p.waitFor(30, TimeUnit.SECONDS));
        assertEquals(0, p.exitValue(), output);
        return output;
    }

    private static int cliExit(GatewayFixture gateway, String... args) throws Exception {
        Process p = start(gateway, args);
        p.getInputStream().readAllBytes();
        assertTrue(p.waitFor(30, TimeUnit.SECONDS));
        return p.exitValue();
    }

    private static Process start(GatewayFixture gateway, String... args) throws Exception {
        List<String> command = new ArrayList<>(List.of("mariadb", "-h127.0.0.1", "-P" + gateway.port(), "-N", "-B",
                "--connect-timeout=10"));
        command.addAll(List.of(args));
        command.add("commerce");
        return new ProcessBuilder(command).redirectErrorStream(true).start();
    }
}
