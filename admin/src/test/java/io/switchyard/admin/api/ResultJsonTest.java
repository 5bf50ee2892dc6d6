package io.switchyard.admin.api;

import io.switchyard.proxy.packet.resultset.ColumnDefinition41;
import io.switchyard.proxy.packet.resultset.ResultRow;
import io.switchyard.proxy.packet.resultset.TextResultSet;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;

class ResultJsonTest {
    @Test
    void columnsDecideTypes() {
        TextResultSet rows = new TextResultSet(List.of("table", "state", "rows_copied", "pct", "lag_seconds",
                "created", "Target Shard").stream().map(ColumnDefinition41::varString).toList(),
                List.of(ResultRow.ofStrings("2024", "copied", "500", "100", null, "2026-11-22 19:33:53", "0")));
        assertEquals("[{\"name\":\"2024\",\"state\":\"copied\",\"rows_copied\":500,\"percent\":100,"
                + "\"created_at\":\"2026-11-22T19:33:53Z\",\"target_shard\":\"0\"}]",
                ResultJson.objects(rows, Map.of("table", "name", "pct", "percent", "lag_seconds", "",
                        "created", "created_at")).toString());
    }

    @Test
    void externalKeyspacePortsAndConnectionsAreNumbers() {
        TextResultSet rows = new TextResultSet(List.of("keyspace", "port", "import_connections", "ssl_ca").stream()
                .map(ColumnDefinition41::varString).toList(), List.of(ResultRow.ofStrings("legacy", "3306", "8", "no")));
        assertEquals("[{\"name\":\"legacy\",\"port\":3306,\"import_connections\":8,\"ssl_ca\":\"no\"}]",
                ResultJson.objects(rows, Map.of("keyspace", "name")).toString());
    }

    @Test
    void nullsAndNonNumbersInNumericColumns() {
        TextResultSet rows = new TextResultSet(List.of("lag_seconds", "rows_total", "mismatch_percent").stream()
                .map(ColumnDefinition41::varString).toList(), List.of(ResultRow.ofStrings(null, "n/a", "0.25")));
        assertEquals("[{\"lag_seconds\":null,\"rows_total\":\"n/a\",\"mismatch_percent\":0.25}]",
                ResultJson.objects(rows, Map.of()).toString());
    }
}
