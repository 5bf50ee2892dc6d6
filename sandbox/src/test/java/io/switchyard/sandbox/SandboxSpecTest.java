package io.switchyard.sandbox;

import io.switchyard.sandbox.SandboxSpec.KeyspaceSpec;
import io.switchyard.sandbox.SandboxSpec.ShardSpec;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class SandboxSpecTest {
    @Test
    void parsesTheFullForm() {
        SandboxSpec spec = SandboxSpec.parse("commerce:0+1; customer:-80+1,80-+1; topology");

        assertEquals(List.of(
                KeyspaceSpec.of("commerce", ShardSpec.of("0", 1)),
                KeyspaceSpec.of("customer", ShardSpec.of("-80", 1), ShardSpec.of("80-", 1))), spec.keyspaces());
        assertTrue(spec.topology());
        assertEquals(7, spec.serverCount());
    }

    @Test
    void omittedOrZeroReplicasMeanNone() {
        SandboxSpec spec = SandboxSpec.parse("a:0; b:-80+0,80-");

        assertEquals(List.of(KeyspaceSpec.of("a", ShardSpec.of("0", 0)),
                KeyspaceSpec.of("b", ShardSpec.of("-80", 0), ShardSpec.of("80-", 0))), spec.keyspaces());
        assertFalse(spec.topology());
        assertEquals(3, spec.serverCount());
    }

    @Test
    void keyspaceWithoutShardsIsUnsharded() {
        assertEquals(List.of(KeyspaceSpec.of("commerce", ShardSpec.of("0", 0))),
                SandboxSpec.parse("commerce").keyspaces());
    }

    @Test
    void toleratesWhitespace() {
        assertEquals(SandboxSpec.parse("commerce:0+1;customer:-80+1,80-+1;topology"),
                SandboxSpec.parse("  commerce : 0 + 1 ;customer: -80+1 , 80- +1 ;  topology "));
    }

    @Test
    void topologyAlone() {
        SandboxSpec spec = SandboxSpec.parse("topology");
        assertTrue(spec.keyspaces().isEmpty());
        assertEquals(1, spec.serverCount());
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "commerce:0+1; customer:-80+1,80-+1; topology",
            "a:0+0",
            "x:-40+2,40-80+0,80-c0+1,c0-+3",
            "topology"})
    void toStringIsTheCompactForm(String text) {
        SandboxSpec spec = SandboxSpec.parse(text);
        assertEquals(spec, SandboxSpec.parse(spec.toString()));
        assertEquals(text.replace(" ", ""), spec.toString().replace(" ", ""));
    }

    @Test
    void builderMatchesParse() {
        SandboxSpec built = SandboxSpec.builder()
                .keyspace("commerce", ShardSpec.of("0", 1))
                .keyspace("customer", ShardSpec.of("-80", 1), ShardSpec.of("80-", 1))
                .topology()
                .build();
        assertEquals(SandboxSpec.parse("commerce:0+1; customer:-80+1,80-+1; topology"), built);
    }

    @ParameterizedTest(name = "[{index}] \"{0}\"")
    @CsvSource(delimiter = '|', value = {
            "''                              | sandbox spec is empty",
            "'   '                           | sandbox spec is empty",
            "commerce:0+1;;topology          | empty part",
            "commerce:0+x                    | replica count \"x\" is not a number",
            "customer:-80+1,80-+one          | shard \"80-+one\" of keyspace \"customer\"",
            "commerce:0+-1                   | replica count must be 0 to 9, was -1",
            "commerce:0+10                   | replica count must be 0 to 9, was 10",
            "commerce:zz+1                   | shard name \"zz\" is not valid",
            "commerce:-8O                    | shard name \"-8O\" is not valid",
            "commerce:0,                     | keyspace \"commerce\" has an empty shard",
            "commerce:                       | keyspace \"commerce\" has an empty shard",
            "1commerce:0                     | keyspace name \"1commerce\" is not valid",
            "com-merce:0                     | keyspace name \"com-merce\" is not valid",
            ":0+1                            | keyspace name \"\" is not valid",
            "commerce:0; commerce:-80,80-    | keyspace \"commerce\" appears twice",
            "customer:-80,-80                | shard \"-80\" appears twice in keyspace \"customer\"",
            "topology; topology              | \"topology\" appears twice"})
    void rejectsBadSpecsNamingTheBadPart(String spec, String expected) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> SandboxSpec.parse(spec));
        assertTrue(e.getMessage().contains(expected), () -> "message was: " + e.getMessage());
        if (!spec.isBlank()) {
            assertTrue(e.getMessage().contains("\"" + spec + "\""), () -> "message was: " + e.getMessage());
        }
    }

    @Test
    void nullSpecIsEmpty() {
        assertThrows(IllegalArgumentException.class, () -> SandboxSpec.parse(null));
    }
}
