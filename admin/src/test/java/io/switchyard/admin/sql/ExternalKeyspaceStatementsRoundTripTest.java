package io.switchyard.admin.sql;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.switchyard.admin.api.ExternalKeyspaceStatements;
import io.switchyard.config.BackendTls;
import io.switchyard.config.Endpoint;
import io.switchyard.replication.external.ExternalAuth;
import io.switchyard.replication.external.ExternalKeyspace;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Optional;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * The statements the HTTP API builds parse back ({@link ExternalKeyspaceSyntax#parse}, the parser the MySQL port
 * uses) to exactly the values of the request, whatever quotes, backslashes, line breaks and SQL they hold.
 */
class ExternalKeyspaceStatementsRoundTripTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final List<String> HOSTILE = List.of(
            "it's", "'", "''", "\\", "\\\\", "\\'", "'\\", "a\\nb", "a\nb", "\r\n", "\t\\t", "\"", "\"'\"",
            "'; DROP EXTERNAL KEYSPACE legacy; --", "x' SKIP VALIDATION PASSWORD 'y", "`", "; SHOW EXTERNAL KEYSPACES",
            "\\0", "é€😀", " leading and trailing ", "-----BEGIN PRIVATE KEY-----\nMIIE'\\\"\n-----END PRIVATE KEY-----\n");

    @Test
    void hostilePasswordsAndUsersComeBackUnchanged() {
        for (String value : HOSTILE) {
            // A user name with a control character is refused before any SQL (see ExternalKeyspaceStatementsTest).
            String user = value.chars().anyMatch(Character::isISOControl) ? "importer" : "u" + value;
            ObjectNode body = body().put("user", user).put("password", value);
            ExternalKeyspace parsed = parse(body);
            assertEquals(user, parsed.user(), value);
            assertEquals(new ExternalAuth.Password(value), parsed.auth(), value);
            assertEquals("legacy", parsed.name());
            assertEquals(new Endpoint("db.example.com", 3307), parsed.primary());
        }
    }

    @Test
    void hostilePemTextComesBackUnchanged() {
        for (String value : HOSTILE) {
            ObjectNode body = body().put("ssl_cert", "cert" + value).put("ssl_key", value + "key")
                    .put("ssl_ca", "ca\n" + value).put("ssl_mode", "VERIFY_CA");
            ExternalKeyspace parsed = parse(body);
            assertEquals(new ExternalAuth.ClientCertificate("cert" + value, value + "key"), parsed.auth(), value);
            assertEquals(Optional.of("ca\n" + value), parsed.ca(), value);
            assertEquals(BackendTls.Mode.VERIFY_CA, parsed.sslMode());
        }
    }

    @Test
    void randomStringsOfTroublesomeCharactersComeBackUnchanged() {
        String alphabet = "'\"\\`;-/*\n\r\t nN0x%_é😀";
        Random random = new Random(20261122); // fixed: a failure reproduces
        for (int i = 0; i < 2000; i++) {
            StringBuilder value = new StringBuilder();
            int length = random.nextInt(24);
            while (value.length() < length) {
                value.appendCodePoint(alphabet.codePointAt(alphabet.offsetByCodePoints(0,
                        random.nextInt(alphabet.codePointCount(0, alphabet.length())))));
            }
            String password = value.toString();
            assertEquals(new ExternalAuth.Password(password), parse(body().put("password", password)).auth(),
                    () -> "password " + JSON.valueToTree(password));
        }
    }

    @Test
    void everySettingReachesTheStatement() {
        ObjectNode body = body().put("password", "pw").put("database", "shop$1").put("ssl_mode", "verify_identity")
                .put("ssl_ca", "CA").put("tls_min_version", "TLSv1.3").put("ssl_server_name", "db.internal")
                .put("import_connections", 32);
        ExternalKeyspaceSyntax.Create create = (ExternalKeyspaceSyntax.Create) ExternalKeyspaceSyntax.parse(
                ExternalKeyspaceStatements.create(body.put("skip_validation", true)));
        assertEquals(new ExternalKeyspace("legacy", "db.example.com", 3307, "shop$1", "importer",
                new ExternalAuth.Password("pw"), BackendTls.Mode.VERIFY_IDENTITY, Optional.of("CA"),
                Optional.of("TLSv1.3"), Optional.of("db.internal"), 32, List.of()), create.keyspace());
        assertEquals(true, create.skipValidation());
    }

    @Test
    void replicaStatementsParseBack() {
        assertEquals(new ExternalKeyspaceSyntax.AlterReplica("legacy", true, new Endpoint("10.0.0.8", 3310)),
                ExternalKeyspaceSyntax.parse(ExternalKeyspaceStatements.addReplica("legacy",
                        JSON.createObjectNode().put("host", "10.0.0.8").put("port", 3310))));
        assertEquals(new ExternalKeyspaceSyntax.AlterReplica("legacy", false, new Endpoint("r1.example.com", 3306)),
                ExternalKeyspaceSyntax.parse(ExternalKeyspaceStatements.dropReplica("legacy", "r1.example.com")));
        assertEquals(new ExternalKeyspaceSyntax.AlterReplica("legacy", false, new Endpoint("r1", 3307)),
                ExternalKeyspaceSyntax.parse(ExternalKeyspaceStatements.dropReplica("legacy", "r1:3307")));
        assertEquals(new ExternalKeyspaceSyntax.Validate("legacy"),
                ExternalKeyspaceSyntax.parse(ExternalKeyspaceStatements.validate("legacy", null)));
        assertEquals(new ExternalKeyspaceSyntax.Drop("legacy"),
                ExternalKeyspaceSyntax.parse(ExternalKeyspaceStatements.drop("legacy")));
        assertEquals(new ExternalKeyspaceSyntax.Show(), ExternalKeyspaceSyntax.parse(ExternalKeyspaceStatements.show()));
    }

    private static ObjectNode body() {
        return JSON.createObjectNode().put("name", "legacy").put("host", "db.example.com").put("port", 3307)
                .put("user", "importer");
    }

    private static ExternalKeyspace parse(ObjectNode body) {
        String sql = ExternalKeyspaceStatements.create(body);
        assertEquals(true, ExternalKeyspaceSyntax.claims(sql), sql);
        return ((ExternalKeyspaceSyntax.Create) ExternalKeyspaceSyntax.parse(sql)).keyspace();
    }
}
