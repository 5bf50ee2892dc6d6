package io.switchyard.replication.copy;

import org.junit.jupiter.api.Test;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class LastPkTest {
    @Test
    void jsonKeepsEveryValueTypeExactly() {
        LastPk key = new LastPk(List.of("a", "b", "c", "d", "e"), List.of(42L,
                new BigInteger("18446744073709551615"), new BigDecimal("-12.3400"), new byte[] {0, (byte) 0xff},
                "é 🚀 \"quoted\""));

        LastPk parsed = LastPk.fromJson(key.toJson());

        assertEquals(key, parsed);
        assertEquals(42L, parsed.values().get(0));
        assertEquals(new BigInteger("18446744073709551615"), parsed.values().get(1));
        assertEquals(new BigDecimal("-12.3400"), parsed.values().get(2));
        assertArrayEquals(new byte[] {0, (byte) 0xff}, (byte[]) parsed.values().get(3));
        assertEquals("é 🚀 \"quoted\"", parsed.values().get(4));
    }

    @Test
    void integersThatFitALongParseAsLong() {
        assertEquals(Long.MAX_VALUE, ColumnKind.parseInteger(Long.toString(Long.MAX_VALUE)));
        assertEquals(Long.MIN_VALUE, ColumnKind.parseInteger(Long.toString(Long.MIN_VALUE)));
        assertEquals(new BigInteger("9223372036854775808"), ColumnKind.parseInteger("9223372036854775808"));
    }

    @Test
    void rejectsMismatchedColumnsAndValuesAndBadJson() {
        assertThrows(IllegalArgumentException.class, () -> new LastPk(List.of("a", "b"), List.of(1L)));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> LastPk.fromJson("{\"x\":1}"));
        assertTrue(e.getMessage().contains("not a lastpk"), e.getMessage());
    }
}
