package io.switchyard.admin;

import com.fasterxml.jackson.databind.JsonNode;
import io.switchyard.proxy.server.GatewayServer;
import io.switchyard.sandbox.Sandbox;
import io.switchyard.sandbox.Sandboxed;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;

import static io.switchyard.admin.ApiFixture.call;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The workflow JSON API on a real gateway: create, watch the copy, stop, start, and every kind of refusal. */
@Sandboxed("commerce:0; customer:-80,80-; topology")
class WorkflowApiIT {
    private static final int CUSTOMERS = 2000;
    private static Gateway gateway;

    @BeforeAll
    static void start(Sandbox sandbox) throws Exception {
        ApiFixture.customers(sandbox, CUSTOMERS);
        gateway = Gateway.start(ApiFixture.config(sandbox), GatewayServer.Options.defaults().withPort(0),
                Optional.of(0));
    }

    @AfterAll
    static void stop() {
        if (gateway != null) {
            gateway.close();
        }
    }

    @Test
    void createWatchStopStartThroughTheApi(Sandbox sandbox) throws Exception {
        ApiFixture.Answer created = call(gateway, "POST", "/api/v1/workflows", "ops:s3cret", """
                {"name": "move", "type": "MoveTables", "source_keyspace": "commerce", "target_keyspace": "customer",
                 "tables": ["customer"], "options": {"defer_secondary_keys": true, "on_ddl": "STOP",
                 "copy_parallelism": 2}}""");
        assertEquals(201, created.status(), created.body().toString());
        assertEquals("move", created.body().path("name").asText());
        assertTrue(created.body().path("message").asText().startsWith("workflow move created: 1 table(s)"),
                created.body().toString());
        assertEquals("commerce", created.body().path("source_keyspace").asText());
        assertEquals("customer", created.body().path("target_keyspace").asText());

        JsonNode all = call(gateway, "GET", "/api/v1/workflows", "root:", null).body().path("data");
        com.fasterxml.jackson.databind.node.ArrayNode listed = ApiFixture.JSON.createArrayNode();
        all.forEach(w -> {
            if (w.path("name").asText().equals("move")) {
                listed.add(w);
            }
        });
        assertEquals(1, listed.size(), all.toString());
        assertEquals("move", listed.get(0).path("name").asText());
        assertEquals("MoveTables", listed.get(0).path("type").asText());
        assertEquals("customer", listed.get(0).path("tables").get(0).path("name").asText());
        assertTrue(listed.get(0).path("created_at").asText().matches("\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\dZ"),
                listed.toString());
        assertTrue(listed.get(0).path("duration_seconds").isNumber(), listed.toString());

        // Poll as a dashboard would: the copy only moves forward, and each table's percent matches its counts.
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        List<String> states = new ArrayList<>();
        long lastCopied = -1;
        JsonNode shown;
        while (true) {
            ApiFixture.Answer answer = call(gateway, "GET", "/api/v1/workflows/move", "root:", null);
            assertEquals(200, answer.status(), answer.body().toString());
            shown = answer.body();
            String state = shown.path("state").asText();
            if (states.isEmpty() || !states.get(states.size() - 1).equals(state)) {
                states.add(state);
            }
            assertTrue(Set.of("pending", "copying", "running").contains(state), shown.toString());
            JsonNode table = shown.path("tables").get(0);
            long copied = table.path("rows_copied").asLong();
            assertTrue(copied >= lastCopied, "rows_copied went back from " + lastCopied + ": " + shown);
            lastCopied = copied;
            long total = table.path("rows_total").asLong();
            // A table reads 100 % once copied, and at most 99 % before, whatever the source's row estimate says.
            long expectedPercent = table.path("state").asText().equals("copied") || total <= 0 ? 100
                    : Math.min(99, copied * 100 / total);
            assertEquals(expectedPercent, table.path("percent").asLong(), table.toString());
            if (state.equals("running")) {
                break;
            }
            assertTrue(System.nanoTime() < deadline, "never running: " + shown);
            Thread.sleep(50);
        }
        assertFalse(states.contains("running") && states.indexOf("running") < states.size() - 1, states.toString());
        JsonNode table = shown.path("tables").get(0);
        assertEquals("customer", table.path("name").asText());
        assertEquals("copied", table.path("state").asText());
        assertEquals(CUSTOMERS, table.path("rows_copied").asLong(), shown.toString());
        assertEquals(100, table.path("percent").asLong(), shown.toString());
        assertEquals(CUSTOMERS, ApiFixture.targetCount(sandbox));
        JsonNode streams = shown.path("streams");
        assertEquals(2, streams.size(), streams.toString());
        assertEquals(Set.of("-80", "80-"), Set.of(streams.get(0).path("target_shard").asText(),
                streams.get(1).path("target_shard").asText()));
        assertEquals("commerce/0", streams.get(0).path("source_shard").asText(), streams.toString());
        assertEquals(CUSTOMERS, streams.get(0).path("rows_copied").asLong()
                + streams.get(1).path("rows_copied").asLong(), streams.toString());
        assertTrue(logMessages(shown).stream().anyMatch(m -> m.startsWith(
                "created: MOVE TABLES customer FROM commerce TO customer")), shown.path("logs").toString());
        assertTrue(shown.path("logs").get(0).path("created_at").asText().endsWith("Z"), shown.toString());
        // Optional parts the gateway may or may not answer (SHOW WORKFLOW wf LAG HISTORY / IMPORT): absent, or
        // shaped as documented; a MoveTables workflow has no import.
        assertTrue(!shown.has("lag_history") || shown.path("lag_history").isArray(), shown.toString());
        assertFalse(shown.has("import"), shown.toString());

        ApiFixture.Answer stopped = call(gateway, "POST", "/api/v1/workflows/move/stop", "ops:s3cret", null);
        assertEquals(200, stopped.status(), stopped.body().toString());
        assertEquals("stopped", stopped.body().path("state").asText(), stopped.body().toString());
        assertEquals("workflow move is stopped", stopped.body().path("message").asText());
        assertEquals("stopped", call(gateway, "GET", "/api/v1/workflows/move", "root:", null).body()
                .path("state").asText());
        // A write while stopped reaches the target only once the workflow runs again.
        sandbox.primary("commerce", "0").execute("INSERT INTO commerce.customer VALUES (" + (CUSTOMERS + 1)
                + ", 'late@example.com')");
        Thread.sleep(1000);
        assertEquals(CUSTOMERS, ApiFixture.targetCount(sandbox));

        ApiFixture.Answer started = call(gateway, "POST", "/api/v1/workflows/move/start", "ops:s3cret", "{}");
        assertEquals(200, started.status(), started.body().toString());
        assertTrue(Set.of("running", "copying").contains(started.body().path("state").asText()),
                started.body().toString());
        ApiFixture.awaitTargetCount(sandbox, CUSTOMERS + 1);
        assertTrue(logMessages(call(gateway, "GET", "/api/v1/workflows/move", "root:", null).body())
                .contains("stopped by request"), "stop is logged");

        ApiFixture.Answer retry = call(gateway, "POST", "/api/v1/workflows/move/retry", "root:", null);
        assertEquals(409, retry.status(), retry.body().toString());
        assertEquals(1105, retry.errorCode());
        assertTrue(retry.errorMessage().contains("RETRY WORKFLOW restarts a workflow in state error"),
                retry.errorMessage());

        ApiFixture.Answer again = call(gateway, "POST", "/api/v1/workflows", "root:", """
                {"name": "move", "source_keyspace": "commerce", "target_keyspace": "customer", "tables": "all"}""");
        assertEquals(409, again.status(), again.body().toString());
        assertTrue(again.errorMessage().contains("already exists"), again.errorMessage());
    }

