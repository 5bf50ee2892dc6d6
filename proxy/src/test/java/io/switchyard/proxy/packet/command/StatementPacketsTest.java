package io.switchyard.proxy.packet.command;

import io.netty.buffer.ByteBuf;
import io.switchyard.proxy.codec.Capabilities;
import io.switchyard.proxy.codec.ColumnType;
import io.switchyard.proxy.codec.Hex;
import io.switchyard.proxy.codec.PacketReader;
import io.switchyard.proxy.codec.ProtocolException;
import io.switchyard.proxy.packet.resultset.MysqlDateTime;
import org.junit.jupiter.api.Test;

import java.util.Arrays;
import java.util.List;

import static io.switchyard.proxy.packet.RoundTrip.encode;
import static io.switchyard.proxy.packet.RoundTrip.golden;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** Prepared-statement packets against the examples of page_protocol_com_stmt_prepare and _execute. */
class StatementPacketsTest {
    private static final long P41 = Capabilities.CLIENT_PROTOCOL_41 | Capabilities.CLIENT_TRANSACTIONS;
    private static final List<ParamType> VARCHAR = List.of(ParamType.of(ColumnType.VARCHAR));

    private static StmtExecute readExecute(String hex, int paramCount, List<ParamType> previous) {
        ByteBuf buf = Hex.buf(hex);
        try {
            PacketReader r = new PacketReader(buf);
            StmtExecute execute = StmtExecute.read(r, P41, paramCount, previous);
            assertFalse(r.hasRemaining());
            return execute;
        } finally {
            buf.release();
        }
    }

    @Test
    void prepareOkFromTheDocumentation() {
        golden("00 01000000 0100 0200 00 0000", StmtPrepareOk.of(1, 1, 2, 0), P41, StmtPrepareOk::read);
        golden("00 01000000 0100 0200 00 0000 01", StmtPrepareOk.of(1, 1, 2, 0),
                P41 | Capabilities.CLIENT_OPTIONAL_RESULTSET_METADATA, StmtPrepareOk::read);
        assertEquals(9, StmtPrepareOk.of(1, 1, 2, 0).withStatementId(9).statementId());
    }

    @Test
    void executeFromTheDocumentation() {
        StmtExecute expected = new StmtExecute(1, 0, 1, true, VARCHAR, List.of("foo".getBytes()));
        golden("17 01000000 00 01000000 00 01 0f00 03666f6f", expected, P41,
                (r, c) -> StmtExecute.read(r, c, 1, List.of()));
    }

    @Test
    void executeWithoutTypesUsesThePreviousOnesAndReencodesThemForANewBackendStatement() {
        StmtExecute execute = readExecute("17 01000000 00 01000000 00 00 03666f6f", 1, VARCHAR);
        assertEquals(VARCHAR, execute.paramTypes());
        assertFalse(execute.newParamsBound());
        assertEquals(Hex.compact("17 07000000 00 01000000 00 01 0f00 03666f6f"), encode(
                execute.withStatementId(7).withNewParamsBound(true), P41, (r, c) -> StmtExecute.read(r, c, 1,
                List.of())));
    }

    @Test
    void executeWithoutTypesThatWereNeverSentIsRefused() {
        ProtocolException e = assertThrows(ProtocolException.class,
                () -> readExecute("17 01000000 00 01000000 00 00 03666f6f", 1, List.of()));
        assertEquals(1210, e.errorCode());
        assertEquals("Incorrect arguments to mysqld_stmt_execute", e.getMessage());
    }

    @Test
    void executeWithNullsUnsignedAndTemporalParameters() {
        List<ParamType> types = List.of(new ParamType(ColumnType.LONGLONG, true), ParamType.of(ColumnType.VARCHAR),
                ParamType.of(ColumnType.DATETIME));
        StmtExecute expected = new StmtExecute(2, StmtExecute.CURSOR_TYPE_READ_ONLY, 1, true, types,
                Arrays.asList(-1L, null, new MysqlDateTime(2024, 1, 2, 3, 4, 5, 0)));
        golden("17 02000000 01 01000000 02 01 0880 0f00 0c00 ffffffffffffffff 07e8070102030405", expected, P41,
                (r, c) -> StmtExecute.read(r, c, 3, List.of()));
    }

    @Test
    void executeWithoutParameters() {
        golden("17 05000000 00 01000000", new StmtExecute(5, 0, 1, false, List.of(), List.of()), P41,
                (r, c) -> StmtExecute.read(r, c, 0, List.of()));
    }

    @Test
    void queryAttributesAreNotSupported() {
        assertThrows(UnsupportedOperationException.class, () -> StmtExecute.read(null,
                Capabilities.CLIENT_QUERY_ATTRIBUTES, 0, List.of()));
    }

    @Test
    void statementIdsArePatchedInPlace() {
        ByteBuf close = Hex.buf("19 01000000");
        ByteBuf execute = Hex.buf("17 01000000 00 01000000");
        ByteBuf query = Hex.buf("03 73656c6563742031");
        try {
            assertEquals(1, StatementIds.read(close));
            StatementIds.rewrite(close, 0xFFFFFFFEL);
            assertEquals("19feffffff", Hex.hex(close));
            StatementIds.rewrite(execute, 258);
            assertEquals(258, StatementIds.read(execute));
            assertEquals("17020100000001000000", Hex.hex(execute));
            assertThrows(IllegalArgumentException.class, () -> StatementIds.read(query));
            assertEquals(1835, assertThrows(ProtocolException.class,
                    () -> StatementIds.read(close.slice(0, 3))).errorCode());
        } finally {
            close.release();
            execute.release();
            query.release();
        }
    }
}
