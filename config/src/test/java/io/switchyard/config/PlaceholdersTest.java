package io.switchyard.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;

class PlaceholdersTest {

    private static final String DEMO = """
            # ${env:IN_A_COMMENT} is not a placeholder
            users:
              - name: root
                password: ${env:ROOT_PASSWORD}
                role: admin
            topology:
              dsn: "mysql://root:${env:ROOT_PASSWORD}@${sandbox:topo/primary}/switchyard_topo"
            keyspaces:
              - name: commerce
                shards:
                  - name: "0"
                    primary: ${sandbox:commerce/0/primary}
                    replicas: ["${sandbox:commerce/0/replica1}"]
            """;

    /** Stands in for the demo's resolver: sandbox addresses by name, env from a map, nothing real touched. */
    private static final PlaceholderResolver SANDBOX = (prefix, name) -> prefix.equals("sandbox")
            ? Optional.of("127.0.0.1:" + (name.endsWith("replica1") ? 3307 : name.startsWith("topo") ? 3300 : 3306))
            : Optional.empty();

    @Test
    void findListsValuePlaceholdersInDocumentOrder() {
        assertEquals(List.of("env:ROOT_PASSWORD", "sandbox:topo/primary", "sandbox:commerce/0/primary",
                "sandbox:commerce/0/replica1"), new ArrayList<>(Placeholders.find(DEMO)));
        assertEquals(Set.of(), Placeholders.find("a: b\n"));
        assertEquals(Set.of("env:X"), Placeholders.find("${env:X}"));
        assertEquals(Set.of(), Placeholders.find("a: $${env:X}\n"), "escaped");
    }

    @Test
    void substitutesEnvAndSandboxThroughInjectedResolvers() {
        PlaceholderResolver resolver =
                SANDBOX.or(PlaceholderResolver.environment(Map.of("ROOT_PASSWORD", "p@ss:w0rd")));
        SwitchyardConfig config = ConfigLoader.parse(DEMO, resolver);

        assertEquals("p@ss:w0rd", config.users().get(0).password());
        assertEquals(new Endpoint("127.0.0.1", 3300), config.topology().endpoint());
        assertEquals("p@ss:w0rd", config.topology().password(), "the host starts after the last @");
        Shard shard = config.keyspaces().get(0).shards().get(0);
        assertEquals(new Endpoint("127.0.0.1", 3306), shard.primary());
        assertEquals(List.of(new Endpoint("127.0.0.1", 3307)), shard.replicas());
    }

    @Test
    void substitutedValuesAreNeverParsedAsYaml() {
        String yaml = ConfigLoaderTest.MINIMAL.replace("password: \"\"", "password: \"${env:P}\"");
        PlaceholderResolver env = PlaceholderResolver.environment(Map.of("P", "a: b # {c}"));
        assertEquals("a: b # {c}", ConfigLoader.parse(yaml, env).users().get(0).password());
    }

    @Test
    void dollarDollarBraceIsALiteral() {
        String yaml = ConfigLoaderTest.MINIMAL.replace("password: \"\"", "password: \"x$${env:P}y\"");
        assertEquals("x${env:P}y", ConfigLoader.parse(yaml, PlaceholderResolver.none()).users().get(0).password());
    }

    @Test
    void unresolvedReportsEveryPlaceholderWithItsLine() {
        ConfigException e = assertThrows(ConfigException.class, () -> ConfigLoader.parse(DEMO, SANDBOX));
        assertEquals("users[0].password: unresolved placeholder ${env:ROOT_PASSWORD} at line 4 (environment variable "
                + "ROOT_PASSWORD is not set)\n"
                + "topology.dsn: unresolved placeholder ${env:ROOT_PASSWORD} at line 7 (environment variable "
                + "ROOT_PASSWORD is not set)", e.getMessage());
    }

    @Test
    void unterminatedPlaceholder() {
        String yaml = ConfigLoaderTest.MINIMAL.replace("password: \"\"", "password: \"${env:P\"");
        ConfigException e = assertThrows(ConfigException.class,
                () -> ConfigLoader.parse(yaml, PlaceholderResolver.none()));
        assertEquals("users[0].password: unterminated placeholder \"${env:P\"; write ${prefix:name} at line 2",
                e.getMessage());
    }

    @Test
    void aFailingResolverIsReportedNotThrown() {
        String yaml = ConfigLoaderTest.MINIMAL.replace("primary: 127.0.0.1:3306", "primary: \"${sandbox:x}\"");
        PlaceholderResolver broken = (prefix, name) -> {
            throw new IllegalStateException("sandbox not started");
        };
        ConfigException e = assertThrows(ConfigException.class, () -> ConfigLoader.parse(yaml, broken));
        assertEquals("keyspaces[0].shards[0].primary: placeholder ${sandbox:x} at line 8 could not be resolved: "
                + "sandbox not started", e.getMessage());
    }

    @Test
    void environmentResolverOnlyAnswersEnv() {
        PlaceholderResolver env = PlaceholderResolver.environment(Map.of("A", "1"));
        assertEquals(Optional.of("1"), env.resolve("env", "A"));
        assertEquals(Optional.empty(), env.resolve("sandbox", "A"));
        assertEquals(Optional.empty(), env.resolve("env", "B"));
        assertEquals(Optional.empty(), PlaceholderResolver.environment().resolve("sandbox", "PATH"));
    }
}
