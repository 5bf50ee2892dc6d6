package io.switchyard.replication.workflow;

import io.switchyard.routing.topo.TopologyStore;
import io.switchyard.sandbox.MariaDbServer;
import io.switchyard.sandbox.Sandbox;
import io.switchyard.sandbox.Sandboxed;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Every moved table needs a row key: a table without a primary key or a unique NOT NULL key is refused at create,
 * naming it; a table whose only key is a unique NOT NULL one is copied and replicated by it.
 */
@Sandboxed("commerce:0; commerce2:0; topology")
class RowKeyIT {
    @Test
    void refusesTablesWithoutARowKeyAndMovesOneKeyedByAUniqueKey(Sandbox sandbox) throws Exception {
        WorkflowFixture fixture = new WorkflowFixture(sandbox, Map.of());
        MariaDbServer source = sandbox.primary("commerce", "0");
        source.execute("CREATE TABLE commerce.heap (v INT)",
                "CREATE TABLE commerce.loose (code VARCHAR(10) NULL, v INT, UNIQUE KEY (code))",
                "CREATE TABLE commerce.coded (code VARCHAR(10) NOT NULL, v INT, note VARCHAR(20),"
                        + " UNIQUE KEY by_code (code))",
                "INSERT INTO commerce.coded SELECT CONCAT('c', seq), seq, 'n' FROM commerce.seq_1_to_2000");
        try (TopologyStore topology = TopologyStore.open(fixture.config, Duration.ofSeconds(2))) {
            IllegalArgumentException refused = assertThrows(IllegalArgumentException.class, () -> MoveTablesWorkflow
                    .create(MoveTablesSpec.of("nokey", "commerce", "commerce2", List.of("heap", "loose", "coded")),
                            fixture.config, topology, fixture.deps));
            assertTrue(refused.getMessage().contains("table 'heap' has no primary key and no unique key over NOT"
                    + " NULL columns; table 'loose' has no primary key"), refused.getMessage());
            assertTrue(refused.getMessage().contains("add a PRIMARY KEY"), refused.getMessage());

            try (MoveTablesWorkflow workflow = MoveTablesWorkflow.create(MoveTablesSpec.of("coded", "commerce",
                    "commerce2", List.of("coded")), fixture.config, topology, fixture.deps)) {
                workflow.start();
                source.execute("UPDATE commerce.coded SET note = 'u' WHERE v % 7 = 0",
                        "DELETE FROM commerce.coded WHERE v % 11 = 0",
                        "INSERT INTO commerce.coded VALUES ('new1', 1, 'x'), ('new2', 2, 'y')",
                        "UPDATE commerce.coded SET code = CONCAT(code, 'm') WHERE v % 13 = 0");
                fixture.awaitCaughtUp(workflow, "commerce");
                Comparator<List<String>> byCode = Comparator.comparing(row -> row.get(0));
                List<List<String>> expected = source.query("SELECT * FROM commerce.coded").stream().sorted(byCode)
                        .toList();
                List<List<String>> actual = sandbox.primary("commerce2", "0").query("SELECT * FROM commerce2.coded")
                        .stream().sorted(byCode).toList();
                assertEquals(expected, actual);
            }
        } finally {
            fixture.close();
        }
    }
}
