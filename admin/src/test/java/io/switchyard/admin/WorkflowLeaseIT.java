package io.switchyard.admin;

import io.switchyard.config.ConfigLoader;
import io.switchyard.config.SwitchyardConfig;
import io.switchyard.proxy.server.GatewayServer;
import io.switchyard.sandbox.MariaDbServer;
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

/**
 * Two gateways sharing a topology store: a workflow runs in exactly one of them (its lease), the other lists it and
 * refuses to drive it, and takes it over once the first gateway goes away.
 */
@Sandboxed("commerce:0; commerce2:0; topology")
class WorkflowLeaseIT {
    @Test
    void oneGatewayRunsAWorkflowAndAnotherTakesItOver(Sandbox sandbox) throws Exception {
        SwitchyardConfig config = ConfigLoader.parse("""
                users:
                  - {name: root, password: "", role: admin}
                topology:
                  dsn: "mysql://root:@%s/switchyard_topo"
                keyspaces:
                  - name: commerce
                    shards:
                      - {name: "0", primary: %s}
                  - name: commerce2
                    shards:
                      - {name: "0", primary: %s}
                """.formatted(sandbox.topology().address(), sandbox.primary("commerce", "0").address(),
                sandbox.primary("commerce2", "0").address()), (p, n) -> Optional.empty());
        MariaDbServer source = sandbox.primary("commerce", "0");
        source.execute("CREATE TABLE commerce.item (id bigint PRIMARY KEY, v varchar(20))",
                "INSERT INTO commerce.item SELECT seq, 'v' FROM commerce.seq_1_to_300");
        GatewayServer.Options options = GatewayServer.Options.defaults().withPort(0);
        try (Gateway first = Gateway.start(config, options, Optional.of(0));
             Gateway second = Gateway.start(config, options, Optional.of(0))) {
            try (Connection a = connect(first); Statement sa = a.createStatement();
                 Connection b = connect(second); Statement sb = b.createStatement()) {
                sa.execute("CREATE WORKFLOW lease MOVE TABLES item FROM commerce TO commerce2");
                awaitTargetCount(sandbox, 300);
                await(() -> rows(sb, "SHOW WORKFLOWS").size() == 1, "the second gateway lists the workflow");
                assertEquals("running", rows(sb, "SHOW WORKFLOWS").get(0).get(2));
                SQLException elsewhere = assertThrows(SQLException.class, () -> sb.execute("STOP WORKFLOW lease"));
                assertTrue(elsewhere.getMessage().contains("runs in another gateway"), elsewhere.getMessage());
            }
            first.close(); // its lease goes with it
            source.execute("INSERT INTO commerce.item SELECT seq, 'w' FROM commerce.seq_301_to_350");
            awaitTargetCount(sandbox, 350); // replicated by the second gateway, which took the workflow over
            try (Connection b = connect(second); Statement sb = b.createStatement()) {
                sb.execute("STOP WORKFLOW lease");
                assertEquals("stopped", rows(sb, "SHOW WORKFLOWS").get(0).get(2));
            }
        }
    }

    private static Connection connect(Gateway gateway) throws SQLException {
        return DriverManager.getConnection("jdbc:mariadb://127.0.0.1:" + gateway.mysqlAddress().getPort()
                + "/commerce?user=root&password=");
    }

    private static void awaitTargetCount(Sandbox sandbox, int expected) throws Exception {
        await(() -> Integer.parseInt(sandbox.primary("commerce2", "0").query(
                "SELECT COUNT(*) FROM information_schema.tables WHERE table_schema = 'commerce2' AND table_name ="
                        + " 'item'").get(0).get(0)) == 1 && Integer.parseInt(sandbox.primary("commerce2", "0")
                .query("SELECT COUNT(*) FROM commerce2.item").get(0).get(0)) == expected,
                "commerce2.item has " + expected + " rows");
    }

    @FunctionalInterface
    private interface Check {
        boolean ok() throws Exception;
    }

    private static void await(Check check, String what) throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (!check.ok()) {
            assertTrue(System.nanoTime() < deadline, "timed out waiting until " + what);
            Thread.sleep(200);
        }
    }
}
