package io.switchyard.replication.binlog;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class MariaDbGtidPositionTest {
    @Test
    void parsesAndFormatsCanonically() {
        MariaDbGtidPosition p = MariaDbGtidPosition.parse(" 1-200-7 , 0-100-5");
        assertEquals("0-100-5,1-200-7", p.toString());
        assertEquals(List.of(new MariaDbGtidPosition.Gtid(0, 100, 5), new MariaDbGtidPosition.Gtid(1, 200, 7)),
                p.gtids());
        assertEquals(p, MariaDbGtidPosition.parse(p.toString()));
    }

    @Test
    void emptyStringIsTheEmptyPosition() {
        assertTrue(MariaDbGtidPosition.parse("").isEmpty());
        assertEquals("", MariaDbGtidPosition.empty().toString());
        assertEquals("0-1-1", MariaDbGtidPosition.empty().advance(0, 1, 1).toString());
    }

    @Test
    void advanceReplacesTheDomainEntryAndKeepsOthers() {
        MariaDbGtidPosition p = MariaDbGtidPosition.parse("0-100-5,1-200-7");
        assertEquals("0-101-6,1-200-7", p.advance(0, 101, 6).toString());
        assertEquals("0-100-5,1-200-8", p.advance(1, 200, 8).toString());
        assertEquals("0-100-5,1-200-7,5-9-1", p.advance(5, 9, 1).toString());
        assertEquals("0-100-5,1-200-7", p.toString(), "immutable");
    }

    @Test
    void sequenceUsesTheFullUnsigned64BitRange() {
        assertEquals("0-1-18446744073709551615", MariaDbGtidPosition.parse("0-1-18446744073709551615").toString());
    }

    @Test
    void rejectsMalformedPositionsNamingTheBadPart() {
        assertEquals("MariaDB GTID \"0-100\" in \"0-100\" is not domain-server-sequence",
                assertThrows(IllegalArgumentException.class, () -> MariaDbGtidPosition.parse("0-100")).getMessage());
        assertEquals("MariaDB GTID \"0-x-5\" in \"0-x-5\" has a part that is not a number",
                assertThrows(IllegalArgumentException.class, () -> MariaDbGtidPosition.parse("0-x-5")).getMessage());
        assertEquals("MariaDB GTID position \"0-1-1,0-2-2\" names domain 0 twice",
                assertThrows(IllegalArgumentException.class, () -> MariaDbGtidPosition.parse("0-1-1,0-2-2"))
                        .getMessage());
        assertThrows(IllegalArgumentException.class, () -> MariaDbGtidPosition.parse("3e11fa47-71ca:1-5"));
        assertThrows(IllegalArgumentException.class, () -> MariaDbGtidPosition.parse("4294967296-1-1"));
        assertThrows(IllegalArgumentException.class, () -> MariaDbGtidPosition.parse(null));
    }
}
