package io.switchyard.replication.external;

import io.switchyard.config.BackendTls;
import io.switchyard.config.Endpoint;
import io.switchyard.config.Keyspace;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ExternalKeyspaceTest {
    private static final String PASSWORD = "Sup3r-Secret";
    private static final String KEY = "-----BEGIN PRIVATE KEY-----\nMIIEsecretkeymaterial\n-----END PRIVATE KEY-----\n";

    @Test
    void toStringNeverShowsSecrets() {
        ExternalKeyspace password = keyspace(new ExternalAuth.Password(PASSWORD), BackendTls.Mode.REQUIRED, 8);
        assertFalse(password.toString().contains(PASSWORD), password.toString());
        assertFalse(password.auth().toString().contains(PASSWORD));
        assertFalse(password.toKeyspace().toString().contains(PASSWORD), password.toKeyspace().toString());
        ExternalKeyspace cert = keyspace(new ExternalAuth.ClientCertificate("-----BEGIN CERTIFICATE-----", KEY),
                BackendTls.Mode.VERIFY_CA, 8);
        assertFalse(cert.toString().contains("secretkeymaterial"), cert.toString());
        assertFalse(cert.toKeyspace().toString().contains("secretkeymaterial"), cert.toKeyspace().toString());
    }

    @Test
    void toKeyspaceIsAnUnshardedKeyspaceWithTheReplicas() {
        ExternalKeyspace external = new ExternalKeyspace("legacy", "db.example.test", 3307, "shop", "importer",
                new ExternalAuth.Password(PASSWORD), BackendTls.Mode.VERIFY_IDENTITY, Optional.of("CA PEM"),
                Optional.of("TLSv1.2"), Optional.of("db.internal"), 16, List.of(new Endpoint("10.0.0.2", 3306)));
        Keyspace keyspace = external.toKeyspace();
        assertEquals("legacy", keyspace.name());
        assertFalse(keyspace.sharded());
        assertEquals("shop", keyspace.database());
        assertEquals("importer", keyspace.credentials().user());
        assertEquals(PASSWORD, keyspace.credentials().password());
        assertEquals(new BackendTls(BackendTls.Mode.VERIFY_IDENTITY, Optional.empty(), Optional.of("CA PEM"),
                Optional.empty(), Optional.of("db.internal"), Optional.of("TLSv1.2")), keyspace.tls());
        assertEquals(List.of("TLSv1.2", "TLSv1.3"), keyspace.tls().protocols());
        assertEquals(1, keyspace.shards().size());
        assertEquals("0", keyspace.shards().get(0).name());
        assertEquals(new Endpoint("db.example.test", 3307), keyspace.shards().get(0).primary());
        assertEquals(List.of(new Endpoint("10.0.0.2", 3306)), keyspace.shards().get(0).replicas());

        ExternalKeyspace mtls = keyspace(new ExternalAuth.ClientCertificate("CERT", KEY), BackendTls.Mode.REQUIRED, 8);
        assertEquals(Optional.of(new BackendTls.ClientCertificate("CERT", KEY)), mtls.toKeyspace().tls().client());
        assertEquals("", mtls.toKeyspace().credentials().password());
    }

    @Test
    void badSettingsSayWhatToChange() {
        assertEquals("IMPORT CONNECTIONS 101 is out of range: use 1 to 100", bad(() -> keyspace(
                new ExternalAuth.Password(""), BackendTls.Mode.DISABLED, 101)));
        assertEquals("IMPORT CONNECTIONS 0 is out of range: use 1 to 100", bad(() -> keyspace(
                new ExternalAuth.Password(""), BackendTls.Mode.DISABLED, 0)));
        assertEquals("SSL CERT/SSL KEY (mutual TLS) need TLS: use SSL MODE REQUIRED, VERIFY_CA or VERIFY_IDENTITY,"
                + " not PREFERRED", bad(() -> keyspace(new ExternalAuth.ClientCertificate("C", KEY),
                BackendTls.Mode.PREFERRED, 8)));
        String ca = bad(() -> new ExternalKeyspace("legacy", "h", 3306, "d", "u", new ExternalAuth.Password(""),
                BackendTls.Mode.REQUIRED, Optional.of("CA"), Optional.empty(), Optional.empty(), 8, List.of()));
        assertTrue(ca.startsWith("SSL CA is only used with SSL MODE VERIFY_CA or VERIFY_IDENTITY"), ca);
        String version = bad(() -> new ExternalKeyspace("legacy", "h", 3306, "d", "u", new ExternalAuth.Password(""),
                BackendTls.Mode.REQUIRED, Optional.empty(), Optional.of("SSLv3"), Optional.empty(), 8, List.of()));
        assertEquals("TLS MIN VERSION 'SSLv3' is not a TLS version; use one of TLSv1, TLSv1.1, TLSv1.2, TLSv1.3",
                version);
        String several = bad(() -> new ExternalKeyspace("bad name", "h h", 0, "d", " ", new ExternalAuth.Password(""),
                BackendTls.Mode.DISABLED, Optional.empty(), Optional.empty(), Optional.empty(), 8, List.of()));
        assertTrue(several.startsWith("keyspace name 'bad name' is not valid"), several);
        assertTrue(several.contains("USER must not be empty"), several);
        assertTrue(several.contains("HOST/PORT"), several);
        String replica = bad(() -> new ExternalKeyspace("legacy", "h", 3306, "d", "u", new ExternalAuth.Password(""),
                BackendTls.Mode.DISABLED, Optional.empty(), Optional.empty(), Optional.empty(), 8,
                List.of(new Endpoint("h", 3306))));
        assertEquals("replica h:3306 is the primary itself", replica);
    }

    private static String bad(Runnable build) {
        ExternalKeyspaceException e = assertThrows(ExternalKeyspaceException.class, build::run);
        assertEquals(ExternalKeyspaceException.Reason.BAD_SETTING, e.reason());
        return e.getMessage();
    }

    private static ExternalKeyspace keyspace(ExternalAuth auth, BackendTls.Mode mode, int connections) {
        return new ExternalKeyspace("legacy", "db.example.test", 3306, "shop", "importer", auth, mode,
                Optional.empty(), Optional.empty(), Optional.empty(), connections, List.of());
    }
}
