package io.switchyard.admin;

import io.switchyard.config.SwitchyardConfig;
import io.switchyard.proxy.server.GatewayServer;
import io.switchyard.sandbox.Sandbox;
import io.switchyard.sandbox.Sandboxed;
import org.junit.jupiter.api.Test;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

import static io.switchyard.admin.SqlRows.rows;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** MoveTables driven with admin SQL through the gateway: create, watch, replicate, stop, start. */
@Sandboxed("commerce:0; customer:-80,80-; topology")
class GatewayWorkflowIT {
    @Test
    void moveTablesThroughAdminSql(Sandbox sandbox) throws Exception {
        SwitchyardConfig config = ApiFixture.config(sandbox);
        sandbox.primary("commerce", "0").execute(
                "CREATE TABLE commerce.customer (customer_id bigint PRIMARY KEY, email varchar(64))",
                "INSERT INTO commerce.customer SELECT seq, CONCAT('c', seq, '@example.com') FROM commerce.seq_1_to_500");
        try (Gateway gateway = Gateway.start(config, GatewayServer.Options.defaults().withPort(0), Optional.of(0))) {
            String url = "jdbc:mariadb://127.0.0.1:" + gateway.mysqlAddress().getPort() + "/";
            try (Connection app = DriverManager.getConnection(url + "customer?user=app&password=app");
                 Statement s = app.createStatement()) {
                SQLException denied = assertThrows(SQLException.class,
                        () -> s.execute("CREATE WORKFLOW nope MOVE TABLES customer FROM commerce TO customer"));
                assertEquals(1227, denied.getErrorCode());
            }
            try (Connection root = DriverManager.getConnection(url + "commerce?user=root&password=");
                 Statement s = root.createStatement()) {
                SQLException badTable = assertThrows(SQLException.class,
                        () -> s.execute("CREATE WORKFLOW bad MOVE TABLES nosuch FROM commerce TO customer"));
                assertTrue(badTable.getMessage().contains("nosuch"), badTable.getMessage());

                s.execute("CREATE WORKFLOW move MOVE TABLES customer FROM commerce TO customer"
                        + " WITH (defer_secondary_keys = true, on_ddl = 'STOP')");
                awaitRows(s, "SHOW WORKFLOW move", row -> row.get(1).equals("copied") && row.get(2).equals("500"));
                assertEquals("move", rows(s, "SHOW WORKFLOWS").get(0).get(0));
                assertTrue(rows(s, "SHOW ROUTING RULES").contains(List.of("customer.customer", "commerce",
                        rows(s, "SHOW ROUTING RULES").get(0).get(2))), rows(s, "SHOW ROUTING RULES").toString());

                // Until traffic switches, the gateway keeps serving the table from the source, even to a session on
                // the target keyspace; new writes replicate to the target shards.
                s.executeUpdate("INSERT INTO customer VALUES (501, 'new@example.com')");
                s.execute("USE customer");
                assertEquals(List.of(List.of("501")), rows(s, "SELECT COUNT(*) FROM customer"));
                awaitTargetCount(sandbox, 501);

                s.execute("STOP WORKFLOW move");
                assertEquals("stopped", rows(s, "SHOW WORKFLOWS").get(0).get(2));
                s.execute("START WORKFLOW move");
                s.execute("USE commerce");
                s.executeUpdate("DELETE FROM customer WHERE customer_id = 1");
                awaitTargetCount(sandbox, 500);
                List<List<String>> streams = rows(s, "SHOW WORKFLOW move STREAMS");
                assertEquals(2, streams.size(), streams.toString());

                List<String> listed = rows(s, "SHOW WORKFLOWS").get(0);
                assertEquals(List.of("move", "MoveTables", "running", "commerce", "customer", "customer"),
                        listed.subList(0, 6), listed.toString());
                awaitRows(s, "SHOW WORKFLOWS", row -> row.get(8) != null && Long.parseLong(row.get(8)) <= 5);
                List<String> log = rows(s, "SHOW WORKFLOW move LOGS").stream().map(row -> row.get(2)).toList();
                for (String expected : List.of("created: MOVE TABLES customer FROM commerce TO customer",
                        "root ran STOP WORKFLOW move", "root ran START WORKFLOW move",
                        "copied customer (500 rows)", "stopped by request", "replicating")) {
                    assertTrue(log.stream().anyMatch(line -> line.startsWith(expected)), expected + " in " + log);
                }
                String metricsUrl = "http://127.0.0.1:" + gateway.httpAddress().getPort() + "/metrics";
                awaitMetrics(metricsUrl, List.of("switchyard_workflow_rows_copied{workflow=\"move\"} 500.0",
                        "switchyard_workflow_streams{state=\"running\",workflow=\"move\"} 2.0",
                        "switchyard_workflow_lag_seconds{workflow=\"move\"}"));
                sandbox.primary("commerce", "0").execute("CREATE TABLE commerce.later (id bigint PRIMARY KEY)",
                        "INSERT INTO commerce.later SELECT seq FROM commerce.seq_1_to_50");
                s.execute("ALTER VSCHEMA ON customer.later ADD VINDEX hash(id) USING hash");
                s.execute("CREATE WORKFLOW later MOVE TABLES later FROM commerce TO customer WITH (auto_start = false)");
                Thread.sleep(6_000); // past a sampler tick, which must not start it
                List<String> pending = rows(s, "SHOW WORKFLOWS").stream().filter(r -> r.get(0).equals("later"))
                        .findFirst().orElseThrow();
                assertEquals("pending", pending.get(2), pending.toString());
                assertEquals("commerce", rows(s, "SHOW ROUTING RULES").stream()
                        .filter(r -> r.get(0).equals("customer.later")).findFirst().orElseThrow().get(1),
                        "routing rules are written at create");
                s.execute("START WORKFLOW later");
                awaitRows(s, "SHOW WORKFLOW later", row -> row.get(1).equals("copied") && row.get(2).equals("50"));
                SQLException notInError = assertThrows(SQLException.class, () -> s.execute("RETRY WORKFLOW move"));
                assertTrue(notInError.getMessage().contains("RETRY WORKFLOW restarts a workflow in state error"),
                        notInError.getMessage());
                SQLException badOption = assertThrows(SQLException.class, () -> s.execute("CREATE WORKFLOW other"
                        + " MOVE TABLES corder FROM commerce TO customer WITH (copy_parallelism = 0)"));
                assertEquals(1210, badOption.getErrorCode());
                assertTrue(badOption.getMessage().contains("copy_parallelism must be 1..100"),
                        badOption.getMessage());
            }
        }
    }

