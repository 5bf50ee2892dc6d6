package io.switchyard.replication.external;

import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * Checks an external database before an import, as seed 003's step 3 lists them: connectivity in the TLS mode asked
 * for, server configuration, the user's grants, and schema compatibility table by table. Returns one row per check,
 * each failure with how to fix it.
 *
 * <p>Connectivity, server configuration and grants are hard failures: an import cannot copy or replicate without
 * them. The schema checks are "skip and continue" failures (seed 003, "Handling validation errors"): the user may
 * go on, and then the import takes all tables. Views and foreign keys are reported as passes with what they imply:
 * views are not imported, foreign keys force all tables.
 */
public final class ExternalValidator {
    /** Seed 003: retention must be over 2 days. */
    static final long MIN_RETENTION_SECONDS = 172_800;
    /** Connections besides the copy's: the binlog stream, verification, the gateway serving traffic, an operator. */
    static final int CONNECTION_MARGIN = 10;
    private static final Set<String> CHARSETS = Set.of("utf8", "utf8mb4", "utf8mb3", "latin1", "ascii");

    private final Duration timeout;
    private final SecureRandom random;

    public ExternalValidator(Duration timeout, SecureRandom random) {
        this.timeout = timeout;
        this.random = random;
    }

    /** Runs every check; never throws for a problem of the external database, which becomes a failed row. */
    public ValidationReport validate(ExternalKeyspace keyspace) {
        List<ValidationResult> rows = new ArrayList<>();
        try (ExternalConnector connector = ExternalConnector.of(keyspace, timeout, random);
             Connection connection = connector.open()) {
            rows.add(ValidationResult.pass("connectivity", connected(connection, keyspace)));
            String flavor = flavor(connection);
            rows.addAll(server(connection, keyspace, flavor));
            rows.add(grants(connection, keyspace, flavor));
            Schema schema = schema(connection, keyspace.database());
            rows.addAll(schema.rows());
            return new ValidationReport(flavor, rows, schema.foreignKeys());
        } catch (ExternalConnectionException | ExternalKeyspaceException e) {
            rows.add(ValidationResult.fail("connectivity", e.getMessage()));
        } catch (SQLException e) {
            rows.add(ValidationResult.fail(rows.isEmpty() ? "connectivity" : "query", "a check failed on the external"
                    + " database: " + e.getMessage() + "; check the user's grants"));
        }
        return new ValidationReport("", rows, false);
    }

    /**
     * Checks that {@code replica} takes the keyspace's user, credentials and TLS mode, before it is added (seed 003,
     * "Adding a replica host name"): a replica that cannot be reached would only show up later, as failed reads.
     *
     * @return what is wrong, or empty when a connection works
     */
    public java.util.Optional<String> checkReplica(ExternalKeyspace keyspace, io.switchyard.config.Endpoint replica) {
        try (ExternalConnector connector = ExternalConnector.of(keyspace, timeout, random);
             Connection connection = connector.open(replica); Statement s = connection.createStatement();
             ResultSet rs = s.executeQuery("SELECT @@read_only")) {
            rs.next();
            return java.util.Optional.empty();
        } catch (ExternalConnectionException | ExternalKeyspaceException e) {
            return java.util.Optional.of(e.getMessage());
        } catch (SQLException e) {
            return java.util.Optional.of("replica " + replica + ": " + e.getMessage());
        }
    }

    private static String connected(Connection connection, ExternalKeyspace keyspace) throws SQLException {
        Map<String, String> status = pairs(connection, "SHOW SESSION STATUS WHERE Variable_name IN ('Ssl_version',"
                + " 'Ssl_cipher')");
        String version = status.getOrDefault("Ssl_version", "");
        String tls = version.isEmpty() ? "without TLS" : "with " + version + " (" + status.get("Ssl_cipher") + ")";
        String verified = switch (keyspace.sslMode()) {
            case VERIFY_CA -> ", certificate signed by " + (keyspace.ca().isPresent() ? "the given CA" : "a trusted CA");
            case VERIFY_IDENTITY -> ", certificate signed by " + (keyspace.ca().isPresent() ? "the given CA"
                    : "a trusted CA") + " and issued for " + keyspace.sslServerName().orElse(keyspace.host());
            default -> "";
        };
        return "connected to " + keyspace.primary() + " as " + keyspace.user() + " " + tls + verified + " (SSL MODE "
                + keyspace.sslMode() + ")";
    }

    private static String flavor(Connection connection) throws SQLException {
        try (Statement s = connection.createStatement();
             ResultSet rs = s.executeQuery("SELECT @@version, @@version_comment")) {
            rs.next();
            return flavor(rs.getString(1), rs.getString(2));
        }
    }

