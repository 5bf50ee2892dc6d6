package io.switchyard.admin.demo;

import org.junit.jupiter.api.Test;

import java.util.LinkedHashSet;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class SandboxPlaceholdersTest {
    @Test
    void derivesTheSandboxFromThePlaceholders() {
        var placeholders = new LinkedHashSet<>(List.of("sandbox:topology", "sandbox:commerce/0/primary",
                "sandbox:commerce/0/replica/1", "env:PASSWORD", "sandbox:customer/-80/primary",
                "sandbox:customer/-80/replica/2", "sandbox:customer/80-/primary"));
        assertEquals("commerce:0+1; customer:-80+2,80-+0; topology",
                SandboxPlaceholders.of(placeholders).spec().toString());
    }

    @Test
    void rejectsAMisspelledServer() {
        var e = assertThrows(IllegalArgumentException.class,
                () -> SandboxPlaceholders.of(java.util.Set.of("sandbox:commerce/0/primaryy")));
        assertTrue(e.getMessage().contains("${sandbox:commerce/0/primaryy}"), e.getMessage());
    }

    @Test
    void splitsTheBundledScriptIntoStatements() {
        List<String> statements = Demo.statements(Demo.resource(Demo.COMMERCE_SQL));
        assertEquals(10, statements.size());
        assertTrue(statements.get(0).startsWith("CREATE TABLE product"), statements.get(0));
    }
}
