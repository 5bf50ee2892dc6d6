package io.switchyard.replication.binlog;

import java.util.Locale;

/**
 * A table to watch, as {@code database.table}. Names are compared case-insensitively because the binlog carries them
 * as the statement spelled them on servers with {@code lower_case_table_names} set, and as stored otherwise; watching
 * both spellings costs nothing and missing rows would be silent loss.
 */
public record TableName(String database, String table) {
    public TableName {
        if (database == null || database.isEmpty() || table == null || table.isEmpty()) {
            throw new IllegalArgumentException("table name needs a database and a table but was " + database + "."
                    + table);
        }
        database = database.toLowerCase(Locale.ROOT);
        table = table.toLowerCase(Locale.ROOT);
    }

    @Override
    public String toString() {
        return database + "." + table;
    }
}
