package io.switchyard.proxy.session;

import java.util.Locale;

/**
 * A statement's kind, read from its first keyword. This is what the data path needs for metrics and session
 * bookkeeping without parsing the statement; full planning belongs to the routing module.
 */
public enum StatementKind {
    SELECT, INSERT, UPDATE, DELETE, REPLACE, SET, USE, BEGIN, COMMIT, ROLLBACK, SHOW, DDL, KILL, OTHER;

    public static StatementKind of(String sql) {
        String word = SqlText.firstKeyword(sql).toUpperCase(Locale.ROOT);
        return switch (word) {
            case "SELECT", "WITH", "VALUES", "TABLE", "(" -> SELECT;
            case "INSERT" -> INSERT;
            case "UPDATE" -> UPDATE;
            case "DELETE" -> DELETE;
            case "REPLACE" -> REPLACE;
            case "SET" -> SET;
            case "USE" -> USE;
            case "BEGIN", "START" -> BEGIN;
            case "COMMIT", "XA" -> COMMIT;
            case "ROLLBACK" -> ROLLBACK;
            case "SHOW", "DESCRIBE", "DESC", "EXPLAIN" -> SHOW;
            case "CREATE", "ALTER", "DROP", "TRUNCATE", "RENAME" -> DDL;
            case "KILL" -> KILL;
            default -> OTHER;
        };
    }

    public String label() {
        return name().toLowerCase(Locale.ROOT);
    }
}
