package io.switchyard.admin;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.switchyard.config.ConfigLoader;
import io.switchyard.config.SwitchyardConfig;
import io.switchyard.proxy.server.GatewayServer;
import io.switchyard.sandbox.MariaDbServer;
import io.switchyard.sandbox.Sandbox;
import io.switchyard.sandbox.Sandboxed;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The external-keyspace JSON API and Import workflows on a real gateway, with another sandbox server (and its
 * replica) as the external database. The password holds a quote, a backslash and a double quote, so it only works
 * if the API escapes it into the statement correctly; no answer may contain it.
 */
@Sandboxed("commerce:0; ext:0+1; stmt:0; topology")
class ExternalKeyspaceApiIT {
    /** {@code Imp'o\rt"er-pw}: a quote, a backslash (before an r, as in the escape \r) and a double quote. */
    static final String PASSWORD = "Imp'o\\rt\"er-pw";
    private static Gateway gateway;
    /** Every response body, to check at the end that none holds the password. */
    private static final List<String> BODIES = new ArrayList<>();

    @BeforeAll
    static void start(Sandbox sandbox) throws Exception {
        createImporter(sandbox.primary("ext", "0"));
        sandbox.primary("ext", "0").execute(
                "CREATE TABLE ext.customer (id BIGINT PRIMARY KEY, email VARCHAR(64))",
                "INSERT INTO ext.customer SELECT seq, CONCAT('c', seq, '@example.com') FROM ext.seq_1_to_300");
        sandbox.awaitReplicasCaughtUp(Duration.ofSeconds(30));
        gateway = Gateway.start(config(sandbox), GatewayServer.Options.defaults().withPort(0), Optional.of(0),
                Map.of());
    }

    @AfterAll
    static void stop() {
        if (gateway != null) {
            gateway.close();
        }
        for (String body : BODIES) {
            assertFalse(body.contains("er-pw"), "a response holds the password: " + body);
        }
    }

