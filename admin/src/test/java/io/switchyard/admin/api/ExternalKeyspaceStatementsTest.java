package io.switchyard.admin.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.netty.handler.codec.http.HttpResponseStatus;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ExternalKeyspaceStatementsTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void createInClauseOrder() throws Exception {
        assertEquals("CREATE EXTERNAL KEYSPACE legacy HOST '10.0.0.7' PORT 3307 DATABASE 'shop' USER 'importer'"
                + " PASSWORD 'it\\'s \\\\ \\n' SSL MODE DISABLED IMPORT CONNECTIONS 4 SKIP VALIDATION",
                ExternalKeyspaceStatements.create(json("""
                {"name": "legacy", "host": "10.0.0.7", "port": 3307, "database": "shop", "user": "importer",
                 "password": "it's \\\\ \\n", "ssl_mode": "DISABLED", "import_connections": 4,
                 "skip_validation": true}""")));
        assertEquals("CREATE EXTERNAL KEYSPACE k HOST 'db.example.com' USER 'u' SSL CERT 'C' SSL KEY 'K' SSL MODE"
                + " VERIFY_IDENTITY SSL CA 'A' TLS MIN VERSION 'TLSv1.3' SSL SERVER NAME 'db.internal'",
                ExternalKeyspaceStatements.create(json("""
                {"name": "k", "host": "db.example.com", "user": "u", "ssl_cert": "C", "ssl_key": "K",
                 "ssl_mode": "VERIFY_IDENTITY", "ssl_ca": "A", "tls_min_version": "TLSv1.3",
                 "ssl_server_name": "db.internal", "skip_validation": false, "database": null}""")));
    }

    @Test
    void namesHostsAndKeywordsAreCheckedBeforeAnySql() {
        for (String body : new String[] {
            "{\"name\": \"x'; DROP\", \"host\": \"h\", \"user\": \"u\", \"password\": \"p\"}",
            "{\"name\": \"x\", \"host\": \"h' USER 'root\", \"user\": \"u\", \"password\": \"p\"}",
            "{\"name\": \"x\", \"host\": \"h h\", \"user\": \"u\", \"password\": \"p\"}",
            "{\"name\": \"x\", \"host\": \"h\", \"user\": \"u\", \"password\": \"p\", \"ssl_mode\": \"DISABLED SKIP"
                    + " VALIDATION\"}",
            "{\"name\": \"x\", \"host\": \"h\", \"user\": \"u\", \"password\": \"p\", \"database\": \"a'b\"}",
            "{\"name\": \"x\", \"host\": \"h\", \"user\": \"u\\nPASSWORD\", \"password\": \"p\"}",
            "{\"name\": \"x\", \"host\": \"h\", \"user\": \"u\", \"password\": \"p\", \"port\": \"3306; DROP\"}",
            "{\"name\": \"x\", \"host\": \"h\", \"user\": \"u\", \"password\": \"p\", \"import_connections\": 1.5}",
            "{\"name\": \"x\", \"host\": \"h\", \"user\": \"u\", \"password\": \"p\", \"skip_validation\": \"yes\"}",
            "{\"name\": \"x\", \"host\": \"h\", \"user\": \"u\", \"password\": \"p\", \"passwd\": \"p\"}",
            "{\"name\": \"x\", \"host\": \"h\", \"password\": \"p\"}",
            "[\"x\"]"}) {
            ApiError.Failure e = assertThrows(ApiError.Failure.class,
                    () -> ExternalKeyspaceStatements.create(json(body)), body);
            assertEquals(HttpResponseStatus.BAD_REQUEST, e.error().status(), body);
            assertEquals(1210, e.error().code(), body);
        }
    }

    @Test
    void refusalsNeverQuoteThePassword() {
        for (String body : new String[] {
            "{\"name\": \"x\", \"host\": \"h\", \"user\": \"u\", \"password\": 12345678}",
            "{\"name\": \"x\", \"host\": \"h\", \"user\": \"u\", \"password\": \"12345678\\u0000\"}",
            "{\"name\": \"x\", \"host\": \"h\", \"user\": \"u\", \"password\": \"12345678\", \"ssl_mode\": \"a b\"}"}) {
            ApiError.Failure e = assertThrows(ApiError.Failure.class,
                    () -> ExternalKeyspaceStatements.create(json(body)), body);
            assertFalse(e.getMessage().contains("12345678"), e.getMessage());
        }
    }

    @Test
    void replicas() throws Exception {
        assertEquals("ALTER EXTERNAL KEYSPACE k ADD REPLICA HOST '10.0.0.8'",
                ExternalKeyspaceStatements.addReplica("k", json("{\"host\": \"10.0.0.8\"}")));
        assertEquals("ALTER EXTERNAL KEYSPACE k ADD REPLICA HOST 'r1' PORT 3310",
                ExternalKeyspaceStatements.addReplica("k", json("{\"host\": \"r1\", \"port\": 3310}")));
        assertEquals("ALTER EXTERNAL KEYSPACE k DROP REPLICA HOST 'r1' PORT 3310",
                ExternalKeyspaceStatements.dropReplica("k", "r1:3310"));
        assertEquals("ALTER EXTERNAL KEYSPACE k DROP REPLICA HOST 'r1'", ExternalKeyspaceStatements.dropReplica("k",
                "r1"));
        assertEquals("ALTER EXTERNAL KEYSPACE k DROP REPLICA HOST 'fd00::8' PORT 3306",
                ExternalKeyspaceStatements.dropReplica("k", "[fd00::8]:3306"));
        assertEquals("ALTER EXTERNAL KEYSPACE k DROP REPLICA HOST 'fd00::8'",
                ExternalKeyspaceStatements.dropReplica("k", "fd00::8"));
        for (String bad : new String[] {"r1:x", "r1:", "[fd00::8", "[fd00::8]3306", "r1';", ""}) {
            assertThrows(ApiError.Failure.class, () -> ExternalKeyspaceStatements.dropReplica("k", bad), bad);
        }
        assertThrows(ApiError.Failure.class, () -> ExternalKeyspaceStatements.addReplica("k",
                json("{\"host\": \"r1\", \"port\": 3310, \"user\": \"x\"}")));
        assertTrue(assertThrows(ApiError.Failure.class, () -> ExternalKeyspaceStatements.validate("k",
                json("{\"deep\": true}"))).getMessage().contains("this action takes no body"));
    }

    private static JsonNode json(String text) throws Exception {
        return JSON.readTree(text);
    }
}
