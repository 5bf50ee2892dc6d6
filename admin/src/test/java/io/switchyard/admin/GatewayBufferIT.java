package io.switchyard.admin;

import io.switchyard.config.ConfigLoader;
import io.switchyard.config.SwitchyardConfig;
import io.switchyard.proxy.server.GatewayServer;
import io.switchyard.proxy.server.TrafficHold;
import io.switchyard.routing.topo.TopologyStore;
import io.switchyard.sandbox.Sandbox;
import io.switchyard.sandbox.Sandboxed;
import org.junit.jupiter.api.Test;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The cutover's view of a whole gateway: hold, write the flipped rules to the store, refresh, release. */
@Sandboxed("commerce:0; customer:0; topology")
class GatewayBufferIT {
    private static SwitchyardConfig config(Sandbox sandbox) {
        return ConfigLoader.parse("""
                users:
                  - {name: app, password: app, role: app}
                topology:
                  dsn: "mysql://root:@%s/switchyard_topo"
                keyspaces:
                  - name: commerce
                    shards:
                      - name: "0"
                        primary: %s
                  - name: customer
                    shards:
                      - name: "0"
                        primary: %s
                """.formatted(sandbox.topology().address(), sandbox.primary("commerce", "0").address(),
                sandbox.primary("customer", "0").address()), (p, n) -> Optional.empty());
    }

    @Test
    void releasedStatementsAreRoutedByRulesJustWrittenToTheStore(Sandbox sandbox) throws Exception {
        for (String ks : List.of("commerce", "customer")) {
            sandbox.primary(ks, "0").execute("CREATE TABLE " + ks + ".product (id bigint PRIMARY KEY)");
        }
        try (Gateway gateway = Gateway.start(config(sandbox), GatewayServer.Options.defaults().withPort(0),
                Optional.of(0))) {
            TopologyStore store = gateway.topology();
            store.writeRoutingRules(Map.of("product", "commerce", "commerce.product", "commerce",
                    "customer.product", "commerce"), store.readRoutingRules().version());
            gateway.refreshRouting();
            String url = "jdbc:mariadb://127.0.0.1:" + gateway.mysqlAddress().getPort() + "/commerce?user=app"
                    + "&password=app";
            try (Connection c = DriverManager.getConnection(url); Statement s = c.createStatement()) {
                assertEquals(1, s.executeUpdate("INSERT INTO product VALUES (1)"));

                TrafficHold hold = gateway.buffer().hold(Set.of("commerce.product", "customer.product"));
                assertTrue(hold.awaitDrained(Duration.ofSeconds(2)));
                CompletableFuture<Integer> held = CompletableFuture.supplyAsync(() -> {
                    try {
                        return s.executeUpdate("INSERT INTO product VALUES (2)");
                    } catch (java.sql.SQLException e) {
                        throw new IllegalStateException(e);
                    }
                });
                Thread.sleep(200);
                assertFalse(held.isDone());

                assertTrue(hold.holdUntilRelease());
                store.writeRoutingRules(Map.of("product", "customer", "commerce.product", "customer",
                        "customer.product", "customer"), store.readRoutingRules().version());
                gateway.refreshRouting(); // no waiting for the next poll
                hold.release();
                assertEquals(1, held.get(5, TimeUnit.SECONDS));
            }
        }
        assertEquals(List.of(List.of("1")), sandbox.primary("commerce", "0").query("SELECT id FROM commerce.product"));
        assertEquals(List.of(List.of("2")), sandbox.primary("customer", "0").query("SELECT id FROM customer.product"));
    }
}
