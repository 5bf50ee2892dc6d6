package io.switchyard.replication.binlog;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Position comparisons in both flavours, with positions as the servers print them. */
class GtidPositionsTest {
    private static final String A = "3e11fa47-71ca-11e1-9e33-c80aa9429562";
    private static final String B = "4f22fb58-82db-22f2-af44-d91bb0530673";

    @Test
    void mariaDbPositionsCompareDomainByDomain() {
        assertTrue(GtidPositions.atOrBefore("0-100-5", "0-100-7"));
        assertFalse(GtidPositions.atOrBefore("0-100-7", "0-100-5"));
        assertTrue(GtidPositions.atOrBefore("0-100-5", "0-100-5,1-200-3"));
        assertFalse(GtidPositions.atOrBefore("0-100-5,1-200-3", "0-100-9"), "domain 1 is unknown to the second");
        assertTrue(GtidPositions.same("0-100-5,1-200-3", "1-200-3,0-100-5"));
        assertTrue(GtidPositions.atOrBefore("", "0-1-1"), "the empty position is before everything");
    }

    @Test
    void mySqlSetsCompareByContainment() {
        assertFalse(GtidPositions.isMySql("0-1-2"));
        assertTrue(GtidPositions.isMySql(A + ":1-5"));
        assertTrue(GtidPositions.atOrBefore(A + ":1-5", A + ":1-9"));
        assertFalse(GtidPositions.atOrBefore(A + ":1-9", A + ":1-5"));
        assertTrue(GtidPositions.atOrBefore(A + ":1-5", A + ":1-5," + B + ":1-2"));
        assertFalse(GtidPositions.atOrBefore(A + ":1-5," + B + ":1-2", A + ":1-9"));
        assertFalse(GtidPositions.atOrBefore(A + ":1-3:5", A + ":1-4"), "a gap is not covered");
        assertTrue(GtidPositions.same(A + ":1-3:4-5", A + ":1-5"));
    }

    @Test
    void flavourFromTheServerVersion() {
        assertEquals(Flavor.MARIADB, Flavor.of("10.11.19-MariaDB-0+deb12u1"));
        assertEquals(Flavor.MARIADB, Flavor.of("5.5.5-10.11.6-MariaDB"));
        assertEquals(Flavor.MYSQL, Flavor.of("8.0.36"));
        assertEquals(Flavor.MYSQL, Flavor.of("8.4.0-commercial"));
        assertEquals("SELECT @@global.gtid_executed", Flavor.MYSQL.positionQuery());
    }
}
