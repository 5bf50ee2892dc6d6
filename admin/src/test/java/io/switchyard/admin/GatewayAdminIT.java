package io.switchyard.admin;

import io.switchyard.config.ConfigLoader;
import io.switchyard.config.SwitchyardConfig;
import io.switchyard.proxy.server.GatewayServer;
import io.switchyard.routing.topo.TopologyStore;
import io.switchyard.sandbox.Sandbox;
import io.switchyard.sandbox.Sandboxed;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static io.switchyard.admin.SqlRows.rows;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The whole gateway as `serve` runs it: admin SQL with roles, metrics, and state shared through the topology store. */
@Sandboxed("commerce:0+1; customer:0; topology")
class GatewayAdminIT {
    private static SwitchyardConfig config(Sandbox sandbox) {
        return ConfigLoader.parse("""
                users:
                  - {name: root, password: "", role: admin}
                  - {name: app, password: app, role: app}
                topology:
                  dsn: "mysql://root:@%s/switchyard_topo"
                keyspaces:
                  - name: commerce
                    shards:
                      - name: "0"
                        primary: %s
                        replicas: ["%s"]
                  - name: customer
                    shards:
                      - name: "0"
                        primary: %s
                """.formatted(sandbox.topology().address(), sandbox.primary("commerce", "0").address(),
                sandbox.replicas("commerce", "0").get(0).address(), sandbox.primary("customer", "0").address()),
                (p, n) -> Optional.empty());
    }

    private static Gateway start(Sandbox sandbox) throws InterruptedException {
        return Gateway.start(config(sandbox), GatewayServer.Options.defaults().withPort(0), Optional.of(0));
    }

    @Test
    void adminCommandsNeedTheAdminRoleAndMetricsAreScraped(Sandbox sandbox) throws Exception {
        try (Gateway gateway = start(sandbox)) {
            String url = "jdbc:mariadb://127.0.0.1:" + gateway.mysqlAddress().getPort() + "/commerce";
            try (Connection c = DriverManager.getConnection(url + "?user=root&password=");
                 Statement s = c.createStatement()) {
                assertEquals(List.of(List.of("commerce", "no", "1", "commerce"), List.of("customer", "no", "1",
                        "customer")), rows(s, "SHOW KEYSPACES"));
                assertEquals(List.of(List.of("commerce", "0", sandbox.primary("commerce", "0").address(),
                        sandbox.replicas("commerce", "0").get(0).address())), rows(s, "show shards from commerce"));
                SQLException unknown = assertThrows(SQLException.class, () -> rows(s, "SHOW SHARDS FROM nope"));
                assertEquals(1049, unknown.getErrorCode());
                rows(s, "SELECT 1");
            }
            try (Connection c = DriverManager.getConnection(url + "?user=app&password=app");
                 Statement s = c.createStatement()) {
                SQLException denied = assertThrows(SQLException.class, () -> rows(s, "SHOW KEYSPACES"));
                assertEquals(1227, denied.getErrorCode(), denied.getMessage());
                assertThrows(SQLException.class, () -> rows(s, "SELECT * FROM no_such_table"));
            }
            HttpResponse<String> metrics = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                    URI.create("http://127.0.0.1:" + gateway.httpAddress().getPort() + "/metrics")).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertEquals(200, metrics.statusCode());
            String body = metrics.body();
            assertTrue(body.contains("switchyard_queries_total{keyspace=\"commerce\",kind=\"select\","
                    + "tablet_type=\"primary\"}"), body);
            assertTrue(body.contains("switchyard_errors_total{code=\"1227\"} 1.0"), body);
            assertTrue(body.contains("switchyard_errors_total{code=\"1146\"} 1.0"), body);
            assertTrue(body.contains("switchyard_client_connections_total"), body);
            assertTrue(body.contains("switchyard_backend_pool_connections{"), body);
            assertTrue(body.contains("switchyard_query_duration_seconds_bucket"), body);
            assertTrue(body.contains("switchyard_client_bytes_sent_total"), body);
        }
    }

    @Test
    void aRoutingRuleWrittenToTheStoreRedirectsTrafficWithinASecond(Sandbox sandbox) throws Exception {
        sandbox.primary("commerce", "0").execute("CREATE TABLE commerce.product (sku varchar(16) PRIMARY KEY)",
                "INSERT INTO commerce.product VALUES ('from-commerce')");
        sandbox.primary("customer", "0").execute("CREATE TABLE customer.product (sku varchar(16) PRIMARY KEY)",
                "INSERT INTO customer.product VALUES ('from-customer')");
        try (Gateway gateway = start(sandbox); TopologyStore other = TopologyStore.open(config(sandbox),
                Duration.ofSeconds(2))) {
            String url = "jdbc:mariadb://127.0.0.1:" + gateway.mysqlAddress().getPort() + "/commerce";
            try (Connection c = DriverManager.getConnection(url + "?user=root&password=");
                 Statement s = c.createStatement()) {
                assertEquals(List.of(List.of("from-commerce")), rows(s, "SELECT sku FROM product"));
                // What MoveTables does at SWITCH TRAFFIC, written by another gateway through the shared store.
                long version = other.readRoutingRules().version();
                other.writeRoutingRules(Map.of("product", "customer", "commerce.product", "customer"), version);
                long written = System.nanoTime();
                while (!rows(s, "SELECT sku FROM product").equals(List.of(List.of("from-customer")))) {
                    assertTrue(System.nanoTime() - written < Duration.ofSeconds(1).toNanos(),
                            "the gateway did not follow the new routing rules within 1 s");
                    Thread.sleep(20);
                }
                long millis = (System.nanoTime() - written) / 1_000_000;
                assertTrue(millis < 1000, "picked up after " + millis + " ms");
                assertTrue(rows(s, "SHOW ROUTING RULES").contains(List.of("commerce.product", "customer",
                        Long.toString(other.readRoutingRules().version()))), rows(s, "SHOW ROUTING RULES").toString());
                other.writeRoutingRules(Map.of(), other.readRoutingRules().version());
            }
        }
    }

    @Test
    void alterVSchemaIsStoredAndSeenByEveryGateway(Sandbox sandbox) throws Exception {
        try (Gateway first = start(sandbox); Gateway second = start(sandbox)) {
            String url = "jdbc:mariadb://127.0.0.1:" + first.mysqlAddress().getPort() + "/customer";
            try (Connection c = DriverManager.getConnection(url + "?user=root&password=");
                 Statement s = c.createStatement()) {
                s.execute("ALTER VSCHEMA ADD TABLE customer.audit_log");
            }
            long deadline = System.nanoTime() + Duration.ofSeconds(1).toNanos();
            while (second.routing().keyspace("customer").orElseThrow().table("audit_log").isEmpty()) {
                assertTrue(System.nanoTime() < deadline, "the second gateway did not see the change within 1 s");
                Thread.sleep(20);
            }
        }
        try (Gateway restarted = start(sandbox)) {
            assertTrue(restarted.routing().keyspace("customer").orElseThrow().table("audit_log").isPresent(),
                    "the change survives a restart");
        }
    }
}
