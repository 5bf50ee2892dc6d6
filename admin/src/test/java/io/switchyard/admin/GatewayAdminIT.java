package io.switchyard.admin;

import io.switchyard.config.ConfigLoader;
import io.switchyard.config.SwitchyardConfig;
import io.switchyard.proxy.server.GatewayServer;
import io.switchyard.sandbox.Sandbox;
import io.switchyard.sandbox.Sandboxed;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The whole gateway as `serve` runs it: admin SQL with roles, and the Prometheus endpoint. */
@Sandboxed("commerce:0+1")
class GatewayAdminIT {
    @Test
    void adminCommandsNeedTheAdminRoleAndMetricsAreScraped(Sandbox sandbox) throws Exception {
        SwitchyardConfig config = ConfigLoader.parse("""
                users:
                  - {name: root, password: "", role: admin}
                  - {name: app, password: app, role: app}
                topology:
                  dsn: "mysql://root:@127.0.0.1:1/switchyard_topo"
                keyspaces:
                  - name: commerce
                    shards:
                      - name: "0"
                        primary: %s
                        replicas: ["%s"]
                """.formatted(sandbox.primary("commerce", "0").address(),
                sandbox.replicas("commerce", "0").get(0).address()), (p, n) -> Optional.empty());
        try (Gateway gateway = Gateway.start(config, GatewayServer.Options.defaults().withPort(0), Optional.of(0))) {
            String url = "jdbc:mariadb://127.0.0.1:" + gateway.mysqlAddress().getPort() + "/commerce";
            try (Connection c = DriverManager.getConnection(url + "?user=root&password=");
                 Statement s = c.createStatement()) {
                assertEquals(List.of(List.of("commerce", "no", "1", "commerce")), rows(s, "SHOW KEYSPACES"));
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

    private static List<List<String>> rows(Statement s, String sql) throws SQLException {
        List<List<String>> rows = new ArrayList<>();
        try (ResultSet rs = s.executeQuery(sql)) {
            int n = rs.getMetaData().getColumnCount();
            while (rs.next()) {
                List<String> row = new ArrayList<>();
                for (int i = 1; i <= n; i++) {
                    row.add(rs.getString(i));
                }
                rows.add(row);
            }
        }
        return rows;
    }
}
