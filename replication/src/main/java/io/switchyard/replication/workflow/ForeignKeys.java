package io.switchyard.replication.workflow;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Foreign keys between a source's tables, and the copy units they force: tables linked by foreign keys (directly or
 * through others) are copied from one snapshot, because InnoDB does not write cascaded changes to the binlog and
 * tables copied at different positions could never be reconciled by replaying it.
 */
final class ForeignKeys {
    /** {@code table} has constraint {@code constraint} referencing {@code referencedSchema.referencedTable}. */
    record Reference(String table, String constraint, String referencedSchema, String referencedTable) {
    }

    private ForeignKeys() {
    }

    /** Every foreign key of a table in {@code database}. */
    static List<Reference> read(Connection source, String database) throws SQLException {
        List<Reference> references = new ArrayList<>();
        try (PreparedStatement select = source.prepareStatement("SELECT table_name, constraint_name,"
                + " unique_constraint_schema, referenced_table_name FROM information_schema.referential_constraints"
                + " WHERE constraint_schema = ? ORDER BY table_name, constraint_name")) {
            select.setString(1, database);
            try (ResultSet rs = select.executeQuery()) {
                while (rs.next()) {
                    references.add(new Reference(rs.getString(1), rs.getString(2), rs.getString(3), rs.getString(4)));
                }
            }
        }
        return references;
    }

    /**
     * Groups {@code tables} into copy units: a table without foreign keys alone, FK-linked tables together (in
     * {@code tables} order, units ordered by their first table).
     *
     * @throws IllegalArgumentException naming every reference that leaves the moved tables: those tables must move
     *                                  together, so the workflow would otherwise leave dangling constraints
     */
    static List<List<String>> units(String workflow, String database, List<String> tables,
                                    List<Reference> references) {
        Map<String, String> byLower = new LinkedHashMap<>();
        tables.forEach(t -> byLower.put(lower(t), t));
        Map<String, String> parent = new LinkedHashMap<>();
        tables.forEach(t -> parent.put(lower(t), lower(t)));
        List<String> problems = new ArrayList<>();
        for (Reference ref : references) {
            boolean fromMoved = byLower.containsKey(lower(ref.table()));
            boolean toMoved = ref.referencedSchema().equalsIgnoreCase(database)
                    && byLower.containsKey(lower(ref.referencedTable()));
            if (fromMoved && toMoved) {
                union(parent, lower(ref.table()), lower(ref.referencedTable()));
            } else if (fromMoved || toMoved) {
                problems.add("foreign key " + ref.constraint() + " of table '" + ref.table() + "' references '"
                        + (ref.referencedSchema().equalsIgnoreCase(database) ? "" : ref.referencedSchema() + ".")
                        + ref.referencedTable() + "'");
            }
        }
        if (!problems.isEmpty()) {
            throw new IllegalArgumentException("workflow " + workflow + ": tables linked by foreign keys move together"
                    + " from one snapshot, but " + String.join("; ", problems) + ", which the workflow does not move:"
                    + " add the missing tables to the table list (or use ALL)");
        }
        Map<String, List<String>> groups = new LinkedHashMap<>();
        for (String table : tables) {
            groups.computeIfAbsent(find(parent, lower(table)), k -> new ArrayList<>()).add(table);
        }
        return List.copyOf(groups.values());
    }

    /** The moved tables that take part in any foreign key. */
    static Set<String> linkedTables(List<String> tables, List<Reference> references) {
        Set<String> linked = new LinkedHashSet<>();
        for (String table : tables) {
            for (Reference ref : references) {
                if (ref.table().equalsIgnoreCase(table) || ref.referencedTable().equalsIgnoreCase(table)) {
                    linked.add(table);
                }
            }
        }
        return linked;
    }

    private static void union(Map<String, String> parent, String a, String b) {
        parent.put(find(parent, a), find(parent, b));
    }

    private static String find(Map<String, String> parent, String table) {
        String root = table;
        while (!parent.get(root).equals(root)) {
            root = parent.get(root);
        }
        return root;
    }

    private static String lower(String name) {
        return name.toLowerCase(Locale.ROOT);
    }
}
