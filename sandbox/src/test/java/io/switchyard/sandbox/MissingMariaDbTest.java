package io.switchyard.sandbox;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class MissingMariaDbTest {
    @TempDir
    Path emptyHome;

    @Test
    void missingBinariesFailWithAnInstallHint() {
        SandboxException e = assertThrows(SandboxException.class, () -> Sandbox.start(SandboxSpec.parse("commerce"),
                SandboxOptions.defaults().mariadbHome(emptyHome)));

        assertTrue(e.getMessage().startsWith("MariaDB server binaries not found (looked for mariadbd in "),
                e.getMessage());
        assertTrue(e.getMessage().contains(emptyHome.resolve("bin").toString()), e.getMessage());
        assertTrue(e.getMessage().contains("sudo apt-get install -y mariadb-server"), e.getMessage());
    }
}
