package io.switchyard.replication.binlog;

import org.junit.jupiter.api.Test;

import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.util.BitSet;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

class ValueNormalizerTest {
    private static ColumnInfo col(String dataType, String columnType, String charset) {
        return new ColumnInfo("c", dataType, columnType, charset);
    }

    @Test
    void unsignedIntegersAreWidened() {
        assertEquals(255, ValueNormalizer.normalize(col("tinyint", "tinyint(3) unsigned", null), -1));
        assertEquals(-1, ValueNormalizer.normalize(col("tinyint", "tinyint(4)", null), -1));
        assertEquals(-1, ValueNormalizer.normalize(col("int", "int(11)", null), -1));
        assertEquals(4294967295L, ValueNormalizer.normalize(col("int", "int(10) unsigned", null), -1));
        assertEquals(new BigInteger("18446744073709551615"),
                ValueNormalizer.normalize(col("bigint", "bigint(20) unsigned", null), -1L));
    }

    @Test
    void textUsesTheColumnCharset() {
        byte[] latin1 = {(byte) 0xe9, (byte) 0x80};
        assertEquals("é€", ValueNormalizer.normalize(col("varchar", "varchar(5)", "latin1"), latin1));
        assertEquals("😀", ValueNormalizer.normalize(col("text", "text", "utf8mb4"),
                "😀".getBytes(StandardCharsets.UTF_8)));
    }

    @Test
    void enumAndSetBecomeLabels() {
        ColumnInfo e = col("enum", "enum('a','it''s','c')", "utf8mb4");
        assertEquals(List.of("a", "it's", "c"), e.labels());
        assertEquals("it's", ValueNormalizer.normalize(e, 2));
        assertEquals("a,c", ValueNormalizer.normalize(col("set", "set('a','b','c')", "utf8mb4"), 5L));
        assertThrows(BinlogStreamException.class, () -> ValueNormalizer.normalize(e, 4));
    }

    @Test
    void temporalValuesKeepMicroseconds() {
        assertEquals(LocalDateTime.of(2024, 2, 29, 23, 59, 58, 123_456_000),
                ValueNormalizer.normalize(col("datetime", "datetime(6)", null), 1_709_251_198_123_456L));
        assertEquals(LocalDate.of(1969, 12, 31),
                ValueNormalizer.normalize(col("date", "date", null), -86_400_000_000L));
        assertEquals("838:59:59.5", ValueNormalizer.normalize(col("time", "time(1)", null),
                (838 * 3600L + 59 * 60 + 59) * 1_000_000 + 500_000).toString().replace("500000", "5"));
        assertEquals("0000-00-00 00:00:00",
                ValueNormalizer.normalize(col("datetime", "datetime", null), Long.MIN_VALUE));
    }

    @Test
    void bitsNullsAndUnknownTypes() {
        BitSet bits = new BitSet();
        bits.set(0);
        bits.set(3);
        assertEquals(9L, ValueNormalizer.normalize(col("bit", "bit(4)", null), bits));
        assertNull(ValueNormalizer.normalize(col("int", "int(11)", null), null));
        assertThrows(BinlogStreamException.class,
                () -> ValueNormalizer.normalize(col("inet6", "inet6", null), new byte[16]));
    }
}
