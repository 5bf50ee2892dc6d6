package io.switchyard.admin.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class WorkflowViewsTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void progressFrame() throws Exception {
        String frame = WorkflowViews.progress(JSON.readTree("""
                {"name": "move", "state": "copying", "source_keyspace": "commerce", "target_keyspace": "customer",
                 "lag_seconds": null,
                 "tables": [{"name": "customer", "state": "copying", "rows_copied": 250, "rows_total": 1000,
                             "percent": 25},
                            {"name": "corder", "state": "not_started", "rows_copied": 0, "rows_total": 40,
                             "percent": 0}],
                 "streams": [{"source_shard": "commerce/0", "target_shard": "-80", "state": "copying",
                              "message": ""}]}"""), "19:33:53 UTC");
        assertEquals("""
                workflow move  commerce -> customer  state: copying  lag: -  (19:33:53 UTC)
                  customer [#######-----------------------]  25%  250 / 1000 rows  copying
                  corder   [------------------------------]   0%  0 / 40 rows  not_started
                  stream commerce/0 -> -80: copying
                """, frame);
    }

    @Test
    void showWithImportAndLagHistory() throws Exception {
        StringBuilder history = new StringBuilder("[");
        for (int i = 0; i < 12; i++) {
            history.append(i == 0 ? "" : ",").append("{\"time\": \"2026-11-22T19:40:").append(10 + i * 2)
                    .append("Z\", \"lag_seconds\": ").append(i == 1 ? 30 : i % 3).append('}');
        }
        String shown = WorkflowViews.show(JSON.readTree("""
                {"name": "imp", "type": "Import", "state": "running", "source_keyspace": "legacy",
                 "target_keyspace": "commerce", "lag_seconds": 1, "tables": [], "streams": [], "logs": [],
                 "import": {"external_keyspace": "legacy", "host": "10.0.0.7", "port": 3306, "database": "shop",
                            "connection": "down: connection refused", "phase": "replicating", "state": "running",
                            "target_keyspace": "commerce", "target_shards": "-80,80-", "primary_traffic": "external",
                            "replica_traffic": "target", "replicas": ""},
                 "lag_history": %s]}""".formatted(history)));
        assertTrue(shown.contains("""
                Import:
                  External:      legacy at 10.0.0.7:3306, database shop
                  Connection:    DOWN: connection refused
                  Phase:         replicating (state running)
                  Serving:       primary: external, replica: target
                  Target:        commerce (shards -80,80-)
                  Replicas:      -
                """), shown);
        assertTrue(shown.contains("""
                Lag history (last 10 of 12 points, max 30s):
                TIME                  LAG
                2026-11-22T19:40:14Z  2s
                """), shown);
        assertTrue(shown.contains("2026-11-22T19:40:32Z  2s\n"), shown);
        assertFalse(shown.contains("19:40:12Z"), "only the last 10 points: " + shown);
        String moveTables = WorkflowViews.show(JSON.readTree("""
                {"name": "move", "state": "running", "tables": [], "streams": [], "logs": []}"""));
        assertFalse(moveTables.contains("Import:") || moveTables.contains("Lag history"), moveTables);
    }

    @Test
    void listWithoutWorkflows() throws Exception {
        assertEquals("No workflows.\n", WorkflowViews.list(JSON.readTree("[]")));
    }
}