    /**
     * {@code MariaDB} or {@code MySQL}. MariaDB says so in {@code @@version} ("10.11.6-MariaDB-log"), or, behind
     * some proxies and in old versions, only in {@code @@version_comment}; everything else speaks MySQL's dialect.
     */
    static String flavor(String version, String versionComment) {
        String text = (version + " " + versionComment).toLowerCase(Locale.ROOT);
        return text.contains("mariadb") ? "MariaDB" : "MySQL";
    }

    private static List<ValidationResult> server(Connection connection, ExternalKeyspace keyspace, String flavor)
            throws SQLException {
        Map<String, String> v = pairs(connection, "SHOW GLOBAL VARIABLES WHERE Variable_name IN ('gtid_mode',"
                + " 'log_bin', 'binlog_format', 'binlog_row_image', 'binlog_expire_logs_seconds', 'expire_logs_days',"
                + " 'sql_mode', 'max_connections', 'version')");
        return serverRows(v, flavor, keyspace.importConnections());
    }

    /** The server-configuration rows from {@code SHOW GLOBAL VARIABLES}; a pure function, for MySQL fixtures. */
    static List<ValidationResult> serverRows(Map<String, String> v, String flavor, int importConnections) {
        List<ValidationResult> rows = new ArrayList<>();
        rows.add(ValidationResult.pass("version", flavor + " " + v.getOrDefault("version", "?")));
        if (flavor.equals("MySQL")) {
            rows.add(expect(v, "gtid_mode", "ON", "set gtid_mode=ON (with enforce_gtid_consistency=ON) in the"
                    + " server's config; on a running server step it through OFF_PERMISSIVE and ON_PERMISSIVE"));
        } else {
            rows.add(ValidationResult.pass("gtid_mode", "MariaDB always writes GTIDs to the binlog"));
        }
        rows.add(expect(v, "log_bin", "ON", "start the server with log-bin (binary logging needs a restart)"));
        rows.add(expect(v, "binlog_format", "ROW", "set binlog_format=ROW in the server's config; SET GLOBAL"
                + " binlog_format = 'ROW' applies to new sessions until a restart"));
        rows.add(expect(v, "binlog_row_image", "FULL", "set binlog_row_image=FULL in the server's config; SET GLOBAL"
                + " binlog_row_image = 'FULL' applies to new sessions until a restart"));
        rows.add(retention(v));
        String sqlMode = v.getOrDefault("sql_mode", "");
        rows.add(List.of(sqlMode.toUpperCase(Locale.ROOT).split(",")).contains("ANSI_QUOTES")
                ? ValidationResult.fail("sql_mode", "external database settings are not compatible: \"sql_mode\""
                        + " cannot have \"ANSI_QUOTES\" enabled; remove it from sql_mode in the server's config")
                : ValidationResult.pass("sql_mode", "sql_mode has no ANSI_QUOTES"));
        long max = number(v.getOrDefault("max_connections", "0"));
        int needed = importConnections + CONNECTION_MARGIN;
        rows.add(max >= needed
                ? ValidationResult.pass("max_connections", "max_connections is " + max + ", at least the " + needed
                        + " an import needs")
                : ValidationResult.fail("max_connections", "\"max_connections\" is " + max + ", but IMPORT CONNECTIONS "
                        + importConnections + " plus " + CONNECTION_MARGIN + " for replication,"
                        + " verification and traffic need " + needed + "; raise max_connections on the server or lower"
                        + " IMPORT CONNECTIONS"));
        return rows;
    }

    private static ValidationResult expect(Map<String, String> v, String name, String wanted, String fix) {
        String found = v.getOrDefault(name, "");
        if (found.equalsIgnoreCase(wanted)) {
            return ValidationResult.pass(name, name + " is " + wanted);
        }
        return ValidationResult.fail(name, "external database settings are not compatible: \"" + name + "\" must be \""
                + wanted + "\", but found: \"" + (found.isEmpty() ? "(not set)" : found) + "\"; " + fix);
    }

    /** Seed 003: either variable may be set; binlog_expire_logs_seconds takes precedence when both are. */
    private static ValidationResult retention(Map<String, String> v) {
        long seconds = number(v.getOrDefault("binlog_expire_logs_seconds", "0"));
        double days = Double.parseDouble(v.getOrDefault("expire_logs_days", "0"));
        String fix = "; set binlog_expire_logs_seconds to at least 259200 (3 days): the import reads binlogs from"
                + " where its copy started, and purged binlogs make it start over";
        if (seconds > 0) {
            return seconds > MIN_RETENTION_SECONDS
                    ? ValidationResult.pass("binlog_retention", "binlog_expire_logs_seconds is " + seconds)
                    : ValidationResult.fail("binlog_retention", "external database settings are not compatible:"
                            + " \"binlog_expire_logs_seconds\" must be > " + MIN_RETENTION_SECONDS + ", but found: \""
                            + seconds + "\"" + fix);
        }
        if (days > 0) {
            return days > 2 ? ValidationResult.pass("binlog_retention", "expire_logs_days is " + days)
                    : ValidationResult.fail("binlog_retention", "external database settings are not compatible:"
                            + " \"expire_logs_days\" must be > 2, but found: \"" + days + "\"" + fix);
        }
        return ValidationResult.pass("binlog_retention", "binlogs are never purged automatically"
                + " (binlog_expire_logs_seconds and expire_logs_days are 0)");
    }

