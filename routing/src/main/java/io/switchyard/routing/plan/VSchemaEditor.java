package io.switchyard.routing.plan;

import io.switchyard.config.AutoIncrement;
import io.switchyard.config.ColumnVindex;
import io.switchyard.routing.vindex.Vindex;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** Applies one {@link VSchemaChange} to a keyspace, checking it the way Vitess's {@code ApplyVSchemaDDL} does. */
final class VSchemaEditor {

    private VSchemaEditor() {
    }

    /** The changed keyspace; the caller builds the next snapshot around it, which checks cross-keyspace rules. */
    static KeyspaceSchema apply(RoutingSnapshot snapshot, VSchemaChange change) {
        KeyspaceSchema keyspace = snapshot.requireKeyspace(change.keyspace());
        String ks = keyspace.name();
        // Java 17 has no pattern switch; the sealed hierarchy keeps this chain complete (see the final throw).
        if (change instanceof VSchemaChange.CreateVindex c) {
            checkType(c.type());
            if (keyspace.vindexes().containsKey(c.vindex())) {
                throw fail("vindex " + c.vindex() + " already exists in keyspace " + ks);
            }
            return keyspace.withVindex(c.vindex(), c.type());
        }
        if (change instanceof VSchemaChange.AddVindex c) {
            return addVindex(keyspace, c);
        }
        if (change instanceof VSchemaChange.DropVindex c) {
            TableSchema table = requireTable(keyspace, c.table());
            List<ColumnVindex> remaining = new ArrayList<>(table.columnVindexes());
            if (!remaining.removeIf(v -> v.vindexName().equals(c.vindex()))) {
                throw fail("vindex " + c.vindex() + " is not on table " + ks + "." + c.table());
            }
            return keyspace.withTable(new TableSchema(table.name(), false, remaining, table.autoIncrement()));
        }
        if (change instanceof VSchemaChange.AddTable c) {
            if (keyspace.sharded()) {
                throw fail("keyspace " + ks + " is sharded, so its tables need a vindex: ALTER VSCHEMA ON " + ks
                        + "." + c.table() + " ADD VINDEX hash(<column>) USING hash");
            }
            requireAbsent(keyspace, c.table());
            return keyspace.withTable(TableSchema.plain(c.table()));
        }
        if (change instanceof VSchemaChange.DropTable c) {
            requireTable(keyspace, c.table());
            return keyspace.withoutTable(c.table());
        }
        if (change instanceof VSchemaChange.AddSequence c) {
            if (keyspace.sharded()) {
                throw fail("keyspace " + ks + " is sharded; sequence tables live in an unsharded keyspace");
            }
            requireAbsent(keyspace, c.table());
            return keyspace.withTable(new TableSchema(c.table(), true, List.of(), Optional.empty()));
        }
        if (change instanceof VSchemaChange.AddAutoIncrement c) {
            TableSchema table = requireTable(keyspace, c.table());
            if (table.sequence()) {
                throw fail(ks + "." + c.table() + " is a sequence table; it cannot have an auto-increment");
            }
            if (table.autoIncrement().isPresent()) {
                throw fail("table " + ks + "." + c.table() + " already has auto-increment column "
                        + table.autoIncrement().get().column() + "; DROP AUTO_INCREMENT first");
            }
            AutoIncrement auto = new AutoIncrement(c.column(), resolveSequence(snapshot, c.sequence()));
            return keyspace.withTable(new TableSchema(table.name(), false, table.columnVindexes(),
                    Optional.of(auto)));
        }
        if (change instanceof VSchemaChange.DropAutoIncrement c) {
            TableSchema table = requireTable(keyspace, c.table());
            if (table.autoIncrement().isEmpty()) {
                throw fail("table " + ks + "." + c.table() + " has no auto-increment column");
            }
            return keyspace.withTable(new TableSchema(table.name(), false, table.columnVindexes(),
                    Optional.empty()));
        }
        throw new IllegalStateException("unhandled vschema change " + change);
    }

    private static KeyspaceSchema addVindex(KeyspaceSchema keyspace, VSchemaChange.AddVindex change) {
        String ks = keyspace.name();
        if (!keyspace.sharded()) {
            throw fail("keyspace " + ks + " is unsharded; vindexes place rows in sharded keyspaces only");
        }
        String existing = keyspace.vindexes().get(change.vindex());
        KeyspaceSchema next = keyspace;
        if (existing == null) {
            String type = change.type().orElseThrow(() -> fail("vindex " + change.vindex() + " does not exist in"
                    + " keyspace " + ks + "; add USING hash (or xxhash) to create it"));
            checkType(type);
            next = keyspace.withVindex(change.vindex(), type);
        } else if (change.type().isPresent() && !change.type().get().equals(existing)) {
            throw fail("vindex " + change.vindex() + " of keyspace " + ks + " has type " + existing + ", not "
                    + change.type().get());
        }
        TableSchema table = keyspace.table(change.table()).orElse(TableSchema.plain(change.table()));
        if (table.sequence()) {
            throw fail(ks + "." + change.table() + " is a sequence table; it cannot have a vindex");
        }
        if (table.columnVindexes().stream().anyMatch(v -> v.vindexName().equals(change.vindex()))) {
            throw fail("table " + ks + "." + change.table() + " already has vindex " + change.vindex());
        }
        List<ColumnVindex> vindexes = new ArrayList<>(table.columnVindexes());
        vindexes.add(new ColumnVindex(change.column(), change.vindex()));
        return next.withTable(new TableSchema(table.name(), false, vindexes, table.autoIncrement()));
    }

    /** A sequence as written ({@code ks.t} or a {@code t} unique among unsharded keyspaces), qualified. */
    private static String resolveSequence(RoutingSnapshot snapshot, String sequence) {
        int dot = sequence.indexOf('.');
        if (dot >= 0) {
            KeyspaceSchema keyspace = snapshot.requireKeyspace(sequence.substring(0, dot));
            String table = sequence.substring(dot + 1);
            if (keyspace.sharded() || keyspace.table(table).filter(TableSchema::sequence).isEmpty()) {
                throw fail(sequence + " is not a sequence table; create it with ALTER VSCHEMA ADD SEQUENCE "
                        + sequence + " in an unsharded keyspace");
            }
            return sequence;
        }
        List<String> owners = snapshot.keyspaces().values().stream()
                .filter(k -> !k.sharded() && k.table(sequence).filter(TableSchema::sequence).isPresent())
                .map(KeyspaceSchema::name).toList();
        if (owners.size() != 1) {
            throw fail(owners.isEmpty()
                    ? sequence + " is not a sequence table in any unsharded keyspace; create it with ALTER VSCHEMA"
                            + " ADD SEQUENCE ks." + sequence
                    : "sequence " + sequence + " is in keyspaces " + String.join(" and ", owners) + "; qualify it");
        }
        return owners.get(0) + "." + sequence;
    }

    private static TableSchema requireTable(KeyspaceSchema keyspace, String table) {
        return keyspace.table(table).orElseThrow(() -> fail("table " + keyspace.name() + "." + table
                + " is not in the vschema"));
    }

    private static void requireAbsent(KeyspaceSchema keyspace, String table) {
        if (keyspace.tables().containsKey(table)) {
            throw fail("table " + keyspace.name() + "." + table + " is already in the vschema");
        }
    }

    private static void checkType(String type) {
        if (!Vindex.TYPES.contains(type)) {
            throw fail("unknown vindex type '" + type + "'; known types: " + String.join(", ", Vindex.TYPES));
        }
    }

    private static RoutingException fail(String message) {
        return RoutingException.routing(message);
    }
}
