package io.switchyard.admin;

import com.fasterxml.jackson.databind.JsonNode;
import io.switchyard.proxy.server.GatewayServer;
import io.switchyard.sandbox.Sandbox;
import io.switchyard.sandbox.Sandboxed;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@code switchyard workflow ...} run in-process (Main's entry) against a real gateway's HTTP API. */
@Sandboxed("commerce:0; customer:-80,80-; topology")
class WorkflowCliIT {
    /** What one CLI run printed and returned. */
    private record Run(int status, String out, String err) {
    }

    @Test
    void createWatchListShowAndFail(Sandbox sandbox) throws Exception {
        ApiFixture.customers(sandbox, 700);
        try (Gateway gateway = Gateway.start(ApiFixture.config(sandbox), GatewayServer.Options.defaults().withPort(0),
                Optional.of(0))) {
            String port = Integer.toString(gateway.httpAddress().getPort());

            Run created = cli("workflow", "create", "cli", "--source", "commerce", "--target", "customer",
                    "--tables", "customer", "--defer-secondary-keys=false", "--on-ddl", "STOP", "--copy-parallelism",
                    "2", "--watch", "--interval", "0.2", "--port", port, "--user", "ops", "--password", "s3cret");
            assertEquals(0, created.status(), created.err());
            assertTrue(created.out().startsWith("workflow cli created: 1 table(s)"), created.out());
            // The last frame of --watch: the workflow has left the copy, every row is there.
            String lastFrame = created.out().substring(created.out().lastIndexOf("workflow cli "));
            assertTrue(lastFrame.contains("state: running"), lastFrame);
            assertTrue(lastFrame.contains("[" + "#".repeat(30) + "] 100%  700 / "), lastFrame);
            assertEquals(700, ApiFixture.targetCount(sandbox));

            Run listed = cli("workflow", "list", "--format", "json", "--port", port);
            assertEquals(0, listed.status(), listed.err());
            JsonNode workflows = ApiFixture.JSON.readTree(listed.out());
            assertEquals(1, workflows.size(), listed.out());
            assertEquals("cli", workflows.get(0).path("name").asText());
            assertEquals("running", workflows.get(0).path("state").asText());
            assertEquals("commerce", workflows.get(0).path("source_keyspace").asText());
            assertEquals("customer", workflows.get(0).path("tables").get(0).path("name").asText());

            Run human = cli("workflow", "list", "--port", port);
            assertTrue(human.out().startsWith("NAME  TYPE        STATE    SOURCE    TARGET    TABLES"), human.out());
            assertTrue(human.out().contains("cli   MoveTables  running  commerce  customer  customer"), human.out());

            Run shown = cli("workflow", "show", "cli", "--port", port);
            assertEquals(0, shown.status(), shown.err());
            for (String expected : List.of("Name:            cli", "State:           running",
                    "Source keyspace: commerce", "Target keyspace: customer", "customer  copied  700",
                    "commerce/0    -80", "commerce/0    80-", "copied customer (700 rows)")) {
                assertTrue(shown.out().contains(expected), expected + " in\n" + shown.out());
            }

            Run stopped = cli("workflow", "stop", "cli", "--port", port);
            assertEquals(0, stopped.status(), stopped.err());
            assertEquals("workflow cli is stopped\nstate: stopped\n", stopped.out());

            Run unknown = cli("workflow", "show", "nosuch", "--port", port);
            assertEquals(1, unknown.status());
            assertTrue(unknown.err().contains("there is no workflow named 'nosuch'")
                    && unknown.err().contains("(HTTP 404, error 1105)"), unknown.err());

            Run denied = cli("workflow", "list", "--port", port, "--user", "app", "--password", "app");
            assertEquals(1, denied.status());
            assertTrue(denied.err().contains("(HTTP 403, error 1227)"), denied.err());

            Run usage = cli("workflow", "create", "x", "--source", "commerce", "--port", port);
            assertEquals(2, usage.status());
            assertTrue(usage.err().contains("create needs --target KEYSPACE"), usage.err());
        }
        Run nothingThere = cli("workflow", "list", "--port", Integer.toString(freePort()));
        assertEquals(1, nothingThere.status());
        assertTrue(nothingThere.err().contains("cannot connect to the gateway's HTTP port"), nothingThere.err());
    }

    private static Run cli(String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int status = Main.run(args, new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8));
        return new Run(status, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    private static int freePort() throws Exception {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }
}
