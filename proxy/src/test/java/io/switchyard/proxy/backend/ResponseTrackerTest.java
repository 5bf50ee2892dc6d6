package io.switchyard.proxy.backend;

import io.netty.buffer.ByteBuf;
import io.switchyard.proxy.codec.Capabilities;
import io.switchyard.proxy.codec.CommandType;
import io.switchyard.proxy.codec.MySqlError;
import io.switchyard.proxy.codec.ProtocolException;
import io.switchyard.proxy.codec.ServerStatus;
import io.switchyard.proxy.codec.TrackingAllocator;
import io.switchyard.proxy.packet.MySqlPacket;
import io.switchyard.proxy.packet.command.StmtPrepareOk;
import io.switchyard.proxy.packet.generic.EofPacket;
import io.switchyard.proxy.packet.generic.ErrPacket;
import io.switchyard.proxy.packet.generic.LocalInfileRequest;
import io.switchyard.proxy.packet.generic.OkPacket;
import io.switchyard.proxy.packet.resultset.ColumnCount;
import io.switchyard.proxy.packet.resultset.ColumnDefinition41;
import io.switchyard.proxy.packet.resultset.ResultRow;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static io.switchyard.proxy.codec.ServerStatus.SERVER_MORE_RESULTS_EXISTS;
import static io.switchyard.proxy.codec.ServerStatus.SERVER_STATUS_AUTOCOMMIT;
import static io.switchyard.proxy.codec.ServerStatus.SERVER_STATUS_CURSOR_EXISTS;
import static io.switchyard.proxy.codec.ServerStatus.SERVER_STATUS_IN_TRANS;
import static io.switchyard.proxy.codec.ServerStatus.SERVER_STATUS_LAST_ROW_SENT;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Feeds constructed server responses, packet by packet, and checks that the tracker marks exactly the last packet of
 * each response as last and reports its status. Payloads are built with the packet records (their own tests check
 * their bytes) or written as hex where the point is the raw layout.
 */
class ResponseTrackerTest {
    private static final long CAPS = Capabilities.CLIENT_PROTOCOL_41 | Capabilities.CLIENT_TRANSACTIONS;
    private static final long DEPRECATE_EOF = CAPS | Capabilities.CLIENT_DEPRECATE_EOF;
    private static final int AUTOCOMMIT = SERVER_STATUS_AUTOCOMMIT;

    private final TrackingAllocator alloc = new TrackingAllocator();

    @AfterEach
    void nothingLeaks() {
        alloc.assertAllReleased();
    }

    @Test
    void okAndErrAnswerAQueryAlone() {
        ResponseTracker tracker = new ResponseTracker(CAPS, AUTOCOMMIT);
        assertEquals(List.of(true), feed(tracker, CommandType.COM_QUERY, ok(SERVER_STATUS_IN_TRANS)));
        assertEquals(SERVER_STATUS_IN_TRANS, tracker.statusFlags());
        assertTrue(tracker.isIdle());

        assertEquals(List.of(true), feed(tracker, CommandType.COM_QUERY, err()));
        assertEquals(SERVER_STATUS_IN_TRANS, tracker.statusFlags(), "an ERR keeps the last status");
    }

    @Test
    void textResultSetEndsAtTheSecondEof() {
        ResponseTracker tracker = new ResponseTracker(CAPS, AUTOCOMMIT);
        List<Boolean> last = feed(tracker, CommandType.COM_QUERY, ColumnCount.of(2), column("a"), column("b"),
                new EofPacket(0, AUTOCOMMIT), ResultRow.ofStrings("1", "x"), ResultRow.ofStrings(null, "y"),
                new EofPacket(0, AUTOCOMMIT | SERVER_STATUS_IN_TRANS));
        assertEquals(List.of(false, false, false, false, false, false, true), last);
        assertEquals(AUTOCOMMIT | SERVER_STATUS_IN_TRANS, tracker.statusFlags());
    }

    @Test
    void deprecateEofHasNoEofAfterColumnsAndEndsWithOk() {
        ResponseTracker tracker = new ResponseTracker(DEPRECATE_EOF, AUTOCOMMIT);
        List<Boolean> last = feed(tracker, CommandType.COM_QUERY, ColumnCount.of(1), column("a"),
                ResultRow.ofStrings("1"), ResultRow.ofStrings("2"), OkPacket.endOfRows(AUTOCOMMIT, 1));
        assertEquals(List.of(false, false, false, false, true), last);
        assertEquals(AUTOCOMMIT, tracker.statusFlags());
    }