    @Test
    void createShowValidateReplicasImportAndDrop(Sandbox sandbox) throws Exception {
        MariaDbServer ext = sandbox.primary("ext", "0");
        ApiFixture.Answer created = call("POST", "", create("legacy", ext).put("import_connections", 2));
        assertEquals(201, created.status(), created.body().toString());
        JsonNode validation = created.body().path("validation");
        assertEquals("connectivity", validation.get(0).path("check").asText(), validation.toString());
        assertEquals("pass", validation.get(0).path("status").asText(), validation.toString());
        assertTrue(created.body().path("message").asText().startsWith("external keyspace legacy created"),
                created.body().toString());
        assertEquals("legacy", created.body().path("name").asText());
        assertEquals(2, created.body().path("import_connections").asInt(), created.body().toString());

        JsonNode listed = call("GET", "", null).body().path("data");
        assertEquals(1, listed.size(), listed.toString());
        JsonNode shown = call("GET", "/legacy", null).body();
        assertEquals(listed.get(0), shown);
        assertEquals("127.0.0.1", shown.path("host").asText());
        assertEquals(ext.port(), shown.path("port").asInt(), shown.toString());
        assertEquals("ext", shown.path("database").asText());
        assertEquals("importer", shown.path("user").asText());
        assertEquals("password", shown.path("auth").asText());
        assertEquals("DISABLED", shown.path("ssl_mode").asText());
        assertEquals(0, shown.path("replicas").size());

        ApiFixture.Answer validated = call("POST", "/legacy/validate", null);
        assertEquals(200, validated.status(), validated.body().toString());
        assertTrue(rowsOf(validated.body().path("validation")).contains("binlog_format|pass"),
                validated.body().toString());

        MariaDbServer replica = sandbox.replicas("ext", "0").get(0);
        ApiFixture.Answer added = call("POST", "/legacy/replicas", ApiFixture.JSON.createObjectNode()
                .put("host", "127.0.0.1").put("port", replica.port()));
        assertEquals(201, added.status(), added.body().toString());
        assertEquals(replica.address(), added.body().path("replicas").get(0).asText(), added.body().toString());
        assertEquals(404, call("DELETE", "/legacy/replicas/10.9.9.9:3306", null).status());
        ApiFixture.Answer dropped = call("DELETE", "/legacy/replicas/127.0.0.1:" + replica.port(), null);
        assertEquals(200, dropped.status(), dropped.body().toString());
        assertEquals(0, dropped.body().path("replicas").size(), dropped.body().toString());
        ApiFixture.Answer unreachable = call("POST", "/legacy/replicas", ApiFixture.JSON.createObjectNode()
                .put("host", "127.0.0.1").put("port", 1));
        assertEquals(400, unreachable.status(), unreachable.body().toString());
        assertTrue(unreachable.errorMessage().startsWith("replica 127.0.0.1:1 not added:"), unreachable.errorMessage());

        ApiFixture.Answer imported = ApiFixture.call(gateway, "POST", "/api/v1/workflows", "root:", """
                {"name": "imp", "type": "Import", "external_keyspace": "legacy", "target_keyspace": "commerce",
                 "tables": ["customer"]}""");
        record(imported);
        assertEquals(201, imported.status(), imported.body().toString());
        JsonNode workflows = ApiFixture.call(gateway, "GET", "/api/v1/workflows", "root:", null).body().path("data");
        JsonNode imp = null;
        for (JsonNode workflow : workflows) {
            imp = workflow.path("name").asText().equals("imp") ? workflow : imp;
        }
        assertTrue(imp != null, workflows.toString());
        assertEquals("customer", imp.path("tables").get(0).path("name").asText(), imp.toString());
        assertEquals("legacy", imp.path("source_keyspace").asText(), imp.toString());
        JsonNode running = awaitState("imp", "running");
        assertEquals(300, running.path("tables").get(0).path("rows_copied").asLong(), running.toString());
        // Where the gateway has SHOW WORKFLOW wf IMPORT / LAG HISTORY, they show up; where not, they are absent.
        if (running.has("import")) {
            assertEquals("legacy", running.path("import").path("external_keyspace").asText(), running.toString());
        }
        assertTrue(!running.has("lag_history") || running.path("lag_history").isArray(), running.toString());
        ApiFixture.Answer cancelled = ApiFixture.call(gateway, "POST", "/api/v1/workflows/imp/cancel", "root:", null);
        record(cancelled);
        assertEquals(200, cancelled.status(), cancelled.body().toString());

        ApiFixture.Answer gone = call("DELETE", "/legacy", null);
        assertEquals(200, gone.status(), gone.body().toString());
        assertTrue(gone.body().path("message").asText().contains("dropped"), gone.body().toString());
        assertEquals(404, call("GET", "/legacy", null).status());
        assertEquals(List.of(), sandbox.topology().query("SELECT name FROM switchyard_topo.external_keyspaces"));
    }

    @Test
    void refusals(Sandbox sandbox) throws Exception {
        MariaDbServer ext = sandbox.primary("ext", "0");
        ApiFixture.Answer badMode = call("POST", "", create("badmode", ext).put("ssl_mode", "STRICT"));
        assertEquals(400, badMode.status(), badMode.body().toString());
        assertEquals(1210, badMode.errorCode());
        assertTrue(badMode.errorMessage().contains("SSL MODE 'STRICT' is not a mode"), badMode.errorMessage());

        for (String[] unknown : new String[][] {{"GET", "/nosuch"}, {"DELETE", "/nosuch"},
            {"POST", "/nosuch/validate"}}) {
            ApiFixture.Answer answer = call(unknown[0], unknown[1], null);
            assertEquals(404, answer.status(), String.join(" ", unknown) + ": " + answer.body());
            assertTrue(answer.errorMessage().contains("external keyspace nosuch does not exist"),
                    answer.errorMessage());
        }
        assertEquals(400, call("GET", "/no'such", null).status());
        assertEquals(404, call("POST", "/nosuch/explode", null).status());
        assertEquals(405, call("PUT", "", null).status());
        ApiFixture.Answer notJson = ApiFixture.call(gateway, "POST", "/api/v1/external-keyspaces", "root:",
                "{\"name\": \"x\", \"password\": hunter2}");
        assertEquals(400, notJson.status());
        assertFalse(notJson.raw().body().contains("hunter2"), notJson.raw().body());
        ApiFixture.Answer notAdmin = ApiFixture.call(gateway, "GET", "/api/v1/external-keyspaces", "app:app", null);
        assertEquals(403, notAdmin.status());
        assertEquals(401, ApiFixture.call(gateway, "GET", "/api/v1/external-keyspaces", null, null).status());

        ApiFixture.Answer wrongPassword = call("POST", "", create("wrongpw", ext).put("password", PASSWORD + "x"));
        assertEquals(400, wrongPassword.status(), wrongPassword.body().toString());
        assertTrue(wrongPassword.errorMessage().contains("[connectivity]"), wrongPassword.errorMessage());
        assertEquals(404, call("GET", "/wrongpw", null).status(), "nothing was stored");
    }

