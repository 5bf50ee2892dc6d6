package io.switchyard.replication.verify;

import org.junit.jupiter.api.Test;

import java.math.BigDecimal;
import java.math.BigInteger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class KeyOrderTest {
    @Test
    void ordersNumbersByValueAcrossJavaTypes() {
        assertTrue(KeyOrder.compareValues(-1L, 2L) < 0);
        assertTrue(KeyOrder.compareValues(Long.MAX_VALUE, new BigInteger("18446744073709551615")) < 0);
        assertEquals(0, KeyOrder.compareValues(new BigDecimal("1.50"), new BigDecimal("1.5")));
        assertTrue(KeyOrder.compareValues(new BigDecimal("-10000"), new BigDecimal("-5959")) < 0, "TIME + 0");
    }

    @Test
    void ordersBytesUnsignedThenByLength() {
        assertTrue(KeyOrder.compareValues(new byte[] {0x7f}, new byte[] {(byte) 0x80}) < 0);
        assertTrue(KeyOrder.compareValues(new byte[] {'a'}, new byte[] {'a', 0}) < 0);
        assertEquals(0, KeyOrder.compareValues(new byte[] {1, 2}, new byte[] {1, 2}));
    }

    @Test
    void comparesCompositeKeysColumnByColumn() {
        Object[] a = {1L, new byte[] {'b'}};
        Object[] b = {1L, new byte[] {'c'}};
        Object[] c = {2L, new byte[] {'a'}};
        assertTrue(KeyOrder.INSTANCE.compare(a, b) < 0);
        assertTrue(KeyOrder.INSTANCE.compare(b, c) < 0);
        assertEquals(0, KeyOrder.INSTANCE.compare(a, new Object[] {1L, new byte[] {'b'}}));
    }
}
