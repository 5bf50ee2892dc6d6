package io.switchyard.replication.external;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;

class GrantsTest {

    @Test
    void mariaDbNamesAndDatabaseGrants() {
        Grants grants = Grants.parse(List.of(
                "GRANT BINLOG MONITOR, REPLICATION SLAVE ON *.* TO `importer`@`%` IDENTIFIED BY PASSWORD '*ABC'",
                "GRANT SELECT, INSERT, UPDATE, DELETE, LOCK TABLES ON `legacy`.* TO `importer`@`%`"), "legacy");
        assertEquals(List.of(), grants.missingGlobal(false));
        assertEquals(List.of("RELOAD"), grants.missingGlobal(true));
        assertEquals(List.of(), grants.missingOnDatabase());
    }

    @Test
    void allPrivilegesWildcardsAndAnsiQuotes() {
        assertEquals(List.of(), Grants.parse(List.of("GRANT ALL PRIVILEGES ON *.* TO 'root'@'%' WITH GRANT OPTION"),
                "x").missingOnDatabase());
        Grants pattern = Grants.parse(List.of("GRANT ALL ON \"leg\\_%\".* TO \"u\"@\"%\""), "leg_acy");
        assertEquals(List.of(), pattern.missingOnDatabase());
        assertEquals(List.of("SELECT", "INSERT", "UPDATE", "DELETE", "LOCK TABLES"),
                Grants.parse(List.of("GRANT ALL ON `leg\\_%`.* TO `u`@`%`"), "legXacy").missingOnDatabase());
    }

    @Test
    void tableColumnAndRoleGrantsDoNotCount() {
        Grants grants = Grants.parse(List.of(
                "GRANT USAGE ON *.* TO `u`@`%`",
                "GRANT SELECT (id, name), INSERT ON `legacy`.`t` TO `u`@`%`",
                "GRANT `importer_role` TO `u`@`%`",
                "GRANT SELECT ON `other`.* TO `u`@`%`"), "legacy");
        assertEquals(List.of("REPLICATION SLAVE", "REPLICATION CLIENT"), grants.missingGlobal(false));
        assertEquals(List.of("SELECT", "INSERT", "UPDATE", "DELETE", "LOCK TABLES"), grants.missingOnDatabase());
    }

    @Test
    void mysqlAcceptsFlushTablesForReload() {
        assertEquals(List.of(), Grants.parse(List.of("GRANT REPLICATION SLAVE, REPLICATION CLIENT, FLUSH_TABLES ON"
                + " *.* TO `u`@`%`"), "d").missingGlobal(true));
    }
}