    private static ValidationResult grants(Connection connection, ExternalKeyspace keyspace, String flavor)
            throws SQLException {
        List<String> lines = new ArrayList<>();
        String account;
        try (Statement s = connection.createStatement()) {
            try (ResultSet rs = s.executeQuery("SELECT CURRENT_USER()")) {
                rs.next();
                String[] parts = rs.getString(1).split("@", 2);
                account = "'" + parts[0] + "'@'" + (parts.length > 1 ? parts[1] : "%") + "'";
            }
            try (ResultSet rs = s.executeQuery("SHOW GRANTS")) {
                while (rs.next()) {
                    lines.add(rs.getString(1));
                }
            }
        }
        Grants grants = Grants.parse(lines, keyspace.database());
        List<String> global = grants.missingGlobal(flavor.equals("MySQL"));
        List<String> onDatabase = grants.missingOnDatabase();
        if (global.isEmpty() && onDatabase.isEmpty()) {
            return ValidationResult.pass("grants", account + " has " + String.join(", ", Grants.GLOBAL) + " and "
                    + String.join(", ", Grants.DATABASE) + " on " + keyspace.database());
        }
        List<String> missing = new ArrayList<>(global);
        missing.addAll(onDatabase);
        List<String> fix = new ArrayList<>();
        if (!global.isEmpty()) {
            fix.add("GRANT " + String.join(", ", global) + " ON *.* TO " + account);
        }
        if (!onDatabase.isEmpty()) {
            fix.add("GRANT " + String.join(", ", onDatabase) + " ON `" + keyspace.database() + "`.* TO " + account);
        }
        return ValidationResult.fail("grants", "external database does not have the required user grants: required"
                + " privileges [" + String.join(", ", missing) + "] are not present for " + account + "; run "
                + String.join("; ", fix) + " (replication needs REPLICATION SLAVE and REPLICATION CLIENT, the copy"
                + " SELECT, the cutover LOCK TABLES, and writing back after the switch INSERT, UPDATE, DELETE)");
    }

    private record Schema(List<ValidationResult> rows, boolean foreignKeys) {
    }

