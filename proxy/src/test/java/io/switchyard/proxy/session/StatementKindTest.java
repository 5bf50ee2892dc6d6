package io.switchyard.proxy.session;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class StatementKindTest {
    @Test
    void readsTheFirstKeywordPastComments() {
        assertEquals(StatementKind.SELECT, StatementKind.of("  /* hint */ select 1"));
        assertEquals(StatementKind.INSERT, StatementKind.of("-- note\nINSERT INTO t VALUES (1)"));
        assertEquals(StatementKind.UPDATE, StatementKind.of("# mysql comment\n update t set a = 1"));
        assertEquals(StatementKind.BEGIN, StatementKind.of("START TRANSACTION READ ONLY"));
        assertEquals(StatementKind.SET, StatementKind.of("SET NAMES utf8mb4"));
        assertEquals(StatementKind.USE, StatementKind.of("use `commerce@replica`"));
        assertEquals(StatementKind.DDL, StatementKind.of("create table t (id int)"));
        assertEquals(StatementKind.SELECT, StatementKind.of("(select 1) union (select 2)"));
        assertEquals(StatementKind.OTHER, StatementKind.of(""));
        assertEquals(StatementKind.OTHER, StatementKind.of("/*!40101 SET NAMES utf8 */"));
    }

    @Test
    void splitsOffTheArgument() {
        assertEquals("`commerce@replica`", SqlText.afterFirstKeyword(" USE  `commerce@replica` ;"));
        assertEquals("QUERY 42", SqlText.afterFirstKeyword("kill QUERY 42"));
    }

    @Test
    void findsWholeWordsOnly() {
        assertTrue(SqlText.containsWord("select get_lock('a', 1)", "GET_LOCK"));
        assertFalse(SqlText.containsWord("select my_get_lock_x from t", "GET_LOCK"));
        assertTrue(SqlText.containsWord("CREATE TEMPORARY TABLE x (a int)", "temporary"));
    }
}