    @Test
    void emptyResultSet() {
        ResponseTracker tracker = new ResponseTracker(CAPS, AUTOCOMMIT);
        assertEquals(List.of(false, false, false, true), feed(tracker, CommandType.COM_QUERY, ColumnCount.of(1),
                column("a"), new EofPacket(0, AUTOCOMMIT), new EofPacket(0, AUTOCOMMIT)));
    }

    @Test
    void aTextRowStartingWithFeIsARowUnlessShorterThanAnEof() {
        // 0xFE then an 8-byte length (1) and 'A': a 10-byte text row, not an EOF (EOFs are shorter than 9 bytes).
        ResponseTracker tracker = new ResponseTracker(CAPS, AUTOCOMMIT);
        tracker.start(CommandType.COM_QUERY);
        assertFalse(accept(tracker, ColumnCount.of(1)));
        assertFalse(accept(tracker, column("a")));
        assertFalse(accept(tracker, new EofPacket(0, AUTOCOMMIT)));
        assertFalse(accept(tracker, "fe 01 00 00 00 00 00 00 00 41"));
        assertTrue(accept(tracker, new EofPacket(0, AUTOCOMMIT)));
    }

    @Test
    void withDeprecateEofAnOkEndMarkerMayBeLongerThanAnEof() {
        // An OK-0xFE carrying an info string is 9 bytes or more and still ends the rows.
        ResponseTracker tracker = new ResponseTracker(DEPRECATE_EOF, AUTOCOMMIT);
        tracker.start(CommandType.COM_QUERY);
        accept(tracker, ColumnCount.of(1));
        accept(tracker, column("a"));
        OkPacket withInfo = new OkPacket(OkPacket.EOF_HEADER, 0, 0, AUTOCOMMIT, 0, "Rows matched: 1", new byte[0]);
        assertTrue(accept(tracker, withInfo));
    }

    @Test
    void multiStatementResultsChainOnMoreResultsExists() {
        int more = AUTOCOMMIT | SERVER_MORE_RESULTS_EXISTS;
        ResponseTracker tracker = new ResponseTracker(CAPS, AUTOCOMMIT);
        List<Boolean> last = feed(tracker, CommandType.COM_QUERY,
                ColumnCount.of(1), column("a"), new EofPacket(0, AUTOCOMMIT), ResultRow.ofStrings("1"),
                new EofPacket(0, more),
                OkPacket.of(1, 0, more, 0),
                ColumnCount.of(1), column("b"), new EofPacket(0, AUTOCOMMIT), ResultRow.ofStrings("2"),
                new EofPacket(0, AUTOCOMMIT));
        assertEquals(List.of(false, false, false, false, false, false, false, false, false, false, true), last);
        assertEquals(AUTOCOMMIT, tracker.statusFlags());
    }

    @Test
    void storedProcedureEndsWithItsFinalOk() {
        int more = AUTOCOMMIT | SERVER_MORE_RESULTS_EXISTS;
        ResponseTracker tracker = new ResponseTracker(DEPRECATE_EOF, AUTOCOMMIT);
        List<Boolean> last = feed(tracker, CommandType.COM_QUERY, ColumnCount.of(1), column("a"),
                ResultRow.ofStrings("1"), OkPacket.endOfRows(more, 0), OkPacket.of(0, 0, AUTOCOMMIT, 0));
        assertEquals(List.of(false, false, false, false, true), last);
    }

    @Test
    void anErrEndsAResultSetMidway() {
        ResponseTracker tracker = new ResponseTracker(CAPS, AUTOCOMMIT);
        assertEquals(List.of(false, false, false, false, true), feed(tracker, CommandType.COM_QUERY,
                ColumnCount.of(1), column("a"), new EofPacket(0, AUTOCOMMIT), ResultRow.ofStrings("1"), err()));
        assertTrue(tracker.isIdle());
    }

    @Test
    void localInfileWaitsForTheClientThenTakesTheOk() {
        ResponseTracker tracker = new ResponseTracker(CAPS, AUTOCOMMIT);
        tracker.start(CommandType.COM_QUERY);
        assertFalse(accept(tracker, new LocalInfileRequest("/tmp/data.csv")));
        assertTrue(tracker.awaitsLocalInfile());
        assertThrows(ProtocolException.class, () -> accept(tracker, ok(AUTOCOMMIT)),
                "the server sends nothing while it waits for the file");
        tracker.localInfileSent();
        assertTrue(accept(tracker, ok(AUTOCOMMIT)));
        assertTrue(tracker.isIdle());
    }

