package io.switchyard.routing.topo;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The topology store's tables and every statement on them. Callers own the connection and the transaction; see
 * {@link TopologyStore} for which statements run together.
 *
 * <pre>
 * routing_version  id=1 | version BIGINT | updated_at      -- the combined version: +1 in every write transaction
 * routing_rules    id=1 | version BIGINT | rules_json      -- version 0 = no rules yet; compare-and-set on version
 * vschema          keyspace_name PK | version | vschema_json  -- one row a keyspace; version 1 = seeded from config
 * </pre>
 *
 * JSON goes in LONGTEXT, not JSON: MySQL's JSON type re-serializes what it stores and MariaDB's is LONGTEXT anyway,
 * so LONGTEXT keeps the bytes identical on both.
 */
final class TopologyTables {

    /** The DDL, each statement idempotent, so every gateway runs it at every start. */
    static final List<String> CREATE = List.of("""
            CREATE TABLE IF NOT EXISTS routing_version (
                id TINYINT UNSIGNED NOT NULL PRIMARY KEY,
                version BIGINT NOT NULL,
                updated_at TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3) ON UPDATE CURRENT_TIMESTAMP(3)
            ) ENGINE=InnoDB""", """
            CREATE TABLE IF NOT EXISTS routing_rules (
                id TINYINT UNSIGNED NOT NULL PRIMARY KEY,
                version BIGINT NOT NULL,
                rules_json LONGTEXT NOT NULL,
                updated_at TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3) ON UPDATE CURRENT_TIMESTAMP(3)
            ) ENGINE=InnoDB""", """
            CREATE TABLE IF NOT EXISTS vschema (
                keyspace_name VARCHAR(64) NOT NULL PRIMARY KEY,
                version BIGINT NOT NULL,
                vschema_json LONGTEXT NOT NULL,
                updated_at TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3) ON UPDATE CURRENT_TIMESTAMP(3)
            ) ENGINE=InnoDB""",
            // INSERT IGNORE: two gateways starting together both try; the primary key keeps one row.
            "INSERT IGNORE INTO routing_version (id, version) VALUES (1, 1)",
            "INSERT IGNORE INTO routing_rules (id, version, rules_json) VALUES (1, 0, '{}')");

    /** A vschema row as stored. */
    record VSchemaRow(long version, String json) {
    }

    /** A routing-rules row as stored. */
    record RulesRow(long version, String json) {
    }

    private TopologyTables() {
    }

    static void create(Connection c) throws SQLException {
        try (Statement s = c.createStatement()) {
            for (String sql : CREATE) {
                s.execute(sql);
            }
        }
    }

    static long version(Connection c) throws SQLException {
        return single(c, "SELECT version FROM routing_version WHERE id = 1");
    }

    /**
     * Locks the version row until the transaction ends. Every write transaction starts with this, so writers queue
     * here one at a time and never deadlock on the rows they change after it.
     */
    static long lockVersion(Connection c) throws SQLException {
        return single(c, "SELECT version FROM routing_version WHERE id = 1 FOR UPDATE");
    }

    /** Raises the combined version; call once per write transaction that changed anything. Returns the new one. */
    static long bumpVersion(Connection c) throws SQLException {
        try (Statement s = c.createStatement()) {
            s.executeUpdate("UPDATE routing_version SET version = version + 1 WHERE id = 1");
        }
        return version(c);
    }

    /**
     * The names of the external keyspaces attached through the gateway (the replication module's
     * {@code external_keyspaces} table; none before it exists). Only names: their settings are not routing's business.
     */
    static java.util.List<String> externalKeyspaces(Connection c) throws SQLException {
        java.util.List<String> names = new java.util.ArrayList<>();
        try (Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT name FROM external_keyspaces ORDER BY name")) {
            while (rs.next()) {
                names.add(rs.getString(1));
            }
        } catch (SQLException e) {
            if (e.getErrorCode() != 1146) { // ER_NO_SUCH_TABLE: no external keyspace was ever attached
                throw e;
            }
        }
        return names;
    }

    static RulesRow rules(Connection c) throws SQLException {
        try (Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT version, rules_json FROM routing_rules WHERE id = 1")) {
            if (!rs.next()) {
                throw missingRow("routing_rules");
            }
            return new RulesRow(rs.getLong(1), rs.getString(2));
        }
    }

    /** Writes rules if the stored version is still {@code expected}; returns whether it was. */
    static boolean compareAndSetRules(Connection c, String json, long expected) throws SQLException {
        try (PreparedStatement s = c.prepareStatement(
                "UPDATE routing_rules SET version = version + 1, rules_json = ? WHERE id = 1 AND version = ?")) {
            s.setString(1, json);
            s.setLong(2, expected);
            return s.executeUpdate() == 1;
        }
    }

    /** Every stored vschema by keyspace name. */
    static Map<String, VSchemaRow> vschemas(Connection c) throws SQLException {
        Map<String, VSchemaRow> rows = new LinkedHashMap<>();
        try (Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT keyspace_name, version, vschema_json FROM vschema")) {
            while (rs.next()) {
                rows.put(rs.getString(1), new VSchemaRow(rs.getLong(2), rs.getString(3)));
            }
        }
        return rows;
    }

    static void insertVSchema(Connection c, String keyspace, String json) throws SQLException {
        try (PreparedStatement s = c.prepareStatement(
                "INSERT INTO vschema (keyspace_name, version, vschema_json) VALUES (?, 1, ?)")) {
            s.setString(1, keyspace);
            s.setString(2, json);
            s.executeUpdate();
        }
    }

    /** Writes a keyspace's vschema if its stored version is still {@code expected}; returns whether it was. */
    static boolean compareAndSetVSchema(Connection c, String keyspace, String json, long expected)
            throws SQLException {
        try (PreparedStatement s = c.prepareStatement("UPDATE vschema SET version = version + 1, vschema_json = ?"
                + " WHERE keyspace_name = ? AND version = ?")) {
            s.setString(1, json);
            s.setString(2, keyspace);
            s.setLong(3, expected);
            return s.executeUpdate() == 1;
        }
    }

    private static long single(Connection c, String sql) throws SQLException {
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery(sql)) {
            if (!rs.next()) {
                throw missingRow("routing_version");
            }
            return rs.getLong(1);
        }
    }

    private static TopologyException missingRow(String table) {
        // create() inserts these rows and nothing deletes them; someone emptied the table by hand.
        return new TopologyException("the topology store's " + table + " table has no row id=1; restart a gateway"
                + " to recreate it (it then starts from no rules / version 1)");
    }
}
