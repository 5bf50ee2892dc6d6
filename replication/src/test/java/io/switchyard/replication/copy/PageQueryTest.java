package io.switchyard.replication.copy;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;

class PageQueryTest {
    private static final SourceTable TABLE = new SourceTable("commerce", "t", List.of(
            new SourceTable.Column("region", ColumnKind.TEXT),
            new SourceTable.Column("v", ColumnKind.BINARY),
            new SourceTable.Column("id", ColumnKind.INTEGER)), List.of(0, 2));

    @Test
    void firstPageHasNoKeyPredicate() {
        assertEquals("SELECT `region`, `v`, `id` FROM `commerce`.`t` ORDER BY `region`, `id` LIMIT 100",
                new PageQuery(TABLE, 100, List.of()).sql(false));
    }

    @Test
    void laterPagesSpellOutTheCompositeKeyComparisonForTheRangeOptimizer() {
        assertEquals("SELECT `region`, `v`, `id` FROM `commerce`.`t`"
                        + " WHERE (`region` > ?) OR (`region` = ? AND `id` > ?) ORDER BY `region`, `id` LIMIT 100",
                new PageQuery(TABLE, 100, List.of()).sql(true));
    }

    @Test
    void skipColumnsCompareWholeKeysOnTheServer() {
        LastPk threshold = new LastPk(List.of("region", "id"), List.of("eu", 7L));
        assertEquals("SELECT `region`, `v`, `id`, (`region`, `id`) <= (?, ?) FROM `commerce`.`t`"
                        + " WHERE (`region` > ?) OR (`region` = ? AND `id` > ?) ORDER BY `region`, `id` LIMIT 5",
                new PageQuery(TABLE, 5, List.of(threshold)).sql(true));
    }
}
