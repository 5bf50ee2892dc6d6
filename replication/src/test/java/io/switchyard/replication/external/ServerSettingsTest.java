package io.switchyard.replication.external;

import org.junit.jupiter.api.Test;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** The server-configuration checks on MySQL-flavour variables (the sandbox only runs MariaDB). */
class ServerSettingsTest {

    /** {@code SHOW GLOBAL VARIABLES} of a stock MySQL 8.0 with binary logging: GTIDs are off by default. */
    private static Map<String, String> mysql80() {
        Map<String, String> v = new HashMap<>();
        v.put("version", "8.0.36");
        v.put("gtid_mode", "OFF");
        v.put("log_bin", "ON");
        v.put("binlog_format", "ROW");
        v.put("binlog_row_image", "FULL");
        v.put("binlog_expire_logs_seconds", "2592000");
        v.put("expire_logs_days", "0");
        v.put("sql_mode", "ONLY_FULL_GROUP_BY,STRICT_TRANS_TABLES,NO_ZERO_IN_DATE,NO_ZERO_DATE,"
                + "ERROR_FOR_DIVISION_BY_ZERO,NO_ENGINE_SUBSTITUTION");
        v.put("max_connections", "151");
        return v;
    }

    @Test
    void flavourFromVersionStrings() {
        assertEquals("MariaDB", ExternalValidator.flavor("10.11.6-MariaDB-log", "Debian 12"));
        assertEquals("MariaDB", ExternalValidator.flavor("5.5.5-10.6.12", "mariadb.org binary distribution"));
        assertEquals("MySQL", ExternalValidator.flavor("8.0.36", "MySQL Community Server - GPL"));
        assertEquals("MySQL", ExternalValidator.flavor("8.0.mysql_aurora.3.05.2", "Source distribution"));
    }

    @Test
    void mysqlNeedsGtidModeOn() {
        List<ValidationResult> rows = ExternalValidator.serverRows(mysql80(), "MySQL", 8);
        assertEquals(List.of("gtid_mode"), rows.stream().filter(r -> r.status() == ValidationResult.Status.FAIL)
                .map(ValidationResult::check).toList());
        assertEquals("external database settings are not compatible: \"gtid_mode\" must be \"ON\", but found: \"OFF\";"
                + " set gtid_mode=ON (with enforce_gtid_consistency=ON) in the server's config; on a running server"
                + " step it through OFF_PERMISSIVE and ON_PERMISSIVE", row(rows, "gtid_mode").message());

        Map<String, String> on = mysql80();
        on.put("gtid_mode", "ON");
        assertEquals(List.of(), ExternalValidator.serverRows(on, "MySQL", 8).stream()
                .filter(r -> r.status() != ValidationResult.Status.PASS).toList());
    }

    @Test
    void retentionPrefersSecondsAndFallsBackToDays() {
        Map<String, String> v = mysql80();
        v.put("gtid_mode", "ON");
        v.put("binlog_expire_logs_seconds", "86400");
        v.put("expire_logs_days", "7");
        assertEquals("external database settings are not compatible: \"binlog_expire_logs_seconds\" must be > 172800,"
                        + " but found: \"86400\"; set binlog_expire_logs_seconds to at least 259200 (3 days): the"
                        + " import reads binlogs from where its copy started, and purged binlogs make it start over",
                row(ExternalValidator.serverRows(v, "MySQL", 8), "binlog_retention").message());

        v.put("binlog_expire_logs_seconds", "0"); // MySQL 5.7 has only expire_logs_days
        v.put("expire_logs_days", "2");
        ValidationResult days = row(ExternalValidator.serverRows(v, "MySQL", 8), "binlog_retention");
        assertEquals(ValidationResult.Status.FAIL, days.status());
        assertEquals(true, days.message().contains("\"expire_logs_days\" must be > 2, but found: \"2.0\""));
        v.put("expire_logs_days", "3");
        assertEquals(ValidationResult.Status.PASS,
                row(ExternalValidator.serverRows(v, "MySQL", 8), "binlog_retention").status());
        v.remove("binlog_expire_logs_seconds");
        v.put("expire_logs_days", "0");
        assertEquals("binlogs are never purged automatically (binlog_expire_logs_seconds and expire_logs_days are 0)",
                row(ExternalValidator.serverRows(v, "MySQL", 8), "binlog_retention").message());
    }

    @Test
    void logBinOffAndMaxConnections() {
        Map<String, String> v = mysql80();
        v.put("log_bin", "OFF");
        assertEquals(ValidationResult.Status.FAIL, row(ExternalValidator.serverRows(v, "MySQL", 8), "log_bin").status());
        assertEquals(ValidationResult.Status.PASS,
                row(ExternalValidator.serverRows(v, "MySQL", 100), "max_connections").status());
        v.put("max_connections", "100");
        assertEquals(ValidationResult.Status.FAIL,
                row(ExternalValidator.serverRows(v, "MySQL", 100), "max_connections").status());
    }

    private static ValidationResult row(List<ValidationResult> rows, String check) {
        return rows.stream().filter(r -> r.check().equals(check)).findFirst().orElseThrow();
    }
}
