package io.switchyard.replication.copy;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.stream.Collectors;

/**
 * A source table as the copy sees it: the columns it copies, in table order, and its primary key.
 *
 * @param database   the source database
 * @param name       the table name
 * @param columns    the copied columns; generated columns are left out because the target computes them
 * @param primaryKey indexes into {@code columns} of the primary-key columns, in key order
 */
public record SourceTable(String database, String name, List<Column> columns, List<Integer> primaryKey) {
    /** A copied column and how its values travel. */
    public record Column(String name, ColumnKind kind) {
        public Column {
            Objects.requireNonNull(name, "name");
            Objects.requireNonNull(kind, "kind");
        }
    }

    public SourceTable {
        columns = List.copyOf(columns);
        primaryKey = List.copyOf(primaryKey);
        if (primaryKey.isEmpty()) {
            throw new IllegalArgumentException("table " + database + "." + name + " has no primary key");
        }
    }

    /**
     * Reads a table's definition from {@code information_schema}.
     *
     * @throws CopyException if the table does not exist or has no primary key and no unique NOT NULL key (the copy
     *                       orders and resumes by it, the applier finds rows by it)
     */
    public static SourceTable load(Connection source, String database, String table) throws SQLException {
        List<Column> columns = new ArrayList<>();
        try (PreparedStatement select = source.prepareStatement("SELECT COLUMN_NAME, DATA_TYPE, IS_GENERATED"
                + " FROM information_schema.COLUMNS WHERE TABLE_SCHEMA = ? AND TABLE_NAME = ?"
                + " ORDER BY ORDINAL_POSITION")) {
            select.setString(1, database);
            select.setString(2, table);
            try (ResultSet rs = select.executeQuery()) {
                while (rs.next()) {
                    if (!"ALWAYS".equalsIgnoreCase(rs.getString(3))) {
                        columns.add(new Column(rs.getString(1), ColumnKind.of(rs.getString(2))));
                    }
                }
            }
        }
        if (columns.isEmpty()) {
            throw new CopyException("source table " + database + "." + table + " does not exist");
        }
        List<Integer> primaryKey = new ArrayList<>();
        for (String column : rowKey(source, database, table)) {
            primaryKey.add(indexOf(columns, column));
        }
        if (primaryKey.isEmpty()) {
            throw new CopyException("source table " + database + "." + table + " has no primary key and no unique key"
                    + " over NOT NULL columns; the copy needs one to read rows in order and resume after a failure,"
                    + " and replication to find the row an update or delete changes: add a PRIMARY KEY");
        }
        return new SourceTable(database, table, columns, primaryKey);
    }

    /**
     * The columns that identify a row: the primary key, or else the unique key over NOT NULL columns with the fewest
     * columns (then the first by name), as Vitess picks; empty if there is neither.
     */
    private static List<String> rowKey(Connection source, String database, String table) throws SQLException {
        java.util.Map<String, List<String>> keys = new java.util.LinkedHashMap<>();
        java.util.Set<String> nullable = new java.util.HashSet<>();
        try (PreparedStatement select = source.prepareStatement("SELECT s.INDEX_NAME, s.COLUMN_NAME, c.IS_NULLABLE"
                + " FROM information_schema.STATISTICS s JOIN information_schema.COLUMNS c ON c.TABLE_SCHEMA ="
                + " s.TABLE_SCHEMA AND c.TABLE_NAME = s.TABLE_NAME AND c.COLUMN_NAME = s.COLUMN_NAME"
                + " WHERE s.TABLE_SCHEMA = ? AND s.TABLE_NAME = ? AND s.NON_UNIQUE = 0"
                + " ORDER BY s.INDEX_NAME <> 'PRIMARY', s.INDEX_NAME, s.SEQ_IN_INDEX")) {
            select.setString(1, database);
            select.setString(2, table);
            try (ResultSet rs = select.executeQuery()) {
                while (rs.next()) {
                    String index = rs.getString(1);
                    keys.computeIfAbsent(index, i -> new ArrayList<>()).add(rs.getString(2));
                    if ("YES".equalsIgnoreCase(rs.getString(3))) {
                        nullable.add(index);
                    }
                }
            }
        }
        if (keys.containsKey("PRIMARY")) {
            return keys.get("PRIMARY");
        }
        return keys.entrySet().stream().filter(e -> !nullable.contains(e.getKey()))
                .min(java.util.Comparator.comparingInt((java.util.Map.Entry<String, List<String>> e) ->
                        e.getValue().size()).thenComparing(java.util.Map.Entry::getKey))
                .map(java.util.Map.Entry::getValue).orElse(List.of());
    }

    /** The index in {@link #columns()} of a column, compared case-insensitively as MariaDB does. */
    public int indexOf(String column) {
        return indexOf(columns, column);
    }

    /** The primary-key column names, in key order. */
    public List<String> primaryKeyNames() {
        return primaryKey.stream().map(i -> columns.get(i).name()).toList();
    }

    /** {@code `db`.`table`}. */
    String qualifiedName() {
        return quote(database) + "." + quote(name);
    }

    /** {@code `a`, `b`, ...} over all copied columns. */
    String columnList() {
        return columns.stream().map(c -> quote(c.name())).collect(Collectors.joining(", "));
    }

    /** Quotes an identifier with backticks, doubling any inside. */
    static String quote(String identifier) {
        return "`" + identifier.replace("`", "``") + "`";
    }

    private static int indexOf(List<Column> columns, String column) {
        for (int i = 0; i < columns.size(); i++) {
            if (columns.get(i).name().equalsIgnoreCase(column)) {
                return i;
            }
        }
        throw new IllegalArgumentException("no copied column named '" + column + "'");
    }
}
