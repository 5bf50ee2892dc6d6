package io.switchyard.admin;

import io.switchyard.admin.cli.ExternalCli;
import io.switchyard.proxy.server.GatewayServer;
import io.switchyard.sandbox.MariaDbServer;
import io.switchyard.sandbox.Sandbox;
import io.switchyard.sandbox.Sandboxed;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code switchyard external ...} and {@code switchyard workflow create --import} run in-process against a real
 * gateway's HTTP API, the external password read from a file.
 */
@Sandboxed("commerce:0; ext:0; topology")
class ExternalCliIT {
    /** What one CLI run printed and returned. */
    private record Run(int status, String out, String err) {
    }

    private final List<Run> runs = new ArrayList<>();

    @Test
    void createListShowValidateImportAndDrop(Sandbox sandbox, @TempDir Path dir) throws Exception {
        MariaDbServer ext = sandbox.primary("ext", "0");
        ExternalKeyspaceApiIT.createImporter(ext);
        ext.execute("CREATE TABLE ext.item (id BIGINT PRIMARY KEY, name VARCHAR(20))",
                "INSERT INTO ext.item SELECT seq, 'x' FROM ext.seq_1_to_50");
        Path passwordFile = dir.resolve("importer.pw");
        Files.writeString(passwordFile, ExternalKeyspaceApiIT.PASSWORD + "\n"); // as `echo pw > file` leaves it
        try (Gateway gateway = Gateway.start(ExternalKeyspaceApiIT.config(sandbox),
                GatewayServer.Options.defaults().withPort(0), Optional.of(0), Map.of())) {
            String api = "127.0.0.1:" + gateway.httpAddress().getPort();
            String port = Integer.toString(ext.port());

            Run created = external("create", "legacy", "--host", "127.0.0.1", "--port", port, "--database", "ext",
                    "--user", "importer", "--password-file", passwordFile.toString(), "--ssl-mode", "DISABLED",
                    "--import-connections", "2", "--gateway", api);
            assertEquals(0, created.status(), created.err());
            assertTrue(created.out().contains("\n  connectivity      -      pass    connected to 127.0.0.1:" + port),
                    created.out());
            assertFalse(created.out().contains("  create "), "the outcome is the last line, not a row: "
                    + created.out());
            assertTrue(created.out().contains("All hard checks passed"), created.out());
            assertTrue(created.out().contains("external keyspace legacy created"), created.out());

            Run listed = external("list", "--gateway", api);
            assertEquals(0, listed.status(), listed.err());
            assertTrue(listed.out().startsWith("NAME    HOST       PORT"), listed.out());
            assertTrue(listed.out().contains("legacy  127.0.0.1  " + port + "  ext       importer  password"
                    + "  DISABLED"), listed.out());
            Run shown = external("show", "legacy", "--gateway", api, "--format", "json");
            assertEquals(0, shown.status(), shown.err());
            assertTrue(shown.out().contains("\"import_connections\" : 2"), shown.out());

            Run validated = external("validate", "legacy", "--gateway", api);
            assertEquals(0, validated.status(), validated.err() + validated.out());
            assertTrue(validated.out().contains("binlog_format "), validated.out());

            Run refused = external("create", "nothere", "--host", "127.0.0.1", "--port", "1", "--user", "importer",
                    "--password-file", passwordFile.toString(), "--ssl-mode", "DISABLED", "--gateway", api);
            assertEquals(1, refused.status(), refused.out());
            assertTrue(refused.err().contains("external keyspace nothere was not created: 1 check(s) failed:"),
                    refused.err());
            assertTrue(refused.err().contains("!  connectivity  FAIL"), refused.err());
            assertTrue(refused.err().contains("(HTTP 400, error 1210)"), refused.err());

            String httpPort = Integer.toString(gateway.httpAddress().getPort());
            Run imported = workflow("create", "imp", "--import", "--from-external", "legacy", "--to", "commerce",
                    "--tables", "item", "--option", "copy_parallelism=1", "--port", httpPort);
            assertEquals(0, imported.status(), imported.err());
            assertTrue(imported.out().startsWith("workflow imp created: 1 table(s)"), imported.out());
            Run workflowShown = workflow("show", "imp", "--port", httpPort);
            assertEquals(0, workflowShown.status(), workflowShown.err());
            assertTrue(workflowShown.out().contains("Source keyspace: legacy"), workflowShown.out());
            Run cancelled = workflow("cancel", "imp", "--port", httpPort);
            assertEquals(0, cancelled.status(), cancelled.err());

            Run dropped = external("drop", "legacy", "--gateway", api);
            assertEquals(0, dropped.status(), dropped.err());
            assertTrue(dropped.out().contains("external keyspace legacy dropped"), dropped.out());
            assertEquals("No external keyspaces.\n", external("list", "--gateway", api).out());
            Run unknown = external("show", "legacy", "--gateway", api);
            assertEquals(1, unknown.status());
            assertTrue(unknown.err().contains("external keyspace legacy does not exist")
                    && unknown.err().contains("(HTTP 404, error 1105)"), unknown.err());
        }
        for (Run run : runs) {
            assertFalse(run.out().contains("er-pw") || run.err().contains("er-pw"), "the password was printed: "
                    + run);
        }
    }

    @Test
    void commandLinesItCannotUse() throws Exception {
        Run noPassword = external("create", "x", "--host", "db", "--user", "u");
        assertEquals(2, noPassword.status());
        assertTrue(noPassword.err().contains("create needs the external database's password"), noPassword.err());
        Run plainPassword = external("create", "x", "--host", "db", "--user", "u", "--password", "hunter2");
        assertEquals(2, plainPassword.status());
        assertTrue(plainPassword.err().contains("--password is not taken here"), plainPassword.err());
        Run hostForList = external("list", "--host", "gw");
        assertEquals(2, hostForList.status());
        assertTrue(hostForList.err().contains("--host is for create; the gateway is --gateway HOST:PORT"),
                hostForList.err());
        Run unset = external("create", "x", "--host", "db", "--user", "u", "--password-env", "NOPE_NOT_SET");
        assertEquals(2, unset.status());
        assertTrue(unset.err().contains("--password-env NOPE_NOT_SET: the variable is not set"), unset.err());
        Run help = main("external", "--help");
        assertEquals(0, help.status());
        assertTrue(help.out().startsWith("usage: switchyard external VERB"), help.out());
    }

    private Run external(String... args) throws InterruptedException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        // No terminal: a create without --password-file/--password-env has nowhere to ask.
        int status = ExternalCli.run(args, new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8), Map.of(), prompt -> Optional.empty());
        return record(new Run(status, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8)));
    }

    private Run workflow(String... args) {
        String[] all = new String[args.length + 1];
        all[0] = "workflow";
        System.arraycopy(args, 0, all, 1, args.length);
        return main(all);
    }

    private Run main(String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int status = Main.run(args, new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8));
        return record(new Run(status, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8)));
    }

    private Run record(Run run) {
        runs.add(run);
        return run;
    }
}
