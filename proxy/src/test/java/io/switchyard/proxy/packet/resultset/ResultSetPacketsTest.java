package io.switchyard.proxy.packet.resultset;

import io.netty.buffer.ByteBuf;
import io.switchyard.proxy.codec.Capabilities;
import io.switchyard.proxy.codec.Collations;
import io.switchyard.proxy.codec.ColumnFlags;
import io.switchyard.proxy.codec.ColumnType;
import io.switchyard.proxy.codec.Hex;
import io.switchyard.proxy.codec.Packet;
import io.switchyard.proxy.codec.PacketFrameEncoder;
import io.switchyard.proxy.codec.PacketReader;
import io.switchyard.proxy.codec.ProtocolException;
import io.switchyard.proxy.codec.TrackingAllocator;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.LocalDateTime;
import java.util.Arrays;
import java.util.List;

import static io.switchyard.proxy.packet.RoundTrip.encode;
import static io.switchyard.proxy.packet.RoundTrip.golden;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Result set packets against the MySQL documentation's COM_QUERY and binary row examples. */
class ResultSetPacketsTest {
    private static final long P41 = Capabilities.CLIENT_PROTOCOL_41 | Capabilities.CLIENT_TRANSACTIONS;

    /** The column of {@code select @@version_comment limit 1} in page_protocol_com_query_response_text_resultset. */
    private static final ColumnDefinition41 VERSION_COMMENT = new ColumnDefinition41("def", "", "", "",
            "@@version_comment", "", Collations.LATIN1_SWEDISH_CI, 28, ColumnType.VAR_STRING, 0, 0x1F);

    private final TrackingAllocator alloc = new TrackingAllocator();

    @AfterEach
    void everythingReleased() {
        alloc.assertAllReleased();
    }

    @Test
    void columnCount() {
        golden("01", ColumnCount.of(1), P41, ColumnCount::read);
        golden("fcfb00", ColumnCount.of(251), P41, ColumnCount::read);
        golden("02 00", new ColumnCount(2, false), P41 | Capabilities.CLIENT_OPTIONAL_RESULTSET_METADATA,
                ColumnCount::read);
    }

    @Test
    void columnDefinitionFromTheDocumentation() {
        golden("03646566 00 00 00 11404076657273696f6e5f636f6d6d656e74 00 0c 0800 1c000000 fd 0000 1f 0000",
                VERSION_COMMENT, P41, ColumnDefinition41::read);
    }

    @Test
    void columnDefinitionOfATableColumn() {
        ColumnDefinition41 id = new ColumnDefinition41("def", "shop", "c", "customer", "id", "customer_id",
                Collations.BINARY, 11, ColumnType.LONG, ColumnFlags.NOT_NULL | ColumnFlags.PRI_KEY
                | ColumnFlags.AUTO_INCREMENT | ColumnFlags.NUM, 0);
        golden("03646566 0473686f70 0163 08637573746f6d6572 026964 0b637573746f6d65725f6964"
                + " 0c 3f00 0b000000 03 0382 00 0000", id, P41, ColumnDefinition41::read);
    }

    @Test
    void columnDefinitionToleratesTheFieldListDefault() {
        ByteBuf buf = Hex.buf("03646566 00 00 00 11404076657273696f6e5f636f6d6d656e74 00 0c 0800 1c000000 fd 0000"
                + " 1f 0000 fb");
        try {
            assertEquals(VERSION_COMMENT, ColumnDefinition41.read(new PacketReader(buf), P41));
        } finally {
            buf.release();
        }
    }

    @Test
    void textRowWithNullAndEmptyValues() {
        ResultRow row = golden("03616263 fb 00", ResultRow.ofStrings("abc", null, ""), P41,
                (r, c) -> ResultRow.read(r, 3));
        assertNull(row.string(1));
        assertTrue(row.isNull(1));
        assertEquals("", row.string(2));
        ByteBuf buf = Hex.buf("03616263 fb 00");
        try {
            assertEquals(1835, assertThrows(ProtocolException.class,
                    () -> ResultRow.read(new PacketReader(buf), 2)).errorCode());
        } finally {
            buf.release();
        }
    }

    @Test
    void wholeTextResultSetFromTheDocumentation() {
        TextResultSet resultSet = new TextResultSet(List.of(VERSION_COMMENT),
                List.of(ResultRow.ofStrings("MySQL Community Server (GPL)")));
        assertEquals(Hex.compact("01000001 01"
                + " 27000002 03646566000000114040766572 73696f6e5f636f6d6d656e74000c08001c000000fd00001f0000"
                + " 05000003 fe00000200"
                + " 1d000004 1c4d7953514c20436f6d6d756e6974792053657276657220284750 4c29"
                + " 05000005 fe00000200"), frames(resultSet.toPackets(alloc, 1, P41, 2)));
    }

    @Test
    void textResultSetUnderDeprecateEofEndsWithAnOk() {
        TextResultSet resultSet = new TextResultSet(List.of(ColumnDefinition41.varString("keyspace")),
                List.of(ResultRow.ofStrings("commerce"), ResultRow.ofStrings("customer")));
        List<Packet> packets = resultSet.toPackets(alloc, 1, P41 | Capabilities.CLIENT_DEPRECATE_EOF, 2);
        assertEquals(5, packets.size());
        assertEquals("fe000002000000", Hex.hex(packets.get(4).payload()));
        assertEquals(5, packets.get(4).sequenceId());
        assertEquals(6, packets.get(4).nextSequenceId());
        packets.forEach(Packet::release);
        assertThrows(IllegalArgumentException.class, () -> new TextResultSet(List.of(VERSION_COMMENT),
                List.of(ResultRow.ofStrings("a", "b"))));
    }