    @Test
    void verifySwitchReverseAndCompleteThroughTheApi(Sandbox sandbox) throws Exception {
        sandbox.primary("commerce", "0").execute("CREATE TABLE commerce.invoice (id BIGINT PRIMARY KEY, amount INT)",
                "INSERT INTO commerce.invoice SELECT seq, seq FROM commerce.seq_1_to_300");
        try (java.sql.Connection c = java.sql.DriverManager.getConnection("jdbc:mariadb://127.0.0.1:"
                + gateway.mysqlAddress().getPort() + "/commerce?user=root&password=");
             java.sql.Statement s = c.createStatement()) {
            s.execute("ALTER VSCHEMA ON customer.invoice ADD VINDEX hash(id) USING hash");
        }
        ApiFixture.Answer created = call(gateway, "POST", "/api/v1/workflows", "root:", """
                {"name": "inv", "source_keyspace": "commerce", "target_keyspace": "customer",
                 "tables": ["invoice"]}""");
        assertEquals(201, created.status(), created.body().toString());
        awaitState("inv", "running");

        ApiFixture.Answer dryRun = action("inv", "switch-traffic", "{\"dry_run\": true}", 200);
        assertTrue(dryRun.body().path("message").asText().startsWith("DRY RUN, nothing changed."),
                dryRun.body().toString());
        ApiFixture.Answer early = call(gateway, "POST", "/api/v1/workflows/inv/complete", "root:", "{}");
        assertEquals(409, early.status(), early.body().toString());
        assertTrue(early.errorMessage().contains("COMPLETE WORKFLOW runs after SWITCH TRAFFIC"), early.errorMessage());

        action("inv", "verify-data", null, 200);
        JsonNode verified = awaitState("inv", "verified_data");
        JsonNode report = verified.path("verification").get(0);
        assertEquals("invoice", report.path("table").asText(), verified.toString());
        assertEquals("300", report.path("processed").asText(), report.toString());
        assertEquals("0", report.path("mismatched").asText(), report.toString());

        assertEquals("switched_replicas", action("inv", "switch-traffic", "{\"replicas_only\": true}", 200).body()
                .path("state").asText());
        assertEquals("switched_primaries", action("inv", "switch-traffic", "{}", 200).body().path("state").asText());
        assertEquals("running", action("inv", "reverse-traffic", null, 200).body().path("state").asText());
        assertEquals("switched_primaries", action("inv", "switch-traffic", null, 200).body().path("state").asText());
        ApiFixture.Answer completed = action("inv", "complete", "{\"rename_tables\": true}", 200);
        assertTrue(completed.body().path("message").asText().contains("This cannot be undone"),
                completed.body().toString());
        assertEquals("completed", completed.body().path("state").asText(), completed.body().toString());
        assertEquals(List.of(List.of("_invoice_old")), sandbox.primary("commerce", "0")
                .query("SHOW TABLES FROM commerce LIKE '%invoice%'"));
    }

