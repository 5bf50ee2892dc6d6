package io.switchyard.replication.verify;

import org.junit.jupiter.api.Test;

import static io.switchyard.replication.verify.DiffColumn.Kind.BINARY;
import static io.switchyard.replication.verify.DiffColumn.Kind.BITS;
import static io.switchyard.replication.verify.DiffColumn.Kind.DECIMAL;
import static io.switchyard.replication.verify.DiffColumn.Kind.INTEGER;
import static io.switchyard.replication.verify.DiffColumn.Kind.JSON;
import static io.switchyard.replication.verify.DiffColumn.Kind.LONG_TEXT;
import static io.switchyard.replication.verify.DiffColumn.Kind.ORDINAL;
import static io.switchyard.replication.verify.DiffColumn.Kind.REAL;
import static io.switchyard.replication.verify.DiffColumn.Kind.TEMPORAL;
import static io.switchyard.replication.verify.DiffColumn.Kind.TEXT;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class DiffColumnTest {
    @Test
    void mapsMariaDbDataTypesToKinds() {
        assertEquals(INTEGER, DiffColumn.kindOf("BIGINT", false));
        assertEquals(INTEGER, DiffColumn.kindOf("year", false));
        assertEquals(DECIMAL, DiffColumn.kindOf("decimal", false));
        assertEquals(REAL, DiffColumn.kindOf("double", false));
        assertEquals(TEMPORAL, DiffColumn.kindOf("time", false));
        assertEquals(ORDINAL, DiffColumn.kindOf("set", false));
        assertEquals(BITS, DiffColumn.kindOf("bit", false));
        assertEquals(BINARY, DiffColumn.kindOf("mediumblob", false));
        assertEquals(TEXT, DiffColumn.kindOf("varchar", false));
        assertEquals(LONG_TEXT, DiffColumn.kindOf("longtext", false));
        assertEquals(JSON, DiffColumn.kindOf("longtext", true));
    }

    @Test
    void padSpaceKeysOrderByWeightsPaddedToTheColumnLength() {
        DiffColumn padded = new DiffColumn("name", TEXT, "utf8mb4_general_ci", "utf8mb4", 20);
        DiffColumn noPad = new DiffColumn("name", TEXT, "utf8mb4_nopad_bin", "utf8mb4", 20);
        assertEquals("WEIGHT_STRING(`name` AS CHAR(20))", padded.orderingExpression());
        assertEquals("WEIGHT_STRING(`name`)", noPad.orderingExpression());
        assertEquals("`we``ird` + 0", new DiffColumn("we`ird", TEMPORAL, null, null, 0).orderingExpression());
        assertFalse(new DiffColumn("id", INTEGER, null, null, 0).hasOrderingExpression());
    }

    @Test
    void enumSetAndBitKeysPageByTheirNumber() {
        DiffColumn kind = new DiffColumn("kind", ORDINAL, null, null, 0);
        assertEquals(2L, kind.boundValue("alpha", 2L));
        assertEquals("eu", new DiffColumn("region", TEXT, "ascii_general_ci", "ascii", 8)
                .boundValue("eu", new byte[] {0x45, 0x55}));
    }

    @Test
    void textBlobsAndFloatsCannotBeKeys() {
        assertFalse(new DiffColumn("f", REAL, null, null, 0).usableAsKey());
        assertFalse(new DiffColumn("t", LONG_TEXT, "utf8mb4_bin", "utf8mb4", 65535).usableAsKey());
        assertTrue(new DiffColumn("b", BINARY, null, null, 0).usableAsKey());
    }
}