    @Test
    void binaryRowFromTheDocumentation() {
        ColumnDefinition41 column = ColumnDefinition41.varString("c");
        golden("00 00 06666f6f626172", new BinaryRow(List.of(ColumnType.VAR_STRING), List.of("foobar".getBytes())),
                P41, (r, c) -> BinaryRow.read(r, List.of(column)));
    }

    @Test
    void binaryRowWithNullsTemporalsAndIntegers() {
        List<ColumnDefinition41> columns = List.of(ColumnDefinition41.longLong("id", false),
                ColumnDefinition41.varString("name"), column(ColumnType.DATETIME, 0), column(ColumnType.TIME, 0));
        MysqlDateTime when = MysqlDateTime.of(LocalDateTime.of(2024, 2, 29, 13, 14, 15, 16_000));
        MysqlTime time = MysqlTime.of(Duration.ofDays(-1).minusHours(2).minusMinutes(3).minusSeconds(4));
        BinaryRow row = new BinaryRow(List.of(ColumnType.LONGLONG, ColumnType.VAR_STRING, ColumnType.DATETIME,
                ColumnType.TIME), Arrays.asList(1L, null, when, time));
        golden("00 08 0100000000000000 0b e807 02 1d 0d 0e 0f 10000000 08 01 01000000 02 03 04", row, P41,
                (r, c) -> BinaryRow.read(r, columns));
        assertEquals(Duration.ofSeconds(-93784), time.toDuration());
    }

    @Test
    void binaryValuesOfEveryType() {
        Object[][] cases = {
            {ColumnType.TINY, false, -1L, "ff"},
            {ColumnType.TINY, true, 255L, "ff"},
            {ColumnType.SHORT, false, -2L, "feff"},
            {ColumnType.YEAR, true, 2024L, "e807"},
            {ColumnType.INT24, false, -3L, "fdffffff"},
            {ColumnType.LONG, true, 0xFFFFFFFFL, "ffffffff"},
            {ColumnType.LONGLONG, true, -1L, "ffffffffffffffff"},
            {ColumnType.FLOAT, false, 1.5f, "0000c03f"},
            {ColumnType.DOUBLE, false, 2.25d, "0000000000000240"},
            {ColumnType.DATE, false, new MysqlDateTime(2024, 2, 29, 0, 0, 0, 0), "04e807021d"},
            {ColumnType.TIMESTAMP, false, MysqlDateTime.ZERO, "00"},
            {ColumnType.DATETIME, false, new MysqlDateTime(2024, 2, 29, 1, 2, 3, 0), "07e807021d010203"},
            {ColumnType.TIME, false, MysqlTime.ZERO, "00"},
            {ColumnType.TIME, false, new MysqlTime(false, 0, 1, 2, 3, 4), "0c000000000001020304000000"},
            {ColumnType.NEWDECIMAL, false, "3.14".getBytes(), "04332e3134"},
            {ColumnType.BLOB, false, new byte[] {0, 1}, "020001"},
            {ColumnType.JSON, false, "{}".getBytes(), "027b7d"},
        };
        for (Object[] c : cases) {
            ColumnType type = (ColumnType) c[0];
            int flags = (Boolean) c[1] ? ColumnFlags.UNSIGNED : 0;
            BinaryRow row = new BinaryRow(List.of(type), Arrays.asList(c[2]));
            golden("00 00 " + c[3], row, P41, (r, caps) -> BinaryRow.read(r, List.of(column(type, flags))));
        }
        assertThrows(IllegalArgumentException.class, () -> new BinaryRow(List.of(ColumnType.LONG), List.of("1")));
        assertThrows(IllegalArgumentException.class,
                () -> new BinaryRow(List.of(ColumnType.TIMESTAMP2), List.of(new byte[0])));
    }

    @Test
    void binaryRowNullBitmapStartsAtBitTwo() {
        List<ColumnType> types = List.of(ColumnType.LONG, ColumnType.LONG, ColumnType.LONG, ColumnType.LONG,
                ColumnType.LONG, ColumnType.LONG, ColumnType.LONG);
        BinaryRow row = new BinaryRow(types, Arrays.asList(null, 1L, null, null, null, null, null));
        // 7 columns: (7 + 9) / 8 = 2 bitmap bytes; column 0 is bit 2, columns 2..5 bits 4..7, column 6 bit 0 of byte 2.
        assertEquals("00 f4 01 01000000".replace(" ", ""), encode(row, P41, (r, c) -> BinaryRow.read(r,
                types.stream().map(t -> column(t, 0)).toList())));
    }

    @Test
    void malformedBinaryValuesAreProtocolErrors() {
        ByteBuf buf = Hex.buf("00 00 05e807021d01");
        try {
            assertEquals(1835, assertThrows(ProtocolException.class, () -> BinaryRow.read(new PacketReader(buf),
                    List.of(column(ColumnType.DATETIME, 0)))).errorCode());
        } finally {
            buf.release();
        }
    }

    private static ColumnDefinition41 column(ColumnType type, int flags) {
        return ColumnDefinition41.of("c", type, Collations.BINARY, 20, flags, 0);
    }

    /** The packets framed as they go on the wire, as hex; releases them. */
    private String frames(List<Packet> packets) {
        StringBuilder hex = new StringBuilder();
        for (Packet packet : packets) {
            ByteBuf frame = PacketFrameEncoder.frameCopy(alloc, packet.sequenceId(), packet.payload());
            hex.append(Hex.hex(frame));
            frame.release();
            packet.release();
        }
        return hex.toString();
    }
}
