package io.switchyard.replication.copy;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Creates target tables from the source's {@code SHOW CREATE TABLE}, optionally without their secondary keys.
 *
 * <p>Deferring secondary keys makes the copy's inserts cheaper (only the clustered index is maintained) and builds
 * each index once, sorted, afterwards; Vitess's {@code defer_secondary_keys} does the same. Foreign-key constraints
 * are kept: InnoDB creates an index for one if it needs it.
 */
public final class TargetSchema {
    /** A secondary index line of {@code SHOW CREATE TABLE}; the primary key and constraints do not match. */
    private static final Pattern SECONDARY_KEY =
            Pattern.compile("^\\s*((UNIQUE|FULLTEXT|SPATIAL)\\s+)?(KEY|INDEX)\\s.*", Pattern.CASE_INSENSITIVE);
    private static final Pattern HEADER = Pattern.compile("^CREATE TABLE `(?:[^`]|``)+`", Pattern.CASE_INSENSITIVE);

    private TargetSchema() {
    }

    /**
     * The target table a source table becomes.
     *
     * @param table         the table name
     * @param createTable   the CREATE TABLE statement for the target, unqualified, secondary keys removed if deferred
     * @param deferredKeys  the removed index definitions ({@code KEY `k` (`c`)}), empty if none were deferred
     */
    public record TableDefinition(String table, String createTable, List<String> deferredKeys) {
        public TableDefinition {
            deferredKeys = List.copyOf(deferredKeys);
        }

        /** The statement that adds the deferred keys in {@code database}, all in one table rebuild. */
        public Optional<String> addDeferredKeys(String database) {
            if (deferredKeys.isEmpty()) {
                return Optional.empty();
            }
            return Optional.of("ALTER TABLE " + SourceTable.quote(database) + "." + SourceTable.quote(table) + " ADD "
                    + String.join(", ADD ", deferredKeys));
        }
    }

    /**
     * Reads a source table's definition and creates it on every target ({@code IF NOT EXISTS}, so a rerun after a
     * failure is harmless).
     *
     * @return the definition, whose {@link TableDefinition#addDeferredKeys} statement the caller runs on each target
     *         once the copy is done (see {@link #addDeferredKeys})
     */
    public static TableDefinition createLike(SqlConnector source, String sourceDatabase, List<TargetShard> targets,
                                             String table, boolean deferSecondaryKeys) throws SQLException {
        String showCreate;
        try (Connection connection = source.open(); Statement statement = connection.createStatement();
             ResultSet rs = statement.executeQuery("SHOW CREATE TABLE " + SourceTable.quote(sourceDatabase) + "."
                     + SourceTable.quote(table))) {
            rs.next();
            showCreate = rs.getString(2);
        }
        TableDefinition definition = define(table, showCreate, deferSecondaryKeys);
        for (TargetShard target : targets) {
            try (Connection connection = target.connector().open();
                 Statement statement = connection.createStatement()) {
                statement.execute("SET SESSION foreign_key_checks = 0"); // referenced tables may not exist yet
                statement.execute(qualify(definition.createTable(), target.database()));
            }
        }
        return definition;
    }

    /** Runs the deferred-key statement, if any, on every target. */
    public static void addDeferredKeys(TableDefinition definition, List<TargetShard> targets) throws SQLException {
        for (TargetShard target : targets) {
            Optional<String> alter = definition.addDeferredKeys(target.database());
            if (alter.isPresent()) {
                try (Connection connection = target.connector().open();
                     Statement statement = connection.createStatement()) {
                    statement.execute(alter.get());
                }
            }
        }
    }

    /** Splits a {@code SHOW CREATE TABLE} into the table to create and the keys to add later. */
    static TableDefinition define(String table, String showCreate, boolean deferSecondaryKeys) {
        if (!deferSecondaryKeys) {
            return new TableDefinition(table, showCreate, List.of());
        }
        // SHOW CREATE TABLE prints one definition a line between the "(" line and the ") ENGINE=..." line.
        String[] lines = showCreate.split("\n");
        List<String> kept = new ArrayList<>();
        List<String> deferred = new ArrayList<>();
        for (int i = 1; i < lines.length - 1; i++) {
            String line = stripComma(lines[i]);
            if (SECONDARY_KEY.matcher(line).matches()) {
                deferred.add(line.strip());
            } else {
                kept.add(line);
            }
        }
        StringBuilder create = new StringBuilder(lines[0]).append('\n');
        create.append(String.join(",\n", kept)).append('\n').append(lines[lines.length - 1]);
        return new TableDefinition(table, create.toString(), deferred);
    }

    private static String stripComma(String line) {
        return line.endsWith(",") ? line.substring(0, line.length() - 1) : line;
    }

    private static String qualify(String createTable, String database) {
        Matcher header = HEADER.matcher(createTable);
        if (!header.find()) {
            throw new CopyException("unexpected SHOW CREATE TABLE output: " + createTable);
        }
        String name = header.group().substring("CREATE TABLE ".length());
        return "CREATE TABLE IF NOT EXISTS " + SourceTable.quote(database) + "." + name
                + createTable.substring(header.end());
    }
}
