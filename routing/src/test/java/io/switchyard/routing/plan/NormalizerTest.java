package io.switchyard.routing.plan;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.switchyard.routing.plan.Normalizer.NormalizedSql;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Literal extraction for the plan-cache key. */
class NormalizerTest {

    private static List<Object> values(NormalizedSql normalized) {
        return normalized.values().stream().map(v -> v == null ? "?" : v.value()).toList();
    }

    @Test
    void valuePositionsBecomeBindVariables() {
        NormalizedSql n = Normalizer.normalize("select * from t where a = 1 and b in (2, 'x', -3) and c like 'p%'"
                + " and d > 1.5 order by 1 limit 10;");
        assertEquals("select * from t where a = :v0 and b in (:v1, :v2, :v3) and c like :v4 and d > :v5 order by 1"
                + " limit 10", n.text());
        assertEquals(List.of(1L, 2L, "x", -3L, "p%", new BigDecimal("1.5")), values(n));
        assertEquals("-3", n.values().get(3).sql());
        assertEquals(StatementKind.SELECT, n.kind());
    }

    @Test
    void valuesRowsAndPlaceholders() {
        NormalizedSql n = Normalizer.normalize("INSERT INTO t (a, b, c) VALUES (?, 'it''s', now()),"
                + " (18446744073709551615, \"q\\\"\", ?) ON DUPLICATE KEY UPDATE c = 5");
        assertEquals("INSERT INTO t (a, b, c) VALUES (:v0, :v1, now()), (:v2, :v3, :v4) ON DUPLICATE KEY UPDATE"
                + " c = :v5", n.text());
        assertEquals(List.of("?", "it's", new BigInteger("18446744073709551615"), "q\"", "?", 5L), values(n));
        assertEquals(List.of(0, 4), n.parameters());
    }

    @Test
    void structuralLiteralsStayInTheKey() {
        NormalizedSql n = Normalizer.normalize("select cast(a as char(10)), substr(b, 1, 2), x'41', 0x41"
                + " from t where d = date '2024-01-01' group by 1 order by 2 desc limit 5, 10 # trailing");
        assertEquals("select cast(a as char(10)), substr(b, 1, 2), x'41', 0x41 from t where d = date '2024-01-01'"
                + " group by 1 order by 2 desc limit 5, 10", n.text());
        assertEquals(List.of(), n.values());
    }

    @Test
    void otherStatementsAreLeftAlone() {
        NormalizedSql n = Normalizer.normalize("ALTER TABLE t ADD COLUMN c INT DEFAULT 5 COMMENT = 'x'");
        assertEquals("ALTER TABLE t ADD COLUMN c INT DEFAULT 5 COMMENT = 'x'", n.text());
        assertEquals(StatementKind.DDL, n.kind());
        assertEquals(StatementKind.TRANSACTION, Normalizer.normalize("  START TRANSACTION").kind());
        assertEquals(StatementKind.SELECT, Normalizer.normalize("/* hint */ (select 1)").kind());
    }

    @Test
    void bindVariablesRenderTheOriginalText() {
        NormalizedSql n = Normalizer.normalize("select * from t where a = 'x\\'y' and b = 007");
        assertEquals("select * from t where a = 'x\\'y' and b = 007", SqlTemplate.parse(n.text()).render(n.values()));
        assertEquals(List.of("x'y", 7L), values(n));
    }

    @Test
    void literalsTouchingKeywordsStaySeparate() {
        NormalizedSql n = Normalizer.normalize("select * from t where a='x'and b=1");
        assertEquals("select * from t where a=:v0 and b=:v1", n.text());
    }

    @Test
    void markersWrittenByTheClientAreFlagged() {
        assertEquals(":v1", Normalizer.normalize("select :v1 from t").foreignMarker());
        assertEquals(null, Normalizer.normalize("select a := 1, ':v1' from t").foreignMarker());
    }
}
