package io.switchyard.admin.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;

class ExternalViewsTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void validationMarksFailures() throws Exception {
        assertEquals("""
                   CHECK          TABLE  STATUS     MESSAGE
                   connectivity   -      pass       connected (TLS off)
                !  binlog_format  -      FAIL       "binlog_format" must be "ROW"
                   unique_key     audit  skippable  Missing unique key

                1 check(s) FAILED: binlog_format; 1 skippable.
                """, ExternalViews.validation(JSON.readTree("""
                [{"check": "connectivity", "table": null, "status": "pass", "message": "connected (TLS off)"},
                 {"check": "binlog_format", "table": null, "status": "fail",
                  "message": "\\"binlog_format\\" must be \\"ROW\\""},
                 {"check": "unique_key", "table": "audit", "status": "skippable", "message": "Missing unique key"}]
                """)));
        assertEquals("  CHECK    TABLE  STATUS  MESSAGE\n  log_bin  -      pass    ON\n\nAll hard checks passed.\n",
                ExternalViews.validation(JSON.readTree("""
                [{"check": "log_bin", "status": "pass", "message": "ON"}]""")));
    }

    @Test
    void aRefusedCreateListsItsFailedChecks() {
        assertEquals(Optional.of("""
                external keyspace legacy was not created: 2 check(s) failed:
                   CHECK          STATUS  MESSAGE
                !  binlog_format  FAIL    "binlog_format" must be "ROW", but found: "STATEMENT"; set binlog_format=ROW
                !  grants         FAIL    required privileges [REPLICATION SLAVE] are not present for 'u'@'%'

                Nothing was stored. Fix the failures and run create again, or add --skip-validation to store it anyway.
                """), ExternalViews.refused("Incorrect arguments to external keyspace legacy was not created: 2"
                + " check(s) failed: [binlog_format] \"binlog_format\" must be \"ROW\", but found: \"STATEMENT\"; set"
                + " binlog_format=ROW | [grants] required privileges [REPLICATION SLAVE] are not present for 'u'@'%'."
                + " Fix them and run CREATE EXTERNAL KEYSPACE again, or add SKIP VALIDATION to store it anyway"));
        assertEquals(Optional.empty(), ExternalViews.refused("Incorrect arguments to SSL MODE 'STRICT' is not a"
                + " mode"));
    }

    @Test
    void listAndShow() throws Exception {
        assertEquals("No external keyspaces.\n", ExternalViews.list(JSON.readTree("[]")));
        String listed = ExternalViews.list(JSON.readTree("""
                [{"name": "legacy", "host": "10.0.0.7", "port": 3306, "database": "shop", "user": "importer",
                  "auth": "password", "ssl_mode": "REQUIRED", "replicas": ["10.0.0.8:3306", "10.0.0.9:3306"]}]"""));
        assertEquals("""
                NAME    HOST      PORT  DATABASE  USER      AUTH      SSL MODE  REPLICAS
                legacy  10.0.0.7  3306  shop      importer  password  REQUIRED  10.0.0.8:3306,10.0.0.9:3306
                """, listed);
        String shown = ExternalViews.show(JSON.readTree("""
                {"name": "legacy", "host": "10.0.0.7", "port": 3306, "database": "shop", "user": "importer",
                 "auth": "password", "ssl_mode": "REQUIRED", "ssl_ca": "no", "tls_min_version": null,
                 "import_connections": 8, "replicas": []}"""));
        assertEquals("""
                Name:            legacy
                Host:            10.0.0.7:3306
                Database:        shop
                User:            importer
                Auth:            password
                SSL mode:        REQUIRED
                SSL CA:          no
                TLS min version: -
                SSL server name: -
                Import conns:    8
                Replicas:        -
                """, shown);
    }
}
