package io.switchyard.replication.workflow;

import io.switchyard.config.ConfigLoader;
import io.switchyard.config.PlaceholderResolver;
import io.switchyard.config.SwitchyardConfig;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class MoveTablesSpecTest {
    private static final SwitchyardConfig CONFIG = ConfigLoader.parse("""
            users:
              - name: root
                password: ""
                role: admin
            topology:
              dsn: "mysql://root:@127.0.0.1:4000/topo"
            keyspaces:
              - name: commerce
                sharded: false
                shards:
                  - name: "0"
                    primary: 127.0.0.1:4001
              - name: customer
                sharded: true
                shards:
                  - name: "-80"
                    primary: 127.0.0.1:4002
                  - name: "80-"
                    primary: 127.0.0.1:4003
                vschema:
                  vindexes:
                    hash: { type: hash }
                  tables:
                    customer:
                      column_vindexes: [ { column: customer_id, name: hash } ]
            """, PlaceholderResolver.none());
    private static final Set<String> SOURCE = Set.of("customer", "product");

    @Test
    void resolvesAllTablesAndKeepsDefaults() {
        MoveTablesSpec spec = MoveTablesSpec.of("wf", "commerce", "commerce2", List.of());
        assertTrue(spec.deferSecondaryKeys());
        assertEquals(MoveTablesSpec.OnDdl.STOP, spec.onDdl());
        MoveTablesSpec unshardedToSharded = MoveTablesSpec.of("wf", "commerce", "customer", List.of("customer"));
        assertEquals(List.of("customer"), unshardedToSharded.validate(CONFIG, SOURCE).tables());
    }

    @Test
    void refusesWhatCannotMoveWithMessagesSayingWhy() {
        assertMessage(MoveTablesSpec.of("wf", "nope", "customer", List.of()), "source keyspace 'nope' is not in");
        assertMessage(MoveTablesSpec.of("wf", "commerce", "commerce", List.of()), "are both 'commerce'");
        assertMessage(MoveTablesSpec.of("wf", "commerce", "customer", List.of("missing")),
                "'missing' does not exist in source keyspace 'commerce'");
        assertMessage(MoveTablesSpec.of("wf", "commerce", "customer", List.of("product")),
                "'product' has no column vindex in the vschema of sharded target keyspace 'customer': add it");
        assertMessage(MoveTablesSpec.of("wf", "commerce", "customer", List.of("customer"))
                .withOptions(WorkflowOptions.DEFAULTS.withGlobalKeyspace("customer")),
                "global_keyspace 'customer' is sharded");
        assertMessage(MoveTablesSpec.of("wf", "customer", "commerce", List.of("customer"))
                .withOptions(WorkflowOptions.DEFAULTS.withGlobalKeyspace("commerce")),
                "global_keyspace is for sharded targets");
        assertMessage(MoveTablesSpec.of("wf", "commerce", "customer", List.of("customer"))
                .withOptions(WorkflowOptions.DEFAULTS.withGlobalKeyspace("nope")), "global keyspace 'nope' is not in");
        assertThrows(IllegalArgumentException.class, () -> WorkflowOptions.DEFAULTS.withCopyParallelism(0));
        assertThrows(IllegalArgumentException.class, () -> WorkflowOptions.DEFAULTS.withCopyParallelism(101));
        assertThrows(IllegalArgumentException.class, () -> MoveTablesSpec.of("bad name", "a", "b", List.of()));
    }

    private static void assertMessage(MoveTablesSpec spec, String expected) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> spec.validate(CONFIG, SOURCE));
        assertTrue(e.getMessage().contains(expected), e.getMessage());
    }
}
