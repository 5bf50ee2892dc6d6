package io.switchyard.proxy.codec;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ConstantsTest {

    @Test
    void capabilityNamesForLogs() {
        assertEquals("CLIENT_PROTOCOL_41|CLIENT_SSL",
                Capabilities.names(Capabilities.CLIENT_PROTOCOL_41 | Capabilities.CLIENT_SSL));
        assertEquals("CLIENT_REMEMBER_OPTIONS|MARIADB_CLIENT_CACHE_METADATA|0x8000000000",
                Capabilities.names(Capabilities.CLIENT_REMEMBER_OPTIONS | Capabilities.MARIADB_CLIENT_CACHE_METADATA
                        | 1L << 39));
        assertEquals("0", Capabilities.names(0));
        assertTrue(Capabilities.has(Capabilities.GATEWAY_SERVER_DEFAULT, Capabilities.CLIENT_PLUGIN_AUTH));
        assertFalse(Capabilities.has(Capabilities.GATEWAY_SERVER_DEFAULT, Capabilities.CLIENT_LOCAL_FILES));
        assertFalse(Capabilities.has(Capabilities.GATEWAY_SERVER_DEFAULT, Capabilities.CLIENT_COMPRESS));
        assertEquals(0, Capabilities.GATEWAY_SERVER_DEFAULT >>> 32, "no MariaDB extended capabilities");
    }

    @Test
    void statusNamesForLogs() {
        assertEquals("SERVER_STATUS_IN_TRANS|SERVER_STATUS_AUTOCOMMIT|SERVER_MORE_RESULTS_EXISTS",
                ServerStatus.names(ServerStatus.SERVER_STATUS_IN_TRANS | ServerStatus.SERVER_STATUS_AUTOCOMMIT
                        | ServerStatus.SERVER_MORE_RESULTS_EXISTS));
        assertEquals("0x4", ServerStatus.names(4));
        assertEquals(0x4000, ServerStatus.SERVER_SESSION_STATE_CHANGED);
    }

    @Test
    void commandTypesByWireValue() {
        assertEquals(CommandType.COM_QUERY, CommandType.fromCode(0x03));
        assertEquals(CommandType.COM_RESET_CONNECTION, CommandType.fromCode(0x1F));
        assertEquals(CommandType.COM_STMT_BULK_EXECUTE, CommandType.fromCode(0xFA));
        ProtocolException e = assertThrows(ProtocolException.class, () -> CommandType.fromCode(0x99));
        assertEquals(1047, e.errorCode());
        assertEquals("08S01", e.sqlState());
        assertThrows(ProtocolException.class, () -> CommandType.fromCode(-1));
    }

    @Test
    void columnTypesByWireValue() {
        assertEquals(ColumnType.VAR_STRING, ColumnType.fromCode(0xFD));
        assertEquals(ColumnType.LONGLONG, ColumnType.fromCode(8));
        assertEquals("MYSQL_TYPE_NEWDECIMAL", ColumnType.NEWDECIMAL.mysqlName());
        assertEquals(1835, assertThrows(ProtocolException.class, () -> ColumnType.fromCode(100)).errorCode());
    }

    @Test
    void errorsCarryMySqlCodesStatesAndMessages() {
        assertEquals("Access denied for user 'app'@'10.0.0.1' (using password: YES)",
                MySqlError.ER_ACCESS_DENIED_ERROR.message("app", "10.0.0.1", "YES"));
        ProtocolException e = MySqlError.ER_SPECIFIC_ACCESS_DENIED_ERROR.exception("SUPER");
        assertEquals(1227, e.errorCode());
        assertEquals("42000", e.sqlState());
        assertEquals("Access denied; you need (at least one of) the SUPER privilege(s) for this operation",
                e.getMessage());
        assertEquals("Unknown command", MySqlError.ER_UNKNOWN_COM_ERROR.message());
        assertEquals(1148, MySqlError.ER_NOT_ALLOWED_COMMAND.code());
        assertEquals("70100", MySqlError.ER_QUERY_INTERRUPTED.sqlState());
        assertThrows(IllegalArgumentException.class, () -> new ProtocolException(1, "HY00", "x"));
    }

    @Test
    void collationCharsets() {
        assertEquals(java.nio.charset.StandardCharsets.UTF_8, Collations.javaCharset(Collations.UTF8MB4_0900_AI_CI));
        assertEquals("windows-1252", Collations.javaCharset(Collations.LATIN1_SWEDISH_CI).name());
        assertEquals(63, Collations.BINARY);
    }
}
