package io.switchyard.admin.sql;

import io.switchyard.config.BackendTls;
import io.switchyard.config.Endpoint;
import io.switchyard.replication.external.ExternalAuth;
import io.switchyard.replication.external.ExternalKeyspace;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ExternalKeyspaceSyntaxTest {
    private static final String CERT = "-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n";
    private static final String KEY = "-----BEGIN PRIVATE KEY-----\nMIIE\n-----END PRIVATE KEY-----\n";

    @Test
    void fullCreateWithPemOnSeveralLinesAndClausesInAnyOrder() {
        ExternalKeyspaceSyntax.Create create = (ExternalKeyspaceSyntax.Create) ExternalKeyspaceSyntax.parse("""
                create external keyspace `legacy`
                  SSL MODE verify_identity
                  HOST 'db.example.com' PORT 3307 DATABASE "shop" USER 'importer'
                  SSL CERT '%s' SSL KEY '%s'
                  SSL CA '%s'
                  TLS MIN VERSION 'TLSv1.3' SSL SERVER NAME 'db.internal' IMPORT CONNECTIONS 32 ;
                """.formatted(CERT, KEY, CERT));
        assertEquals(new ExternalKeyspace("legacy", "db.example.com", 3307, "shop", "importer",
                new ExternalAuth.ClientCertificate(CERT, KEY), BackendTls.Mode.VERIFY_IDENTITY, Optional.of(CERT),
                Optional.of("TLSv1.3"), Optional.of("db.internal"), 32, List.of()), create.keyspace());
        assertFalse(create.skipValidation());
    }

    @Test
    void defaultsEscapesAndSkipValidation() {
        ExternalKeyspaceSyntax.Create create = (ExternalKeyspaceSyntax.Create) ExternalKeyspaceSyntax.parse(
                "CREATE EXTERNAL KEYSPACE shop HOST '10.0.0.7' USER 'u' PASSWORD 'it''s a \\'secret\\'' SKIP"
                        + " VALIDATION");
        ExternalKeyspace k = create.keyspace();
        assertEquals(new Endpoint("10.0.0.7", 3306), k.primary());
        assertEquals("shop", k.database());
        assertEquals(BackendTls.Mode.PREFERRED, k.sslMode());
        assertEquals(8, k.importConnections());
        assertEquals(new ExternalAuth.Password("it's a 'secret'"), k.auth());
        assertTrue(create.skipValidation());
        ExternalKeyspaceSyntax.Create pem = (ExternalKeyspaceSyntax.Create) ExternalKeyspaceSyntax.parse(
                "CREATE EXTERNAL KEYSPACE shop HOST 'h' USER 'u' SSL MODE REQUIRED SSL CERT 'a\\nb' SSL KEY 'k'");
        assertEquals(new ExternalAuth.ClientCertificate("a\nb", "k"), pem.keyspace().auth());
    }

    @Test
    void otherStatements() {
        assertEquals(new ExternalKeyspaceSyntax.Validate("legacy"),
                ExternalKeyspaceSyntax.parse("VALIDATE EXTERNAL KEYSPACE legacy;"));
        assertEquals(new ExternalKeyspaceSyntax.Show(), ExternalKeyspaceSyntax.parse("show external keyspaces"));
        assertEquals(new ExternalKeyspaceSyntax.AlterReplica("legacy", true, new Endpoint("10.0.0.8", 3306)),
                ExternalKeyspaceSyntax.parse("ALTER EXTERNAL KEYSPACE legacy ADD REPLICA HOST '10.0.0.8'"));
        assertEquals(new ExternalKeyspaceSyntax.AlterReplica("legacy", false, new Endpoint("r1", 3310)),
                ExternalKeyspaceSyntax.parse("ALTER EXTERNAL KEYSPACE legacy DROP REPLICA HOST 'r1' PORT 3310"));
        assertEquals(new ExternalKeyspaceSyntax.Drop("legacy"),
                ExternalKeyspaceSyntax.parse("DROP EXTERNAL KEYSPACE legacy"));
        assertTrue(ExternalKeyspaceSyntax.claims("  drop external keyspace x"));
        assertFalse(ExternalKeyspaceSyntax.claims("DROP KEYSPACE x"));
        assertFalse(ExternalKeyspaceSyntax.claims("SELECT 'CREATE EXTERNAL KEYSPACE'"));
    }

    @Test
    void errorsNeverQuoteThePassword() {
        ExternalKeyspaceSyntax.Syntax open = assertThrows(ExternalKeyspaceSyntax.Syntax.class,
                () -> ExternalKeyspaceSyntax.parse("CREATE EXTERNAL KEYSPACE x HOST 'h' USER 'u' PASSWORD 'hunter2"));
        assertFalse(open.getMessage().contains("hunter2"), open.getMessage());
        IllegalArgumentException both = assertThrows(IllegalArgumentException.class,
                () -> ExternalKeyspaceSyntax.parse("CREATE EXTERNAL KEYSPACE x HOST 'h' USER 'u' PASSWORD 'hunter2'"
                        + " SSL CERT 'c'"));
        assertFalse(both.getMessage().contains("hunter2"), both.getMessage());
        ExternalKeyspaceSyntax.Syntax unquoted = assertThrows(ExternalKeyspaceSyntax.Syntax.class,
                () -> ExternalKeyspaceSyntax.parse("CREATE EXTERNAL KEYSPACE x HOST 'h' USER 'u' PASSWORD hunter2"));
        assertEquals("PASSWORD takes a quoted string, e.g. PASSWORD '...'", unquoted.getMessage());
    }
}
