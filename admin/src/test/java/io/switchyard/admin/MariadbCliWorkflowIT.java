package io.switchyard.admin;

import io.switchyard.proxy.server.GatewayServer;
import io.switchyard.sandbox.Sandbox;
import io.switchyard.sandbox.Sandboxed;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The admin SQL of workflows from the real {@code mariadb} command-line client, answers and errors included. */
@Sandboxed("commerce:0; customer:-80,80-; topology")
class MariadbCliWorkflowIT {
    @Test
    void workflowCommandsAnswerTheCommandLineClient(Sandbox sandbox) throws Exception {
        ApiFixture.customers(sandbox, 200);
        try (Gateway gateway = Gateway.start(ApiFixture.config(sandbox), GatewayServer.Options.defaults().withPort(0),
                Optional.of(0))) {
            String port = Integer.toString(gateway.mysqlAddress().getPort());
            Result created = mariadb(port, "CREATE WORKFLOW cli MOVE TABLES customer FROM commerce TO customer");
            assertEquals(0, created.status(), created.output()); // the OK's info used to read as malformed
            Result dryRun = mariadb(port, "SWITCH TRAFFIC FOR WORKFLOW cli DRY RUN");
            assertEquals(0, dryRun.status(), dryRun.output());
            Result shown = mariadb(port, "SHOW WORKFLOW cli STREAMS");
            assertEquals(0, shown.status(), shown.output());
            assertTrue(shown.output().contains("commerce/0"), shown.output());
            Result refused = mariadb(port, "COMPLETE WORKFLOW cli");
            assertEquals(1, refused.status(), refused.output());
            assertTrue(refused.output().contains("COMPLETE WORKFLOW runs after SWITCH TRAFFIC"), refused.output());
        }
    }

    private record Result(int status, String output) {
    }

    private static Result mariadb(String port, String sql) throws IOException, InterruptedException {
        Process process = new ProcessBuilder(List.of("mariadb", "--protocol=TCP", "-h127.0.0.1", "-P" + port,
                "-uroot", "--skip-ssl", "-v", "-e", sql)).redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(process.waitFor(60, TimeUnit.SECONDS), "mariadb did not finish: " + output);
        return new Result(process.exitValue(), output);
    }
}
