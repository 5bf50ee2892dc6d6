package io.switchyard.config;

import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@code topology.credentials_key} and the BackendTls fields external keyspaces use. */
class CredentialsKeyTest {
    private static final String KEY = "k3y-from-the-environment-0123456789";

    private static String yaml(String topologyExtra) {
        return """
                users:
                  - {name: root, password: "", role: admin}
                topology:
                  dsn: "mysql://root:@127.0.0.1:3306/switchyard_topo"
                %s
                keyspaces:
                  - name: commerce
                    shards:
                      - {name: "0", primary: 127.0.0.1:3306}
                """.formatted(topologyExtra.indent(2).stripTrailing());
    }

    @Test
    void theKeyIsOptionalAndComesFromAPlaceholder() {
        SwitchyardConfig without = ConfigLoader.parse(yaml(""), (p, n) -> Optional.empty());
        assertEquals(Optional.empty(), without.topology().credentialsKey());

        Map<String, String> env = Map.of("SWITCHYARD_CREDENTIALS_KEY", KEY);
        SwitchyardConfig with = ConfigLoader.parse(yaml("credentials_key: \"${env:SWITCHYARD_CREDENTIALS_KEY}\""),
                (prefix, name) -> Optional.ofNullable(env.get(name)));
        assertEquals(Optional.of(KEY), with.topology().credentialsKey());
        assertFalse(with.topology().toString().contains(KEY), with.topology().toString());
        assertTrue(with.topology().toString().contains("credentials_key=***"));
    }

    @Test
    void aShortKeyIsRefusedWithoutShowingIt() {
        ConfigException e = assertThrows(ConfigException.class, () -> ConfigLoader.parse(
                yaml("credentials_key: \"short-key\""), (p, n) -> Optional.empty()));
        assertEquals("topology.credentials_key: is too short (9 characters); use at least 16 random characters, e.g."
                + " from `openssl rand -base64 32`", e.getMessage());
        assertFalse(e.getMessage().contains("short-key"));
    }

    @Test
    void backendTlsForExternalKeyspaces() {
        BackendTls tls = new BackendTls(BackendTls.Mode.VERIFY_IDENTITY, Optional.empty(), Optional.of("PEM"),
                Optional.of(new BackendTls.ClientCertificate("CERT", "PRIVATE-KEY-TEXT")), Optional.of("db.internal"),
                Optional.of("TLSv1.2"));
        assertEquals(List.of("TLSv1.2", "TLSv1.3"), tls.protocols());
        assertFalse(tls.toString().contains("PRIVATE-KEY-TEXT"), tls.toString());
        assertEquals(BackendTls.TLS_VERSIONS, BackendTls.DISABLED.protocols());

        ConfigException both = assertThrows(ConfigException.class, () -> new BackendTls(BackendTls.Mode.VERIFY_CA,
                Optional.of(java.nio.file.Path.of("/ca.pem")), Optional.of("PEM"), Optional.empty(),
                Optional.empty(), Optional.empty()));
        assertEquals("ca: is given both as a file and as PEM text; give one", both.getMessage());
        ConfigException plain = assertThrows(ConfigException.class, () -> new BackendTls(BackendTls.Mode.DISABLED,
                Optional.empty(), Optional.empty(), Optional.of(new BackendTls.ClientCertificate("C", "K")),
                Optional.empty(), Optional.empty()));
        assertEquals("client: a client certificate needs TLS, but mode is \"disabled\"", plain.getMessage());
        ConfigException version = assertThrows(ConfigException.class, () -> new BackendTls(BackendTls.Mode.REQUIRED,
                Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty(), Optional.of("SSLv3")));
        assertEquals("min_version: \"SSLv3\" is not a TLS version; use one of TLSv1, TLSv1.1, TLSv1.2, TLSv1.3",
                version.getMessage());
    }
}
