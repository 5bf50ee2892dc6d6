package io.switchyard.replication.external;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The privileges {@code SHOW GRANTS} gives a user, global and on one database, and what an import still lacks.
 * Like PlanetScale (reference notes, "Required grants"), table-level grants and grants through roles are not
 * counted; {@code ALL PRIVILEGES} on a scope is. Only the privilege list and the scope of each line are read: the
 * rest of a line can hold a password hash and is never kept.
 */
final class Grants {
    private static final Pattern GRANT = Pattern.compile(
            "(?is)^\\s*GRANT\\s+(.+?)\\s+ON\\s+(?:(?:TABLE|FUNCTION|PROCEDURE|PACKAGE(?:\\s+BODY)?)\\s+)?(\\S+)\\s+TO\\s+.*");
    private static final String ALL = "ALL PRIVILEGES";

    /** Global privileges an import needs, and why, for the message. */
    static final List<String> GLOBAL = List.of("REPLICATION SLAVE", "REPLICATION CLIENT");
    /** On the database: read it, write back after the switch, lock tables for the cutover. */
    static final List<String> DATABASE = List.of("SELECT", "INSERT", "UPDATE", "DELETE", "LOCK TABLES");

    private final Set<String> global;
    private final Set<String> database;

    private Grants(Set<String> global, Set<String> database) {
        this.global = global;
        this.database = database;
    }

    /** Reads {@code SHOW GRANTS} lines for the privileges that apply to {@code databaseName}. */
    static Grants parse(List<String> lines, String databaseName) {
        Set<String> global = new LinkedHashSet<>();
        Set<String> database = new LinkedHashSet<>();
        for (String line : lines) {
            Matcher m = GRANT.matcher(line);
            if (!m.matches()) {
                continue; // a role grant ("GRANT r TO u") or something else without a privilege scope
            }
            Set<String> privileges = privileges(m.group(1));
            // Identifiers are quoted with backticks, or with double quotes under sql_mode ANSI_QUOTES.
            String scope = m.group(2).replace("`", "").replace("\"", "");
            if (scope.equals("*.*")) {
                global.addAll(privileges);
            } else if (scope.endsWith(".*") && matchesDatabase(scope.substring(0, scope.length() - 2), databaseName)) {
                database.addAll(privileges);
            }
        }
        return new Grants(global, database);
    }

    /**
     * The privileges still missing.
     *
     * @param mysql MySQL also needs {@code RELOAD} (or {@code FLUSH_TABLES}) for the {@code FLUSH TABLES WITH READ
     *     LOCK} of a consistent snapshot; MariaDB's snapshot needs no lock
     */
    List<String> missingGlobal(boolean mysql) {
        List<String> missing = new ArrayList<>();
        for (String privilege : GLOBAL) {
            if (!hasGlobal(privilege)) {
                missing.add(privilege);
            }
        }
        if (mysql && !hasGlobal("RELOAD") && !hasGlobal("FLUSH_TABLES")) {
            missing.add("RELOAD");
        }
        return missing;
    }

    List<String> missingOnDatabase() {
        List<String> missing = new ArrayList<>();
        for (String privilege : DATABASE) {
            if (!hasGlobal(privilege) && !database.contains(privilege) && !database.contains(ALL)) {
                missing.add(privilege);
            }
        }
        return missing;
    }

    private boolean hasGlobal(String privilege) {
        return global.contains(ALL) || global.contains(privilege) || aliases(privilege).stream()
                .anyMatch(global::contains);
    }

    /** MariaDB 10.5 renamed REPLICATION CLIENT to BINLOG MONITOR and SHOW GRANTS prints the new name. */
    private static List<String> aliases(String privilege) {
        return switch (privilege) {
            case "REPLICATION CLIENT" -> List.of("BINLOG MONITOR");
            case "REPLICATION SLAVE" -> List.of("REPLICATION REPLICA");
            default -> List.of();
        };
    }

    private static Set<String> privileges(String list) {
        // Column lists ("SELECT (a, b)") hold commas of their own; a column grant is table-level anyway.
        String plain = list.replaceAll("\\([^)]*\\)", "");
        Set<String> privileges = new LinkedHashSet<>();
        for (String part : plain.split(",")) {
            String p = part.strip().replaceAll("\\s+", " ").toUpperCase(Locale.ROOT);
            privileges.add(p.equals("ALL") ? ALL : p);
        }
        return privileges;
    }

    /** A grant's database part may be a LIKE pattern: {@code _} and {@code %} are wildcards, {@code \_} is not. */
    private static boolean matchesDatabase(String pattern, String name) {
        StringBuilder regex = new StringBuilder();
        for (int i = 0; i < pattern.length(); i++) {
            char c = pattern.charAt(i);
            if (c == '\\' && i + 1 < pattern.length()) {
                regex.append(Pattern.quote(String.valueOf(pattern.charAt(++i))));
            } else if (c == '_') {
                regex.append('.');
            } else if (c == '%') {
                regex.append(".*");
            } else {
                regex.append(Pattern.quote(String.valueOf(c)));
            }
        }
        return name.matches(regex.toString());
    }
}
