package io.switchyard.replication.external;

import io.switchyard.config.BackendTls;
import io.switchyard.config.Endpoint;
import io.switchyard.sandbox.TestCa;
import io.switchyard.sandbox.Sandbox;
import io.switchyard.sandbox.Sandboxed;
import org.junit.jupiter.api.Test;

import java.security.SecureRandom;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The registry in a real topology store: secrets sealed at rest, gone after delete. */
@Sandboxed("topology")
class ExternalKeyspacesIT {
    private static final SecureRandom RANDOM = new SecureRandom();
    private static final String KEY = "a-test-credentials-key-0123456789";
    private static final String PASSWORD = "Ext-Password-Secret-42";

    @Test
    void createReadListAlterDelete(Sandbox sandbox) throws SQLException {
        ExternalKeyspaces store = store(sandbox, Optional.of(KEY));
        ExternalKeyspace legacy = keyspace("legacy", new ExternalAuth.Password(PASSWORD));
        store.create(legacy);

        assertEquals(Optional.of(legacy), store.read("legacy"));
        assertEquals(PASSWORD, ((ExternalAuth.Password) store.get("legacy").auth()).password());
        assertTrue(store.list().contains(legacy));

        ExternalKeyspace withReplica = store.addReplica("legacy", new Endpoint("10.0.0.2", 3306));
        assertEquals(List.of(new Endpoint("10.0.0.2", 3306)), withReplica.replicas());
        assertEquals(withReplica, store.get("legacy"));
        ExternalKeyspaceException twice = assertThrows(ExternalKeyspaceException.class,
                () -> store.addReplica("legacy", new Endpoint("10.0.0.2", 3306)));
        assertEquals("external keyspace legacy already has replica 10.0.0.2:3306", twice.getMessage());
        assertEquals(legacy, store.removeReplica("legacy", new Endpoint("10.0.0.2", 3306)));
        ExternalKeyspaceException absent = assertThrows(ExternalKeyspaceException.class,
                () -> store.removeReplica("legacy", new Endpoint("10.0.0.9", 3306)));
        assertEquals(ExternalKeyspaceException.Reason.NOT_FOUND, absent.reason());

        ExternalKeyspaceException duplicate = assertThrows(ExternalKeyspaceException.class,
                () -> store.create(legacy));
        assertEquals(ExternalKeyspaceException.Reason.EXISTS, duplicate.reason());

        assertTrue(store.delete("legacy"));
        assertFalse(store.delete("legacy"));
        assertEquals(Optional.empty(), store.read("legacy"));
        assertEquals(ExternalKeyspaceException.Reason.NOT_FOUND,
                assertThrows(ExternalKeyspaceException.class, () -> store.get("legacy")).reason());
    }

    @Test
    void secretsAreSealedAtRestAndGoneAfterDelete(Sandbox sandbox) throws SQLException {
        ExternalKeyspaces store = store(sandbox, Optional.of(KEY));
        TestCa.Issued client = TestCa.create("ca").client("importer");
        store.create(keyspace("sealed_pw", new ExternalAuth.Password(PASSWORD)));
        ExternalKeyspace mtls = new ExternalKeyspace("sealed_cert", "db.example.test", 3306, "legacy", "importer",
                new ExternalAuth.ClientCertificate(client.certificatePem(), client.keyPem()),
                BackendTls.Mode.VERIFY_IDENTITY, Optional.empty(), Optional.of("TLSv1.2"), Optional.empty(), 16,
                List.of());
        store.create(mtls);

        String everything = String.join("\n", sandbox.topology().query("SELECT CONCAT_WS('|', name, settings_json,"
                + " IFNULL(password_enc, ''), IFNULL(client_key_enc, '')) FROM switchyard_topo.external_keyspaces")
                .stream().map(row -> row.get(0)).toList());
        assertFalse(everything.contains(PASSWORD), everything);
        assertFalse(everything.contains(client.keyPem().lines().skip(1).findFirst().orElseThrow()), everything);
        assertFalse(everything.contains("PRIVATE KEY"), everything);
        assertTrue(everything.contains("v1:"), "sealed values are stored");
        assertEquals(mtls, store.get("sealed_cert"), "the key is decrypted on read");

        store.delete("sealed_pw");
        store.delete("sealed_cert");
        assertEquals(List.of(), sandbox.topology().query("SELECT name FROM switchyard_topo.external_keyspaces"
                + " WHERE name LIKE 'sealed%'"));
    }

    @Test
    void withoutACredentialsKeyNothingIsStored(Sandbox sandbox) throws SQLException {
        ExternalKeyspaces store = store(sandbox, Optional.empty());
        ExternalKeyspaceException refused = assertThrows(ExternalKeyspaceException.class,
                () -> store.create(keyspace("nokey", new ExternalAuth.Password(PASSWORD))));
        assertEquals(ExternalKeyspaceException.Reason.NO_CREDENTIALS_KEY, refused.reason());
        assertTrue(refused.getMessage().startsWith("cannot create external keyspace nokey: no credentials key is"
                + " configured. Set topology.credentials_key"), refused.getMessage());
        assertTrue(refused.getMessage().contains("SWITCHYARD_CREDENTIALS_KEY"));
        assertEquals(Optional.empty(), store.read("nokey"));
    }

    @Test
    void anotherKeyCannotReadTheSecrets(Sandbox sandbox) throws SQLException {
        store(sandbox, Optional.of(KEY)).create(keyspace("rekeyed", new ExternalAuth.Password(PASSWORD)));
        ExternalKeyspaces other = store(sandbox, Optional.of("a-different-key-abcdefghijklmnop"));
        ExternalKeyspaceException wrong = assertThrows(ExternalKeyspaceException.class, () -> other.get("rekeyed"));
        assertEquals(ExternalKeyspaceException.Reason.WRONG_CREDENTIALS_KEY, wrong.reason());
        assertFalse(wrong.getMessage().contains(PASSWORD));
        assertTrue(other.delete("rekeyed"), "a keyspace whose secrets cannot be read can still be dropped");
    }

    private static ExternalKeyspaces store(Sandbox sandbox, Optional<String> key) throws SQLException {
        String url = sandbox.topology().jdbcUrl("switchyard_topo");
        return ExternalKeyspaces.open(() -> DriverManager.getConnection(url),
                SecretBox.resolve(key, Map.of(), RANDOM));
    }

    private static ExternalKeyspace keyspace(String name, ExternalAuth auth) {
        return new ExternalKeyspace(name, "db.example.test", 3306, "legacy", "importer", auth,
                BackendTls.Mode.REQUIRED, Optional.empty(), Optional.empty(), Optional.empty(), 8, List.of());
    }
}
