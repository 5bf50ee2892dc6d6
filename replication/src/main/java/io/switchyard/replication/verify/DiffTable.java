package io.switchyard.replication.verify;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A table's columns and the key the diff orders by: the primary key, or else the unique key with the fewest columns
 * all of which are NOT NULL (a nullable unique key allows several NULL rows, which no key order can tell apart).
 *
 * @param name    the table name
 * @param columns every column, in table order
 * @param key     indexes into {@code columns} of the key columns, in key order
 */
record DiffTable(String name, List<DiffColumn> columns, List<Integer> key) {
    private static final Pattern JSON_CHECK = Pattern.compile("json_valid\\(`((?:[^`]|``)+)`\\)",
            Pattern.CASE_INSENSITIVE);

    DiffTable {
        columns = List.copyOf(columns);
        key = List.copyOf(key);
    }

    /**
     * Reads the definition of {@code database.table} from {@code information_schema}.
     *
     * @throws VerifyException if the table does not exist or has no usable key
     */
    static DiffTable load(Connection connection, String database, String table, String side) throws SQLException {
        Set<String> jsonColumns = jsonColumns(connection, database, table);
        List<DiffColumn> columns = new ArrayList<>();
        Map<String, Boolean> nullable = new LinkedHashMap<>();
        try (PreparedStatement select = connection.prepareStatement("SELECT COLUMN_NAME, DATA_TYPE, COLLATION_NAME,"
                + " CHARACTER_SET_NAME, CHARACTER_MAXIMUM_LENGTH, IS_NULLABLE FROM information_schema.COLUMNS"
                + " WHERE TABLE_SCHEMA = ? AND TABLE_NAME = ? ORDER BY ORDINAL_POSITION")) {
            select.setString(1, database);
            select.setString(2, table);
            try (ResultSet rs = select.executeQuery()) {
                while (rs.next()) {
                    String name = rs.getString(1);
                    DiffColumn.Kind kind = DiffColumn.kindOf(rs.getString(2), jsonColumns.contains(lower(name)));
                    boolean text = kind == DiffColumn.Kind.TEXT || kind == DiffColumn.Kind.LONG_TEXT;
                    columns.add(new DiffColumn(name, kind, text ? rs.getString(3) : null,
                            text ? rs.getString(4) : null, text ? rs.getLong(5) : 0));
                    nullable.put(lower(name), "YES".equalsIgnoreCase(rs.getString(6)));
                }
            }
        }
        if (columns.isEmpty()) {
            throw new VerifyException(side + ": table " + database + "." + table + " does not exist");
        }
        List<String> keyNames = chooseKey(connection, database, table, nullable);
        if (keyNames.isEmpty()) {
            throw new VerifyException(side + ": table " + database + "." + table + " has neither a primary key nor a"
                    + " unique key over NOT NULL columns; the diff needs one to read both sides in the same order");
        }
        List<Integer> key = new ArrayList<>();
        for (String keyName : keyNames) {
            int index = indexOf(columns, keyName);
            DiffColumn column = columns.get(index);
            if (!column.usableAsKey()) {
                throw new VerifyException(side + ": key column " + column.name() + " of " + database + "." + table
                        + " cannot order the diff: " + column.whyNotKey());
            }
            key.add(index);
        }
        return new DiffTable(table, columns, key);
    }

    /**
     * Checks that {@code other} (another shard, or the other side) can be compared with this table: the same column
     * names, kinds and key. Collations of key columns must be equal too, since both sides' rows are merged in one
     * order; other columns are compared under this table's collations.
     *
     * @throws VerifyException naming the first difference
     */
    void requireComparable(DiffTable other, String side) {
        List<String> mine = columns.stream().map(c -> lower(c.name()) + " " + c.kind()).toList();
        List<String> theirs = other.columns.stream().map(c -> lower(c.name()) + " " + c.kind()).toList();
        if (!mine.equals(theirs)) {
            throw new VerifyException(side + ": table " + name + " has columns " + theirs + " where the first source"
                    + " shard has " + mine + "; align the schemas before verifying");
        }
        if (!key.equals(other.key)) {
            throw new VerifyException(side + ": table " + name + " is keyed by " + other.keyNames() + " where the"
                    + " first source shard is keyed by " + keyNames());
        }
        for (int index : key) {
            DiffColumn a = columns.get(index);
            DiffColumn b = other.columns.get(index);
            if (!Objects.equals(a.collation(), b.collation()) || a.maxChars() != b.maxChars()) {
                throw new VerifyException(side + ": key column " + a.name() + " of " + name + " is " + b.collation()
                        + "(" + b.maxChars() + ") where the first source shard has " + a.collation() + "("
                        + a.maxChars() + "); rows would not sort alike");
            }
        }
    }

    List<String> keyNames() {
        return key.stream().map(i -> columns.get(i).name()).toList();
    }

    private static List<String> chooseKey(Connection connection, String database, String table,
                                          Map<String, Boolean> nullable) throws SQLException {
        Map<String, List<String>> uniqueKeys = new LinkedHashMap<>();
        try (PreparedStatement select = connection.prepareStatement("SELECT INDEX_NAME, COLUMN_NAME FROM"
                + " information_schema.STATISTICS WHERE TABLE_SCHEMA = ? AND TABLE_NAME = ? AND NON_UNIQUE = 0"
                + " ORDER BY INDEX_NAME, SEQ_IN_INDEX")) {
            select.setString(1, database);
            select.setString(2, table);
            try (ResultSet rs = select.executeQuery()) {
                while (rs.next()) {
                    uniqueKeys.computeIfAbsent(rs.getString(1), k -> new ArrayList<>()).add(rs.getString(2));
                }
            }
        }
        if (uniqueKeys.containsKey("PRIMARY")) {
            return uniqueKeys.get("PRIMARY");
        }
        return uniqueKeys.entrySet().stream()
                .filter(e -> e.getValue().stream().noneMatch(c -> nullable.getOrDefault(lower(c), true)))
                .min(Comparator.<Map.Entry<String, List<String>>>comparingInt(e -> e.getValue().size())
                        .thenComparing(Map.Entry::getKey))
                .map(Map.Entry::getValue)
                .orElse(List.of());
    }

    /** MariaDB's JSON type is LONGTEXT plus a {@code json_valid(`col`)} check constraint; find those columns. */
    private static Set<String> jsonColumns(Connection connection, String database, String table) throws SQLException {
        Set<String> json = new HashSet<>();
        try (PreparedStatement select = connection.prepareStatement("SELECT CHECK_CLAUSE FROM"
                + " information_schema.CHECK_CONSTRAINTS WHERE CONSTRAINT_SCHEMA = ? AND TABLE_NAME = ?")) {
            select.setString(1, database);
            select.setString(2, table);
            try (ResultSet rs = select.executeQuery()) {
                while (rs.next()) {
                    Matcher matcher = JSON_CHECK.matcher(rs.getString(1));
                    if (matcher.matches()) {
                        json.add(lower(matcher.group(1).replace("``", "`")));
                    }
                }
            }
        }
        return json;
    }

    private static int indexOf(List<DiffColumn> columns, String name) {
        for (int i = 0; i < columns.size(); i++) {
            if (columns.get(i).name().equalsIgnoreCase(name)) {
                return i;
            }
        }
        throw new IllegalStateException("key column " + name + " is not among the columns " + columns);
    }

    private static String lower(String identifier) {
        return identifier.toLowerCase(Locale.ROOT);
    }
}
