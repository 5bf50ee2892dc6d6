package io.switchyard.admin.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import io.switchyard.proxy.packet.resultset.ColumnDefinition41;
import io.switchyard.proxy.packet.resultset.ResultRow;
import io.switchyard.proxy.packet.resultset.TextResultSet;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

/** How {@code GET /api/v1/workflows/{name}} maps the rows of its statements, optional ones included. */
class WorkflowApiPartsTest {
    private static final JsonNodeFactory JSON = JsonNodeFactory.instance;

    @Test
    void lagHistoryAndImportAreStraightRowMappings() {
        ArrayNode history = rows(List.of("time", "lag_seconds"),
                ResultRow.ofStrings("2026-11-22 19:40:00", "0"), ResultRow.ofStrings("2026-11-22 19:40:10", "12"));
        ArrayNode imported = rows(List.of("external_keyspace", "host", "port", "database", "connection", "phase",
                "state", "target_keyspace", "target_shards", "primary_traffic", "replica_traffic", "replicas"),
                ResultRow.ofStrings("legacy", "10.0.0.7", "3306", "shop", "down: connection refused", "copying",
                        "copying", "commerce", "0", "external", "external", ""));
        JsonNode shown = parts(Optional.of(history), Optional.of(imported)).toJson("imp");
        assertEquals("[{\"time\":\"2026-11-22T19:40:00Z\",\"lag_seconds\":0},"
                + "{\"time\":\"2026-11-22T19:40:10Z\",\"lag_seconds\":12}]", shown.path("lag_history").toString());
        assertEquals("{\"external_keyspace\":\"legacy\",\"host\":\"10.0.0.7\",\"port\":3306,\"database\":\"shop\","
                + "\"connection\":\"down: connection refused\",\"phase\":\"copying\",\"state\":\"copying\","
                + "\"target_keyspace\":\"commerce\",\"target_shards\":\"0\",\"primary_traffic\":\"external\","
                + "\"replica_traffic\":\"external\",\"replicas\":\"\"}", shown.path("import").toString());
        assertEquals("running", shown.path("state").asText(), "the SHOW WORKFLOWS row is merged in");
    }

    @Test
    void absentOrEmptyOptionalPartsAreLeftOut() {
        JsonNode without = parts(Optional.empty(), Optional.empty()).toJson("imp");
        assertFalse(without.has("lag_history"));
        assertFalse(without.has("import"));
        assertFalse(without.has("verification"));
        JsonNode moveTables = parts(Optional.of(JSON.arrayNode()), Optional.of(JSON.arrayNode())).toJson("imp");
        assertEquals("[]", moveTables.path("lag_history").toString(), "an empty history is still a history");
        assertFalse(moveTables.has("import"), "no import row: not an import");
    }

    private static WorkflowApi.Parts parts(Optional<ArrayNode> history, Optional<ArrayNode> imported) {
        ArrayNode all = JSON.arrayNode();
        all.addObject().put("name", "other").put("state", "error");
        all.addObject().put("name", "imp").put("state", "running");
        return new WorkflowApi.Parts(all, JSON.arrayNode(), JSON.arrayNode(), JSON.arrayNode(), Optional.empty(),
                history, imported);
    }

    private static ArrayNode rows(List<String> columns, ResultRow... rows) {
        return ResultJson.objects(new TextResultSet(columns.stream().map(ColumnDefinition41::varString).toList(),
                List.of(rows)), Map.of());
    }
}
