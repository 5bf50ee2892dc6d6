package io.switchyard.admin;

import io.switchyard.config.ConfigLoader;
import io.switchyard.config.SwitchyardConfig;
import io.switchyard.sandbox.Sandbox;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.Optional;

import static io.switchyard.admin.SqlRows.rows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** What the import tests share: a gateway config that knows only the target, and waiting on workflow states. */
final class ImportFixture {
    private ImportFixture() {
    }

    /** commerce only: the external database is attached at runtime, never configured. */
    static SwitchyardConfig config(Sandbox sandbox, String credentialsKey) {
        return ConfigLoader.parse("""
                users:
                  - {name: root, password: "", role: admin}
                topology:
                  dsn: "mysql://root:@%s/switchyard_topo"
                  credentials_key: "%s"
                keyspaces:
                  - name: commerce
                    shards:
                      - {name: "0", primary: %s}
                """.formatted(sandbox.topology().address(), credentialsKey,
                sandbox.primary("commerce", "0").address()), (p, n) -> Optional.empty());
    }

    /** An admin session on the gateway, in keyspace commerce. */
    static Connection connect(Gateway gateway) throws SQLException {
        return DriverManager.getConnection("jdbc:mariadb://127.0.0.1:" + gateway.mysqlAddress().getPort()
                + "/commerce?user=root&password=");
    }

    /** The workflow's state as SHOW WORKFLOWS gives it. */
    static String state(Statement s, String workflow) throws SQLException {
        return rows(s, "SHOW WORKFLOWS").stream().filter(row -> row.get(0).equals(workflow)).findFirst()
                .orElseThrow().get(2);
    }

    @FunctionalInterface
    interface Condition {
        boolean ok() throws Exception;
    }

    /** Waits up to a minute for {@code condition}, failing with {@code what}. */
    static void await(Condition condition, String what) throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (!condition.ok()) {
            assertTrue(System.nanoTime() < deadline, "timed out waiting for " + what);
            Thread.sleep(200);
        }
    }
}
