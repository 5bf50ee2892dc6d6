package io.switchyard.admin.cli;

import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

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
    void refusesWhatItCannotUse() {
        assertEquals("unknown flag --replica-only", assertThrows(CliArgs.UsageException.class,
                () -> CliArgs.parse(new String[] {"switch-traffic", "m", "--replica-only"})).getMessage());
        assertEquals("--host needs a value", assertThrows(CliArgs.UsageException.class,
                () -> CliArgs.parse(new String[] {"list", "--host"})).getMessage());
        assertEquals("--dry-run=maybe: use true or false", assertThrows(CliArgs.UsageException.class,
                () -> CliArgs.parse(new String[] {"switch-traffic", "m", "--dry-run=maybe"})).getMessage());
    }
}
