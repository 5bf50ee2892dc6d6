package io.switchyard.config;

import java.util.List;
import java.util.Map;

/**
 * Vschema rules that depend on the keyspace around it: a sharded keyspace must be able to place every row, and an
 * unsharded one has nothing to place.
 */
final class VSchemaRules {

    private VSchemaRules() {
    }

    /**
     * @param problems positioned at the keyspace's {@code vschema} key
     * @param keyspace the keyspace name, for messages
     */
    static void check(Problems problems, String keyspace, boolean sharded, VSchema vschema) {
        for (Map.Entry<String, Table> entry : vschema.tables().entrySet()) {
            Problems at = problems.at("tables." + entry.getKey());
            Table table = entry.getValue();
            if (table.isSequence()) {
                if (sharded) {
                    at.add("type", "\"sequence\" tables must be in an unsharded keyspace; " + Problems.quote(keyspace)
                            + " is sharded");
                }
                continue;
            }
            List<ColumnVindex> columnVindexes = table.columnVindexes();
            if (!sharded) {
                if (!columnVindexes.isEmpty()) {
                    at.add("column_vindexes", "tables of unsharded keyspace " + Problems.quote(keyspace)
                            + " have no column vindexes; set sharded: true to shard it");
                }
                continue;
            }
            if (columnVindexes.isEmpty()) {
                at.add("column_vindexes", "missing; a table in sharded keyspace " + Problems.quote(keyspace)
                        + " needs at least one column vindex (the first decides each row's shard)");
            }
            for (int i = 0; i < columnVindexes.size(); i++) {
                String name = columnVindexes.get(i).vindexName();
                if (!vschema.vindexes().containsKey(name)) {
                    at.add("column_vindexes[" + i + "].name", Problems.quote(name) + " is not a vindex of keyspace "
                            + Problems.quote(keyspace) + " (" + defined(vschema) + ")");
                }
            }
        }
    }

    private static String defined(VSchema vschema) {
        return vschema.vindexes().isEmpty()
                ? "vschema.vindexes defines none"
                : "defined: " + String.join(", ", vschema.vindexes().keySet());
    }
}