    private static Schema schema(Connection connection, String database) throws SQLException {
        Map<String, String[]> tables = new TreeMap<>(); // name -> {type, engine, charset}
        try (PreparedStatement s = connection.prepareStatement("SELECT t.TABLE_NAME, t.TABLE_TYPE, t.ENGINE,"
                + " c.CHARACTER_SET_NAME FROM information_schema.TABLES t LEFT JOIN information_schema.COLLATIONS c"
                + " ON c.COLLATION_NAME = t.TABLE_COLLATION WHERE t.TABLE_SCHEMA = ?")) {
            s.setString(1, database);
            try (ResultSet rs = s.executeQuery()) {
                while (rs.next()) {
                    tables.put(rs.getString(1), new String[] {rs.getString(2), rs.getString(3), rs.getString(4)});
                }
            }
        }
        Map<String, Set<String>> columnCharsets = new HashMap<>();
        try (PreparedStatement s = connection.prepareStatement("SELECT TABLE_NAME, CHARACTER_SET_NAME FROM"
                + " information_schema.COLUMNS WHERE TABLE_SCHEMA = ? AND CHARACTER_SET_NAME IS NOT NULL")) {
            s.setString(1, database);
            try (ResultSet rs = s.executeQuery()) {
                while (rs.next()) {
                    columnCharsets.computeIfAbsent(rs.getString(1), t -> new LinkedHashSet<>()).add(rs.getString(2));
                }
            }
        }
        // table -> index -> whether every column is NOT NULL
        Map<String, Map<String, Boolean>> uniqueKeys = new HashMap<>();
        try (PreparedStatement s = connection.prepareStatement("SELECT TABLE_NAME, INDEX_NAME, NULLABLE FROM"
                + " information_schema.STATISTICS WHERE TABLE_SCHEMA = ? AND NON_UNIQUE = 0")) {
            s.setString(1, database);
            try (ResultSet rs = s.executeQuery()) {
                while (rs.next()) {
                    boolean notNull = !"YES".equalsIgnoreCase(rs.getString(3));
                    uniqueKeys.computeIfAbsent(rs.getString(1), t -> new HashMap<>())
                            .merge(rs.getString(2), notNull, Boolean::logicalAnd);
                }
            }
        }
        Map<String, String> foreignKeys = new LinkedHashMap<>(); // "table.constraint" -> referenced table
        try (PreparedStatement s = connection.prepareStatement("SELECT TABLE_NAME, CONSTRAINT_NAME,"
                + " REFERENCED_TABLE_NAME FROM information_schema.REFERENTIAL_CONSTRAINTS WHERE CONSTRAINT_SCHEMA = ?"
                + " ORDER BY TABLE_NAME, CONSTRAINT_NAME")) {
            s.setString(1, database);
            try (ResultSet rs = s.executeQuery()) {
                while (rs.next()) {
                    foreignKeys.put(rs.getString(1) + "\u0000" + rs.getString(2), rs.getString(3));
                }
            }
        }
        List<ValidationResult> rows = new ArrayList<>();
        int baseTables = 0;
        int problems = 0;
        for (Map.Entry<String, String[]> entry : tables.entrySet()) {
            String table = entry.getKey();
            String type = entry.getValue()[0];
            if ("VIEW".equalsIgnoreCase(type) || "SYSTEM VIEW".equalsIgnoreCase(type)) {
                rows.add(ValidationResult.tablePass("view", table, "Views are detected but won't be imported: " + table
                        + " is a view. You can create it manually after the import finishes."));
                continue;
            }
            baseTables++;
            int before = rows.size();
            if (!table.chars().allMatch(c -> c < 128)) {
                rows.add(ValidationResult.skippable("table_name", table, "Table names with special characters: "
                        + table + " has characters outside the standard ASCII set, which aren't supported; rename it"
                        + " (RENAME TABLE)"));
            }
            String engine = entry.getValue()[1];
            if (engine != null && !engine.equalsIgnoreCase("InnoDB")) {
                rows.add(ValidationResult.skippable("engine", table, "Unsupported storage engine: " + table + " uses "
                        + engine + "; only InnoDB is supported. Convert it: ALTER TABLE `" + table + "` ENGINE=InnoDB"));
            }
            Set<String> charsets = new LinkedHashSet<>();
            if (entry.getValue()[2] != null) {
                charsets.add(entry.getValue()[2]);
            }
            charsets.addAll(columnCharsets.getOrDefault(table, Set.of()));
            List<String> bad = charsets.stream().filter(c -> !CHARSETS.contains(c.toLowerCase(Locale.ROOT))).toList();
            if (!bad.isEmpty()) {
                rows.add(ValidationResult.skippable("charset", table, "Invalid charset: " + table + " uses "
                        + String.join(", ", bad) + "; supported are utf8, utf8mb4, utf8mb3, latin1 and ascii."
                        + " Convert it: ALTER TABLE `" + table + "` CONVERT TO CHARACTER SET utf8mb4"));
            }
            if (!uniqueKeys.getOrDefault(table, Map.of()).containsValue(true)) {
                rows.add(ValidationResult.skippable("unique_key", table, "Missing unique key: " + table + " has no"
                        + " unique, not-null key, and all tables must have one. Add a primary key, or make the"
                        + " columns of a unique key NOT NULL"));
            }
            if (rows.size() > before) {
                problems++;
            }
        }
        boolean anyForeignKey = !foreignKeys.isEmpty();
        for (Map.Entry<String, String> fk : foreignKeys.entrySet()) {
            String[] parts = fk.getKey().split("\u0000", 2);
            rows.add(ValidationResult.tablePass("foreign_key", parts[0], "Foreign key constraint " + parts[1] + " on "
                    + parts[0] + " references " + fk.getValue() + ": all tables will be replicated due to foreign"
                    + " key constraints usage. The copy holds a long-running transaction on the source; connect to a"
                    + " replica if you can"));
        }
        rows.add(ValidationResult.pass("schema", baseTables + " table(s) in " + database + ", " + problems
                + " with compatibility problems"));
        return new Schema(rows, anyForeignKey);
    }

    private static Map<String, String> pairs(Connection connection, String sql) throws SQLException {
        Map<String, String> values = new HashMap<>();
        try (Statement s = connection.createStatement(); ResultSet rs = s.executeQuery(sql)) {
            while (rs.next()) {
                values.put(rs.getString(1), rs.getString(2));
            }
        }
        return values;
    }

    private static long number(String text) {
        try {
            return (long) Double.parseDouble(text.strip());
        } catch (NumberFormatException e) {
            return 0;
        }
    }
}