    @Test
    void aServerLoggingStatementsIsRefusedWithTheFailedCheck(Sandbox sandbox) throws Exception {
        MariaDbServer stmt = sandbox.primary("stmt", "0");
        stmt.restartWith(List.of("--binlog-format=STATEMENT"));
        try {
            createImporter(stmt);
            ApiFixture.Answer refused = call("POST", "", create("stmtks", stmt).put("database", "stmt"));
            assertEquals(400, refused.status(), refused.body().toString());
            assertEquals(1210, refused.errorCode());
            assertTrue(refused.errorMessage().contains("external keyspace stmtks was not created: 1 check(s)"
                    + " failed: [binlog_format] "), refused.errorMessage());
            assertTrue(refused.errorMessage().contains("\"STATEMENT\""), refused.errorMessage());
            assertEquals(404, call("GET", "/stmtks", null).status());
        } finally {
            stmt.restartWith(List.of());
        }
    }

    private static ObjectNode create(String name, MariaDbServer server) {
        return ApiFixture.JSON.createObjectNode().put("name", name).put("host", "127.0.0.1")
                .put("port", server.port()).put("database", "ext").put("user", "importer").put("password", PASSWORD)
                .put("ssl_mode", "DISABLED");
    }

    /** {@code importer} with {@link #PASSWORD}, the quote and backslash escaped for MariaDB's string literal. */
    static void createImporter(MariaDbServer server) {
        String literal = "'" + PASSWORD.replace("\\", "\\\\").replace("'", "''") + "'";
        server.execute("CREATE USER 'importer'@'%' IDENTIFIED BY " + literal, "GRANT ALL ON *.* TO 'importer'@'%'");
    }

    static SwitchyardConfig config(Sandbox sandbox) {
        return ConfigLoader.parse("""
                users:
                  - {name: root, password: "", role: admin}
                  - {name: app, password: app, role: app}
                topology:
                  dsn: "mysql://root:@%s/switchyard_topo"
                  credentials_key: "api-test-credentials-key-0123"
                keyspaces:
                  - name: commerce
                    shards:
                      - {name: "0", primary: %s}
                """.formatted(sandbox.topology().address(), sandbox.primary("commerce", "0").address()),
                (p, n) -> Optional.empty());
    }

    private static List<String> rowsOf(JsonNode validation) {
        List<String> rows = new ArrayList<>();
        validation.forEach(row -> rows.add(row.path("check").asText() + "|" + row.path("status").asText()));
        return rows;
    }

    private static JsonNode awaitState(String workflow, String state) throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (true) {
            ApiFixture.Answer answer = ApiFixture.call(gateway, "GET", "/api/v1/workflows/" + workflow, "root:",
                    null);
            record(answer);
            if (answer.body().path("state").asText().equals(state)) {
                return answer.body();
            }
            assertTrue(System.nanoTime() < deadline, "never " + state + ": " + answer.body());
            Thread.sleep(100);
        }
    }

    private static ApiFixture.Answer call(String method, String path, JsonNode body) throws Exception {
        ApiFixture.Answer answer = ApiFixture.call(gateway, method, "/api/v1/external-keyspaces" + path, "root:",
                body == null ? null : body.toString());
        return record(answer);
    }

    private static ApiFixture.Answer record(ApiFixture.Answer answer) {
        synchronized (BODIES) {
            BODIES.add(answer.raw().body());
        }
        return answer;
    }
}
