package io.switchyard.admin.cli;

import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class CliArgsTest {
    @Test
    void flagsAnywhereInBothForms() throws Exception {
        CliArgs args = CliArgs.parse(new String[] {"--port", "15001", "create", "move", "--source=commerce",
            "--all", "--defer-secondary-keys=false", "--target", "customer"});
        assertEquals(List.of("create", "move"), args.positional());
        assertEquals(Map.of("port", "15001", "source", "commerce", "all", "true", "defer-secondary-keys", "false",
                "target", "customer"), args.flags());
    }

    @Test
    void repeatableOptionsKeepEveryValue() throws Exception {
        CliArgs args = CliArgs.parse(new String[] {"create", "imp", "--import", "--option", "copy_parallelism=4",
            "--option=on_ddl=STOP"});
        assertEquals(List.of("copy_parallelism=4", "on_ddl=STOP"), args.all("option"));
        assertEquals(List.of(), args.all("tables"));
        assertTrue(args.on("import"));
    }

    @Test
    void theGatewayByLongOrShortFlags() throws Exception {
        assertEquals(new ApiTarget("127.0.0.1", 15000, "root", "env-pw"), ApiTarget.of(CliArgs.parse(
                new String[] {"list"}), Map.of("SWITCHYARD_PASSWORD", "env-pw"), true));
        assertEquals(new ApiTarget("gw", 15001, "ops", "pw"), ApiTarget.of(CliArgs.parse(new String[] {"list",
            "--host", "gw", "--port", "15001", "--user", "ops", "--password", "pw"}), Map.of(), true));
        assertEquals(new ApiTarget("::1", 15002, "ops", ""), ApiTarget.of(CliArgs.parse(new String[] {"list",
            "--gateway", "[::1]:15002", "--gateway-user", "ops"}), Map.of(), false));
        // For external create, --host/--port/--user are the external database's, never the gateway's.
        assertEquals(new ApiTarget("gw", 15000, "root", ""), ApiTarget.of(CliArgs.parse(new String[] {"create",
            "--gateway", "gw", "--host", "db", "--port", "3306", "--user", "importer"}), Map.of(), false));
        assertThrows(CliArgs.UsageException.class, () -> ApiTarget.of(CliArgs.parse(new String[] {"list",
            "--gateway", "gw:15000", "--host", "gw"}), Map.of(), true));
        assertThrows(CliArgs.UsageException.class, () -> ApiTarget.of(CliArgs.parse(new String[] {"list",
            "--gateway", "gw:0"}), Map.of(), true));
    }

    @Test
    void refusesWhatItCannotUse() {
        assertEquals("unknown flag --replica-only", assertThrows(CliArgs.UsageException.class,
                () -> CliArgs.parse(new String[] {"switch-traffic", "m", "--replica-only"})).getMessage());
        assertEquals("--host needs a value", assertThrows(CliArgs.UsageException.class,
                () -> CliArgs.parse(new String[] {"list", "--host"})).getMessage());
        assertEquals("--dry-run=maybe: use true or false", assertThrows(CliArgs.UsageException.class,
                () -> CliArgs.parse(new String[] {"switch-traffic", "m", "--dry-run=maybe"})).getMessage());
    }
}
