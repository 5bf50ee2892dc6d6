package io.switchyard.proxy.server;

import io.switchyard.config.Keyspace;
import io.switchyard.config.SwitchyardConfig;
import io.switchyard.proxy.packet.resultset.ColumnDefinition41;
import io.switchyard.proxy.packet.resultset.ResultRow;
import io.switchyard.proxy.packet.resultset.TextResultSet;

import java.util.List;

/** Result sets the gateway answers itself on the data path. */
final class GatewayResults {
    private GatewayResults() {
    }

    /** SHOW DATABASES: the keyspaces, as vtgate answers it. */
    static TextResultSet databases(SwitchyardConfig config) {
        List<ResultRow> rows = config.keyspaces().stream().map(Keyspace::name).map(ResultRow::ofStrings).toList();
        return new TextResultSet(List.of(ColumnDefinition41.varString("Database")), rows);
    }
}