    private static ApiFixture.Answer action(String workflow, String action, String body, int status)
            throws Exception {
        ApiFixture.Answer answer = call(gateway, "POST", "/api/v1/workflows/" + workflow + "/" + action, "root:",
                body);
        assertEquals(status, answer.status(), action + ": " + answer.body());
        return answer;
    }

    private static JsonNode awaitState(String workflow, String state) throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (true) {
            JsonNode shown = call(gateway, "GET", "/api/v1/workflows/" + workflow, "root:", null).body();
            if (shown.path("state").asText().equals(state)) {
                return shown;
            }
            assertTrue(System.nanoTime() < deadline, "never " + state + ": " + shown);
            Thread.sleep(100);
        }
    }

    @Test
    void refusesWithStatusAndMySqlError() throws Exception {
        ApiFixture.Answer unknown = call(gateway, "GET", "/api/v1/workflows/nosuch", "root:", null);
        assertEquals(404, unknown.status(), unknown.body().toString());
        assertEquals(1105, unknown.errorCode());
        assertTrue(unknown.errorMessage().contains("there is no workflow named 'nosuch'"), unknown.errorMessage());
        assertEquals(404, call(gateway, "POST", "/api/v1/workflows/nosuch/stop", "root:", null).status());
        assertEquals(404, call(gateway, "POST", "/api/v1/workflows/nosuch/frobnicate", "root:", null).status());
        assertEquals(405, call(gateway, "GET", "/api/v1/workflows/nosuch/stop", "root:", null).status());
        assertEquals(405, call(gateway, "DELETE", "/api/v1/workflows", "root:", null).status());

        for (String body : List.of("{not json", "[]", "{\"name\": \"x\"}",
                "{\"name\": \"x\", \"source_keyspace\": \"commerce\", \"target_keyspace\": \"customer\"}",
                "{\"name\": \"x; DROP\", \"source_keyspace\": \"commerce\", \"target_keyspace\": \"customer\","
                        + " \"tables\": \"all\"}",
                "{\"name\": \"x\", \"source_keyspace\": \"commerce\", \"target_keyspace\": \"customer\","
                        + " \"tables\": [\"customer\"], \"type\": \"Reshard\"}",
                "{\"name\": \"x\", \"source_keyspace\": \"commerce\", \"target_keyspace\": \"customer\","
                        + " \"tables\": [\"customer\"], \"colour\": \"red\"}",
                "{\"name\": \"x\", \"source_keyspace\": \"commerce\", \"target_keyspace\": \"customer\","
                        + " \"tables\": [\"customer\"], \"options\": {\"on_ddl\": \"STOP', x='\"}}")) {
            ApiFixture.Answer bad = call(gateway, "POST", "/api/v1/workflows", "root:", body);
            assertEquals(400, bad.status(), body + " -> " + bad.body());
            assertEquals(1210, bad.errorCode(), body + " -> " + bad.body());
        }
        // Refusals of the admin SQL itself keep its code and message.
        ApiFixture.Answer badOption = call(gateway, "POST", "/api/v1/workflows", "root:", """
                {"name": "x", "source_keyspace": "commerce", "target_keyspace": "customer", "tables": ["customer"],
                 "options": {"copy_parallelism": 0}}""");
        assertEquals(400, badOption.status(), badOption.body().toString());
        assertEquals(1210, badOption.errorCode());
        assertTrue(badOption.errorMessage().contains("copy_parallelism must be 1..100"), badOption.errorMessage());
        ApiFixture.Answer badTable = call(gateway, "POST", "/api/v1/workflows", "root:", """
                {"name": "x", "source_keyspace": "commerce", "target_keyspace": "customer", "tables": ["nosuch"]}""");
        assertEquals(400, badTable.status(), badTable.body().toString());
        assertTrue(badTable.errorMessage().contains("table 'nosuch' does not exist in source keyspace 'commerce'"),
                badTable.errorMessage());
        ApiFixture.Answer badKeyspace = call(gateway, "POST", "/api/v1/workflows", "root:", """
                {"name": "x", "source_keyspace": "nowhere", "target_keyspace": "customer", "tables": "all"}""");
        assertEquals(400, badKeyspace.status(), badKeyspace.body().toString());
        assertTrue(badKeyspace.errorMessage().contains("'nowhere' is not in the config"), badKeyspace.errorMessage());
    }

    @Test
    void requiresAnAdminUser() throws Exception {
        ApiFixture.Answer none = call(gateway, "GET", "/api/v1/workflows", null, null);
        assertEquals(401, none.status());
        assertEquals(1045, none.errorCode());
        assertTrue(none.raw().headers().firstValue("WWW-Authenticate").orElse("").startsWith("Basic"),
                none.raw().headers().toString());
        for (String wrong : List.of("ops:wrong", "ops:", "nobody:x", "root:x")) {
            ApiFixture.Answer denied = call(gateway, "GET", "/api/v1/workflows", wrong, null);
            assertEquals(401, denied.status(), wrong);
            assertEquals(1045, denied.errorCode(), wrong);
        }
        ApiFixture.Answer app = call(gateway, "GET", "/api/v1/workflows", "app:app", null);
        assertEquals(403, app.status());
        assertEquals(1227, app.errorCode());
        assertEquals(403, call(gateway, "POST", "/api/v1/workflows/move/stop", "app:app", null).status());
        // root has no password: "root:" and plain "root" both sign in.
        assertEquals(200, call(gateway, "GET", "/api/v1/workflows", "root", null).status());
        assertEquals(200, call(gateway, "GET", "/api/v1/workflows", "ops:s3cret", null).status());
    }

    private static List<String> logMessages(JsonNode workflow) {
        List<String> messages = new ArrayList<>();
        workflow.path("logs").forEach(log -> messages.add(log.path("message").asText()));
        return messages;
    }
}