    private static void awaitMetrics(String url, List<String> expected) throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        while (true) {
            String body = java.net.http.HttpClient.newHttpClient().send(java.net.http.HttpRequest.newBuilder(
                    java.net.URI.create(url)).build(), java.net.http.HttpResponse.BodyHandlers.ofString()).body();
            if (expected.stream().allMatch(body::contains)) {
                return;
            }
            assertTrue(System.nanoTime() < deadline, "metrics never showed " + expected + ":\n" + body);
            Thread.sleep(500);
        }
    }

    private static void awaitTargetCount(Sandbox sandbox, int expected) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (true) {
            int low = Integer.parseInt(sandbox.primary("customer", "-80").query(
                    "SELECT COUNT(*) FROM customer.customer").get(0).get(0));
            int high = Integer.parseInt(sandbox.primary("customer", "80-").query(
                    "SELECT COUNT(*) FROM customer.customer").get(0).get(0));
            if (low + high == expected) {
                assertTrue(low > 0 && high > 0, "rows on both shards: " + low + " + " + high);
                return;
            }
            assertTrue(System.nanoTime() < deadline, "target has " + (low + high) + " rows, expected " + expected);
            Thread.sleep(100);
        }
    }

    private static void awaitRows(Statement s, String sql, java.util.function.Predicate<List<String>> done)
            throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (true) {
            List<List<String>> rows = rows(s, sql);
            if (!rows.isEmpty() && rows.stream().allMatch(done)) {
                return;
            }
            assertTrue(System.nanoTime() < deadline, sql + " never got there: " + rows);
            Thread.sleep(100);
        }
    }
}