    @Test
    void binaryRowsOfAnExecuteEndAtEof() {
        ResponseTracker tracker = new ResponseTracker(CAPS, AUTOCOMMIT);
        List<Boolean> last = feed(tracker, CommandType.COM_STMT_EXECUTE, ColumnCount.of(1), column("a"),
                new EofPacket(0, AUTOCOMMIT), hex("00 00 01 00 00 00 00 00 00 00"),
                hex("00 00 02 00 00 00 00 00 00 00"), new EofPacket(0, AUTOCOMMIT));
        assertEquals(List.of(false, false, false, false, false, true), last);
    }

    @Test
    void executeWithACursorEndsAfterTheColumns() {
        int cursor = AUTOCOMMIT | SERVER_STATUS_CURSOR_EXISTS;
        ResponseTracker tracker = new ResponseTracker(CAPS, AUTOCOMMIT);
        assertEquals(List.of(false, false, true), feed(tracker, CommandType.COM_STMT_EXECUTE, ColumnCount.of(1),
                column("a"), new EofPacket(0, cursor)));
        assertEquals(cursor, tracker.statusFlags());

        ResponseTracker deprecateEof = new ResponseTracker(DEPRECATE_EOF, AUTOCOMMIT);
        assertEquals(List.of(false, false, true), feed(deprecateEof, CommandType.COM_STMT_EXECUTE,
                ColumnCount.of(1), column("a"), OkPacket.endOfRows(cursor, 0)));
    }

    @Test
    void fetchReturnsRowsUntilEofOrErr() {
        ResponseTracker tracker = new ResponseTracker(CAPS, AUTOCOMMIT);
        int status = AUTOCOMMIT | SERVER_STATUS_CURSOR_EXISTS | SERVER_STATUS_LAST_ROW_SENT;
        assertEquals(List.of(false, false, true), feed(tracker, CommandType.COM_STMT_FETCH,
                hex("00 00 01 00 00 00 00 00 00 00"), hex("00 00 02 00 00 00 00 00 00 00"),
                new EofPacket(0, status)));
        assertEquals(status, tracker.statusFlags());
        assertEquals(List.of(true), feed(tracker, CommandType.COM_STMT_FETCH, err()));
    }

    @Test
    void prepareOkIsFollowedByParametersThenColumns() {
        ResponseTracker tracker = new ResponseTracker(CAPS, AUTOCOMMIT);
        assertEquals(List.of(false, false, false, false, false, false, true), feed(tracker,
                CommandType.COM_STMT_PREPARE, StmtPrepareOk.of(1, 2, 2, 0), column("?"), column("?"),
                new EofPacket(0, AUTOCOMMIT), column("a"), column("b"), new EofPacket(0, AUTOCOMMIT)));

        ResponseTracker deprecateEof = new ResponseTracker(DEPRECATE_EOF, AUTOCOMMIT);
        assertEquals(List.of(false, false, true), feed(deprecateEof, CommandType.COM_STMT_PREPARE,
                StmtPrepareOk.of(1, 1, 1, 0), column("?"), column("a")));
        assertEquals(List.of(false, false, true), feed(tracker, CommandType.COM_STMT_PREPARE,
                StmtPrepareOk.of(2, 1, 0, 0), column("a"), new EofPacket(0, AUTOCOMMIT)));
        assertEquals(List.of(false, false, true), feed(tracker, CommandType.COM_STMT_PREPARE,
                StmtPrepareOk.of(3, 0, 1, 0), column("?"), new EofPacket(0, AUTOCOMMIT)));
        assertEquals(List.of(true), feed(tracker, CommandType.COM_STMT_PREPARE, StmtPrepareOk.of(4, 0, 0, 0)));
        assertEquals(List.of(true), feed(tracker, CommandType.COM_STMT_PREPARE, err()));
    }

    @Test
    void prepareAnsweredByAnythingElseIsAProtocolViolation() {
        ResponseTracker tracker = new ResponseTracker(CAPS, AUTOCOMMIT);
        tracker.start(CommandType.COM_STMT_PREPARE);
        ProtocolException e = assertThrows(ProtocolException.class, () -> accept(tracker, ColumnCount.of(1)));
        assertEquals(MySqlError.ER_MALFORMED_PACKET.code(), e.errorCode());
        assertTrue(e.getMessage().contains("COM_STMT_PREPARE"), e.getMessage());
    }

    @Test
    void fieldListEndsAtEofOrErr() {
        ResponseTracker tracker = new ResponseTracker(CAPS, AUTOCOMMIT);
        assertEquals(List.of(false, false, true), feed(tracker, CommandType.COM_FIELD_LIST, column("a"),
                column("b"), new EofPacket(0, AUTOCOMMIT)));
        assertEquals(List.of(true), feed(tracker, CommandType.COM_FIELD_LIST, err()));
    }

