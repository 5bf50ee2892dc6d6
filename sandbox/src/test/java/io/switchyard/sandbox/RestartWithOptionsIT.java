package io.switchyard.sandbox;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

@Sandboxed("ext:0")
class RestartWithOptionsIT {

    @Test
    void extraOptionsApplyUntilReplacedAndOverrideTheSandboxDefaults(Sandbox sandbox) {
        MariaDbServer server = sandbox.primary("ext", "0");
        int port = server.port();
        sandbox.primary("ext", "0").execute("CREATE TABLE ext.kept (id INT PRIMARY KEY)");

        server.restartWith(List.of("--max-connections=77", "--binlog-format=STATEMENT"));
        assertEquals(List.of(List.of("77", "STATEMENT")),
                server.query("SELECT @@max_connections, @@binlog_format"));
        assertEquals(port, server.port(), "same port");
        assertEquals(List.of(List.of("kept")), server.query("SHOW TABLES FROM ext"), "same data");

        server.stop();
        server.start();
        assertEquals(List.of(List.of("77")), server.query("SELECT @@max_connections"), "kept across start()");

        server.restartWith(List.of());
        assertEquals(List.of(List.of("500", "ROW")), server.query("SELECT @@max_connections, @@binlog_format"));
    }

    @Test
    void optionsMustLookLikeOptions(Sandbox sandbox) {
        assertThrows(IllegalArgumentException.class,
                () -> sandbox.primary("ext", "0").restartWith(List.of("max-connections=77")));
    }
}
