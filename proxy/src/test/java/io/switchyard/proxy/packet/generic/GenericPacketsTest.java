package io.switchyard.proxy.packet.generic;

import io.netty.buffer.ByteBuf;
import io.switchyard.proxy.codec.Capabilities;
import io.switchyard.proxy.codec.Hex;
import io.switchyard.proxy.codec.MySqlError;
import io.switchyard.proxy.codec.PacketReader;
import io.switchyard.proxy.codec.ProtocolException;
import io.switchyard.proxy.codec.ServerStatus;
import org.junit.jupiter.api.Test;

import static io.switchyard.proxy.packet.RoundTrip.golden;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** OK, ERR and EOF against the examples of the MySQL documentation and hand-built captures. */
class GenericPacketsTest {
    private static final long P41 = Capabilities.CLIENT_PROTOCOL_41 | Capabilities.CLIENT_TRANSACTIONS;
    private static final long TRACK = P41 | Capabilities.CLIENT_SESSION_TRACK;

    @Test
    void okFromTheDocumentation() {
        // page_protocol_basic_ok_packet: 07 00 00 02 | 00 00 00 02 00 00 00
        golden("00 00 00 0200 0000", OkPacket.of(0, 0, ServerStatus.SERVER_STATUS_AUTOCOMMIT, 0), P41, OkPacket::read);
    }

    @Test
    void okWithLargeCountsAndInfo() {
        // Info is length-encoded (0f) even without SESSION_TRACK, as servers send it and C clients read it.
        OkPacket ok = new OkPacket(0, 300, 70000, 3, 1, "Rows matched: 1", new byte[0]);
        golden("00 fc2c01 fd701101 0300 0100 0f526f7773206d6174636865643a2031", ok, P41, OkPacket::read);
    }

    @Test
    void okInfoWithoutALengthPrefixIsStillRead() {
        byte[] bare = java.util.HexFormat.of().parseHex("00000002000000" + "526f7773206d6174636865643a2031");
        io.netty.buffer.ByteBuf buf = io.netty.buffer.Unpooled.wrappedBuffer(bare);
        assertEquals("Rows matched: 1", OkPacket.read(new io.switchyard.proxy.codec.PacketReader(buf), P41).info());
    }

    @Test
    void okWithSessionTrackOmitsEmptyInfo() {
        golden("00 01 00 0200 0000", OkPacket.of(1, 0, 2, 0), TRACK, OkPacket::read);
    }

    @Test
    void okWithSessionStateChanges() {
        // SESSION_TRACK_SCHEMA (type 1) entry: 01, length 5, lenenc "test".
        byte[] state = Hex.bytes("01 05 04 74657374");
        OkPacket ok = new OkPacket(0, 0, 0, ServerStatus.SERVER_SESSION_STATE_CHANGED | 2, 0, "", state);
        golden("00 00 00 0240 0000 00 07 0105 0474657374", ok, TRACK, OkPacket::read);
    }

    @Test
    void okThatEndsRowsUnderDeprecateEof() {
        golden("fe 00 00 0200 0000", OkPacket.endOfRows(2, 0), P41 | Capabilities.CLIENT_DEPRECATE_EOF,
                OkPacket::read);
    }

    @Test
    void okBefore41HasOnlyStatus() {
        golden("00 01 02 0200", OkPacket.of(1, 2, 2, 0), Capabilities.CLIENT_TRANSACTIONS, OkPacket::read);
    }

    @Test
    void okRejectsOtherHeaders() {
        ByteBuf buf = Hex.buf("01 00 00");
        try {
            assertEquals(1835, assertThrows(ProtocolException.class, () -> OkPacket.read(new PacketReader(buf), P41))
                    .errorCode());
        } finally {
            buf.release();
        }
    }

    @Test
    void errFromTheDocumentation() {
        // page_protocol_basic_err_packet: 17 00 00 01 | ff 48 04 23 48 59 30 30 30 "No tables used"
        golden("ff 4804 23 4859303030 4e6f207461626c65732075736564", new ErrPacket(1096, "HY000", "No tables used"),
                P41, ErrPacket::read);
    }

    @Test
    void errWithoutSqlStateIsReadAsGeneralError() {
        // What a server sends before the handshake, e.g. instead of the greeting when it is full.
        golden("ff 1004 546f6f206d616e7920636f6e6e656374696f6e73",
                new ErrPacket(1040, "HY000", "Too many connections"), 0, ErrPacket::read);
    }

    @Test
    void errFromTheGatewaysOwnErrors() {
        ErrPacket err = ErrPacket.of(MySqlError.ER_NET_PACKET_TOO_LARGE);
        golden("ff 8104 23 3038533031" + Hex.hex("Got a packet bigger than 'max_allowed_packet' bytes".getBytes()),
                err, P41, ErrPacket::read);
        ProtocolException e = MySqlError.ER_BAD_DB_ERROR.exception("nope");
        assertEquals(new ErrPacket(1049, "42000", "Unknown database 'nope'"), ErrPacket.of(e));
        assertEquals(1049, ErrPacket.of(e).toException().errorCode());
    }

    @Test
    void eofFromTheDocumentation() {
        golden("fe 0000 0200", new EofPacket(0, 2), P41, EofPacket::read);
        golden("fe", new EofPacket(0, 0), 0, EofPacket::read);
    }

    @Test
    void classifiesServerPayloadsWithoutConsumingThem() {
        ByteBuf ok = Hex.buf("00 00 00 0200 0000");
        ByteBuf err = Hex.buf("ff 4804 23 4859303030");
        ByteBuf eof = Hex.buf("fe 0000 0200");
        ByteBuf okEof = Hex.buf("fe 00 00 0200 0000");
        ByteBuf bigRow = Hex.buf("fe 0900000000000000 00");
        ByteBuf infile = Hex.buf("fb 2f746d702f78");
        ByteBuf more = Hex.buf("01 03");
        try {
            assertTrue(Responses.isOk(ok));
            assertTrue(Responses.isErr(err));
            assertFalse(Responses.isErr(ok));
            assertTrue(Responses.isEof(eof));
            assertTrue(Responses.isEof(okEof));
            assertFalse(Responses.isEof(bigRow), "a 9-byte payload starting with 0xFE is a row");
            assertTrue(Responses.isAuthSwitch(bigRow));
            assertTrue(Responses.isLocalInfile(infile));
            assertTrue(Responses.isAuthMoreData(more));
            assertEquals(0, ok.readerIndex());
            assertFalse(Responses.isOk(ok.slice(0, 0)), "empty payload");
        } finally {
            for (ByteBuf buf : new ByteBuf[] {ok, err, eof, okEof, bigRow, infile, more}) {
                buf.release();
            }
        }
    }
}