    @Test
    void simpleCommandsTakeOnePacket() {
        ResponseTracker tracker = new ResponseTracker(CAPS, AUTOCOMMIT);
        for (CommandType command : List.of(CommandType.COM_PING, CommandType.COM_INIT_DB,
                CommandType.COM_RESET_CONNECTION, CommandType.COM_STMT_RESET, CommandType.COM_SET_OPTION,
                CommandType.COM_CHANGE_USER)) {
            assertEquals(List.of(true), feed(tracker, command, ok(AUTOCOMMIT | SERVER_STATUS_IN_TRANS)),
                    command.name());
            assertEquals(List.of(true), feed(tracker, command, err()), command.name());
        }
        assertEquals(AUTOCOMMIT | SERVER_STATUS_IN_TRANS, tracker.statusFlags());
        ByteBuf statistics = alloc.buffer().writeBytes("Uptime: 12  Threads: 1".getBytes(
                java.nio.charset.StandardCharsets.US_ASCII));
        tracker.start(CommandType.COM_STATISTICS);
        try {
            assertTrue(tracker.accept(statistics));
        } finally {
            statistics.release();
        }
    }

    @Test
    void aPacketWithNoCommandInFlightIsAProtocolViolation() {
        ResponseTracker tracker = new ResponseTracker(CAPS, AUTOCOMMIT);
        ProtocolException e = assertThrows(ProtocolException.class, () -> accept(tracker, err()));
        assertTrue(e.getMessage().contains("no command in flight"), e.getMessage());
    }

    @Test
    void commandsWithoutAResponseOrWithAStreamAreRefused() {
        ResponseTracker tracker = new ResponseTracker(CAPS, AUTOCOMMIT);
        assertThrows(IllegalArgumentException.class, () -> tracker.start(CommandType.COM_STMT_CLOSE));
        assertThrows(IllegalArgumentException.class, () -> tracker.start(CommandType.COM_STMT_SEND_LONG_DATA));
        assertThrows(IllegalArgumentException.class, () -> tracker.start(CommandType.COM_BINLOG_DUMP_GTID));
        tracker.start(CommandType.COM_QUERY);
        assertThrows(IllegalStateException.class, () -> tracker.start(CommandType.COM_QUERY));
    }

    @Test
    void capturedMariaDbResponseToSelectOne() {
        // Captured from MariaDB 10.11 answering "SELECT 1" without DEPRECATE_EOF (payloads, as the frame decoder
        // yields them): column count, definition of "1" (LONG, binary), EOF, row, EOF.
        ResponseTracker tracker = new ResponseTracker(CAPS, AUTOCOMMIT);
        tracker.start(CommandType.COM_QUERY);
        assertFalse(accept(tracker, "01"));
        assertFalse(accept(tracker, "03 64 65 66 00 00 00 01 31 00 0c 3f 00 01 00 00 00 03 81 00 00 00 00"));
        assertFalse(accept(tracker, "fe 00 00 02 00"));
        assertFalse(accept(tracker, "01 31"));
        assertTrue(accept(tracker, "fe 00 00 02 00"));
        assertEquals(ServerStatus.SERVER_STATUS_AUTOCOMMIT, tracker.statusFlags());
    }

    private List<Boolean> feed(ResponseTracker tracker, CommandType command, Object... packets) {
        tracker.start(command);
        List<Boolean> last = new ArrayList<>();
        for (Object packet : packets) {
            last.add(packet instanceof String hex ? accept(tracker, hex) : accept(tracker, (MySqlPacket) packet));
        }
        return last;
    }

    private boolean accept(ResponseTracker tracker, MySqlPacket packet) {
        ByteBuf payload = packet.encode(alloc, CAPS);
        try {
            return tracker.accept(payload);
        } finally {
            payload.release();
        }
    }

    private boolean accept(ResponseTracker tracker, String hex) {
        ByteBuf payload = alloc.hex(hex);
        try {
            return tracker.accept(payload);
        } finally {
            payload.release();
        }
    }

    private static String hex(String hex) {
        return hex;
    }

    private static OkPacket ok(int status) {
        return OkPacket.of(0, 0, status, 0);
    }

    private static ErrPacket err() {
        return ErrPacket.of(MySqlError.ER_NO_SUCH_TABLE, "commerce", "t");
    }

    private static ColumnDefinition41 column(String name) {
        return ColumnDefinition41.varString(name);
    }

}
