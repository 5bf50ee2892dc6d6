package io.switchyard.replication.external;

import io.switchyard.config.BackendTls.Mode;
import io.switchyard.sandbox.MariaDbServer;
import io.switchyard.sandbox.Sandbox;
import io.switchyard.sandbox.Sandboxed;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.security.SecureRandom;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Every validation failure, produced for real on a sandbox MariaDB playing the external database. */
@Sandboxed("ext:0")
class ExternalValidatorIT {
    private static final ExternalValidator VALIDATOR = new ExternalValidator(Duration.ofSeconds(5), new SecureRandom());
    private static final String PASSWORD = "Importer-pw-4711";

    @BeforeAll
    static void schema(Sandbox sandbox) {
        ext(sandbox).execute(
                "CREATE TABLE ext.customer (id BIGINT PRIMARY KEY, email VARCHAR(64)) ENGINE=InnoDB CHARSET=utf8mb4",
                "CREATE TABLE ext.corder (id BIGINT NOT NULL, customer_id BIGINT NOT NULL, UNIQUE KEY (id),"
                        + " FOREIGN KEY fk_customer (customer_id) REFERENCES ext.customer (id)) ENGINE=InnoDB",
                "CREATE TABLE ext.audit (at DATETIME, what TEXT) ENGINE=InnoDB",
                "CREATE TABLE ext.nullable_unique (id INT NULL, UNIQUE KEY (id)) ENGINE=InnoDB",
                "CREATE TABLE ext.legacy (id INT PRIMARY KEY) ENGINE=MyISAM",
                "CREATE TABLE ext.polish (id INT PRIMARY KEY, name VARCHAR(20)) ENGINE=InnoDB CHARSET=latin2",
                "CREATE TABLE ext.`caf\u00e9` (id INT PRIMARY KEY) ENGINE=InnoDB",
                "CREATE VIEW ext.big_customers AS SELECT id FROM ext.customer",
                "CREATE USER 'importer'@'%' IDENTIFIED BY '" + PASSWORD + "'",
                "GRANT REPLICATION SLAVE, REPLICATION CLIENT ON *.* TO 'importer'@'%'",
                "GRANT SELECT, INSERT, UPDATE, DELETE, LOCK TABLES ON ext.* TO 'importer'@'%'",
                "CREATE USER 'reader'@'%' IDENTIFIED BY 'Reader-pw-1'",
                "GRANT SELECT ON ext.* TO 'reader'@'%'");
    }

    @Test
    void schemaProblemsAreSkippableFailuresOnePerTable(Sandbox sandbox) {
        ValidationReport report = VALIDATOR.validate(keyspace(sandbox, "importer", PASSWORD, 8));

        assertEquals("MariaDB", report.flavor());
        assertFalse(report.hasFailures(), report.failures().toString());
        assertTrue(report.foreignKeys());
        assertTrue(report.forcesAllTables());
        assertRow(report, "unique_key", "audit", ValidationResult.Status.SKIPPABLE,
                "Missing unique key: audit has no unique, not-null key, and all tables must have one");
        assertRow(report, "unique_key", "nullable_unique", ValidationResult.Status.SKIPPABLE, "Missing unique key");
        assertRow(report, "engine", "legacy", ValidationResult.Status.SKIPPABLE,
                "Unsupported storage engine: legacy uses MyISAM; only InnoDB is supported. Convert it: ALTER TABLE"
                        + " `legacy` ENGINE=InnoDB");
        assertRow(report, "charset", "polish", ValidationResult.Status.SKIPPABLE,
                "Invalid charset: polish uses latin2; supported are utf8, utf8mb4, utf8mb3, latin1 and ascii");
        assertRow(report, "table_name", "caf\u00e9", ValidationResult.Status.SKIPPABLE,
                "has characters outside the standard ASCII set");
        assertRow(report, "view", "big_customers", ValidationResult.Status.PASS,
                "Views are detected but won't be imported: big_customers is a view");
        assertRow(report, "foreign_key", "corder", ValidationResult.Status.PASS,
                "references customer: all tables will be replicated due to foreign key constraints usage");
        // Tables without problems get no row of their own, and a unique key over NOT NULL columns counts.
        assertTrue(report.results().stream().noneMatch(r -> r.table().equals(Optional.of("customer"))));
        assertTrue(report.results().stream().noneMatch(r -> r.table().equals(Optional.of("corder"))
                && !r.check().equals("foreign_key")));
        assertRow(report, "grants", null, ValidationResult.Status.PASS, "'importer'@'%' has REPLICATION SLAVE");
        assertRow(report, "connectivity", null, ValidationResult.Status.PASS, "without TLS");
        assertRow(report, "binlog_format", null, ValidationResult.Status.PASS, "binlog_format is ROW");
        assertRow(report, "schema", null, ValidationResult.Status.PASS, "7 table(s) in ext, 5 with compatibility");
    }

