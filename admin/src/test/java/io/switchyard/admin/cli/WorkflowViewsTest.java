package io.switchyard.admin.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;

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
    void listWithoutWorkflows() throws Exception {
        assertEquals("No workflows.\n", WorkflowViews.list(JSON.readTree("[]")));
    }
}