    @Test
    void aUserWithOnlySelectLacksGrants(Sandbox sandbox) {
        ValidationReport report = VALIDATOR.validate(keyspace(sandbox, "reader", "Reader-pw-1", 8));
        assertRow(report, "grants", null, ValidationResult.Status.FAIL, "external database does not have the"
                + " required user grants: required privileges [REPLICATION SLAVE, REPLICATION CLIENT, INSERT, UPDATE,"
                + " DELETE, LOCK TABLES] are not present for 'reader'@'%'; run GRANT REPLICATION SLAVE, REPLICATION"
                + " CLIENT ON *.* TO 'reader'@'%'; GRANT INSERT, UPDATE, DELETE, LOCK TABLES ON `ext`.* TO"
                + " 'reader'@'%'");
        assertTrue(report.hasFailures());
    }

    @Test
    void serverSettingsThatBreakReplicationAreHardFailures(Sandbox sandbox) {
        MariaDbServer ext = ext(sandbox);
        String sqlMode = ext.query("SELECT @@GLOBAL.sql_mode").get(0).get(0);
        ext.execute("SET GLOBAL binlog_format = 'STATEMENT'", "SET GLOBAL binlog_row_image = 'MINIMAL'",
                "SET GLOBAL binlog_expire_logs_seconds = 3600",
                "SET GLOBAL sql_mode = CONCAT(@@GLOBAL.sql_mode, ',ANSI_QUOTES')");
        try {
            ValidationReport report = VALIDATOR.validate(keyspace(sandbox, "importer", PASSWORD, 8));
            assertRow(report, "binlog_format", null, ValidationResult.Status.FAIL, "external database settings are"
                    + " not compatible: \"binlog_format\" must be \"ROW\", but found: \"STATEMENT\"; set"
                    + " binlog_format=ROW in the server's config");
            assertRow(report, "binlog_row_image", null, ValidationResult.Status.FAIL,
                    "\"binlog_row_image\" must be \"FULL\", but found: \"MINIMAL\"");
            assertRow(report, "binlog_retention", null, ValidationResult.Status.FAIL,
                    "\"binlog_expire_logs_seconds\" must be > 172800, but found: \"3600\"");
            assertRow(report, "sql_mode", null, ValidationResult.Status.FAIL,
                    "\"sql_mode\" cannot have \"ANSI_QUOTES\" enabled");
            assertEquals(4, report.failures().size(), report.failures().toString());
        } finally {
            ext.execute("SET GLOBAL binlog_format = 'ROW'", "SET GLOBAL binlog_row_image = 'FULL'",
                    "SET GLOBAL binlog_expire_logs_seconds = 259200",
                    "SET GLOBAL sql_mode = '" + sqlMode + "'");
        }
    }

    @Test
    void tooFewConnectionsForTheImportFail(Sandbox sandbox) {
        ValidationReport report = VALIDATOR.validate(keyspace(sandbox, "importer", PASSWORD, 100));
        assertRow(report, "max_connections", null, ValidationResult.Status.PASS, "max_connections is 500");
        ext(sandbox).execute("SET GLOBAL max_connections = 50");
        try {
            ValidationReport few = VALIDATOR.validate(keyspace(sandbox, "importer", PASSWORD, 100));
            assertRow(few, "max_connections", null, ValidationResult.Status.FAIL, "\"max_connections\" is 50, but"
                    + " IMPORT CONNECTIONS 100 plus 10 for replication, verification and traffic need 110; raise"
                    + " max_connections on the server or lower IMPORT CONNECTIONS");
        } finally {
            ext(sandbox).execute("SET GLOBAL max_connections = 500");
        }
    }

    @Test
    void anUnreachableServerIsOneConnectivityFailure(Sandbox sandbox) {
        ValidationReport report = VALIDATOR.validate(new ExternalKeyspace("ext", "127.0.0.1", 1, "ext", "importer",
                new ExternalAuth.Password(PASSWORD), Mode.DISABLED, Optional.empty(), Optional.empty(),
                Optional.empty(), 8, List.of()));
        assertEquals(1, report.results().size());
        assertRow(report, "connectivity", null, ValidationResult.Status.FAIL,
                "cannot connect to external keyspace ext at 127.0.0.1:1");
        assertRow(report, "connectivity", null, ValidationResult.Status.FAIL, "check HOST, PORT");

        ValidationReport denied = VALIDATOR.validate(keyspace(sandbox, "importer", "wrong-" + PASSWORD, 8));
        assertRow(denied, "connectivity", null, ValidationResult.Status.FAIL,
                "access denied for user 'importer': check the user name and password");
        assertFalse(denied.results().get(0).message().contains(PASSWORD));
    }

    private static void assertRow(ValidationReport report, String check, String table, ValidationResult.Status status,
                                  String messagePart) {
        List<ValidationResult> rows = report.results().stream()
                .filter(r -> r.check().equals(check) && r.table().equals(Optional.ofNullable(table))).toList();
        assertEquals(1, rows.size(), check + "/" + table + " in " + report.results());
        assertEquals(status, rows.get(0).status(), rows.get(0).toString());
        assertTrue(rows.get(0).message().contains(messagePart), rows.get(0).message());
    }

    private static ExternalKeyspace keyspace(Sandbox sandbox, String user, String password, int connections) {
        return new ExternalKeyspace("ext", "127.0.0.1", ext(sandbox).port(), "ext", user,
                new ExternalAuth.Password(password), Mode.DISABLED, Optional.empty(), Optional.empty(),
                Optional.empty(), connections, List.of());
    }

    private static MariaDbServer ext(Sandbox sandbox) {
        return sandbox.primary("ext", "0");
    }
}
