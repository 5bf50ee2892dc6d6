package io.switchyard.proxy.packet;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.switchyard.proxy.codec.Capabilities;
import io.switchyard.proxy.codec.ColumnType;
import io.switchyard.proxy.codec.Hex;
import io.switchyard.proxy.codec.PacketReader;
import io.switchyard.proxy.codec.ProtocolException;
import io.switchyard.proxy.packet.RoundTrip.Read;
import io.switchyard.proxy.packet.command.ComChangeUser;
import io.switchyard.proxy.packet.command.ComFieldList;
import io.switchyard.proxy.packet.command.ParamType;
import io.switchyard.proxy.packet.command.StmtExecute;
import io.switchyard.proxy.packet.command.StmtPrepareOk;
import io.switchyard.proxy.packet.command.TextCommand;
import io.switchyard.proxy.packet.generic.EofPacket;
import io.switchyard.proxy.packet.generic.ErrPacket;
import io.switchyard.proxy.packet.generic.OkPacket;
import io.switchyard.proxy.packet.handshake.AuthSwitchRequest;
import io.switchyard.proxy.packet.handshake.HandshakeResponse41;
import io.switchyard.proxy.packet.handshake.HandshakeV10;
import io.switchyard.proxy.packet.handshake.SslRequest;
import io.switchyard.proxy.packet.resultset.BinaryRow;
import io.switchyard.proxy.packet.resultset.ColumnCount;
import io.switchyard.proxy.packet.resultset.ColumnDefinition41;
import io.switchyard.proxy.packet.resultset.ResultRow;
import org.junit.jupiter.api.Test;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.fail;

/**
 * A poor man's fuzzer until Jazzer runs: every reader, fed random bytes and every truncation and single-byte
 * mutation of a valid packet, either decodes or throws {@link ProtocolException} (which becomes an ERR for the
 * client), never an IndexOutOfBoundsException, IllegalArgumentException or the like that would escape as a bug.
 */
class MalformedInputTest {
    private static final long[] CAPABILITIES = {0, Capabilities.CLIENT_PROTOCOL_41,
        Capabilities.GATEWAY_SERVER_DEFAULT | Capabilities.CLIENT_SESSION_TRACK
            | Capabilities.CLIENT_OPTIONAL_RESULTSET_METADATA, -1L & ~Capabilities.CLIENT_QUERY_ATTRIBUTES};
    private static final List<ColumnDefinition41> COLUMNS = List.of(ColumnType.LONGLONG, ColumnType.TINY,
            ColumnType.VAR_STRING, ColumnType.DATETIME, ColumnType.TIME, ColumnType.DOUBLE, ColumnType.FLOAT)
            .stream().map(t -> ColumnDefinition41.of("c", t, 63, 20, 0, 0)).toList();

    private static Map<String, Read<?>> readers() {
        Map<String, Read<?>> readers = new LinkedHashMap<>();
        readers.put("HandshakeV10", (r, c) -> HandshakeV10.read(r));
        readers.put("HandshakeResponse41", HandshakeResponse41::read);
        readers.put("SslRequest", SslRequest::read);
        readers.put("AuthSwitchRequest", AuthSwitchRequest::read);
        readers.put("OkPacket", OkPacket::read);
        readers.put("ErrPacket", ErrPacket::read);
        readers.put("EofPacket", EofPacket::read);
        readers.put("ColumnCount", ColumnCount::read);
        readers.put("ColumnDefinition41", ColumnDefinition41::read);
        readers.put("ResultRow", (r, c) -> ResultRow.read(r, 3));
        readers.put("BinaryRow", (r, c) -> BinaryRow.read(r, COLUMNS));
        readers.put("StmtPrepareOk", StmtPrepareOk::read);
        readers.put("StmtExecute", (r, c) -> StmtExecute.read(r, c, 3, List.of(ParamType.of(ColumnType.LONG),
                ParamType.of(ColumnType.STRING), ParamType.of(ColumnType.DATE))));
        readers.put("TextCommand", TextCommand::read);
        readers.put("ComChangeUser", ComChangeUser::read);
        readers.put("ComFieldList", ComFieldList::read);
        return readers;
    }

    /** Valid payloads to truncate and mutate: each reader's bytes are also offered to every other reader. */
    private static final List<String> SEEDS = List.of(
            "0a 382e302e333600 2a000000 6162636465666768 00 ffff ff 0200 ffdf 15 00000000000000000000"
                    + " 696a30313233343536373839 00 63616368696e675f736861325f70617373776f726400",
            "05a23a01 ffffff00 ff 0000000000000000000000000000000000000000000000 61707000"
                    + " 14 0102030405060708090a0b0c0d0e0f1011121314 63616368696e675f736861325f70617373776f726400"
                    + " 20 0c5f636c69656e745f6e616d65 086c69626d7973716c 035f6f73 054c696e7578",
            "00 fc2c01 fd701101 0240 0100 03616263 07 0105 0474657374",
            "ff 4804 23 4859303030 4e6f207461626c65732075736564",
            "03646566 0473686f70 0163 08637573746f6d6572 026964 0b637573746f6d65725f6964 0c 3f00 0b000000 03"
                    + " 0382 00 0000",
            "00 00 0100000000000000 7f 03616263 0be807021d0d0e0f10000000 0c01010000000203041000000000"
                    + " 000000000000f03f 0000c03f",
            "17 01000000 00 01000000 02 01 0300 fe00 0a00 01000000 0161 04e807021d",
            "11 61707000 14 0102030405060708090a0b0c0d0e0f1011121314 7465737400 2d00"
                    + " 6d7973716c5f6e61746976655f70617373776f726400 0a 035f6f73054c696e7578");

    @Test
    void readersOnlyEverThrowProtocolException() {
        Random random = new Random(20240229);
        Map<String, Read<?>> readers = readers();
        for (String seed : SEEDS) {
            byte[] valid = Hex.bytes(seed);
            for (int length = 0; length <= valid.length; length++) {
                byte[] truncated = java.util.Arrays.copyOf(valid, length);
                readAll(readers, truncated);
                if (length < valid.length) {
                    for (int value : new int[] {0x00, 0x01, 0x0c, 0x7f, 0xfa, 0xfb, 0xfc, 0xfd, 0xfe, 0xff,
                        random.nextInt(256)}) {
                        byte[] mutated = valid.clone();
                        mutated[length] = (byte) value;
                        readAll(readers, mutated);
                    }
                }
            }
        }
        for (int i = 0; i < 10_000; i++) {
            byte[] bytes = new byte[random.nextInt(80)];
            random.nextBytes(bytes);
            readAll(readers, bytes);
        }
    }

    private static void readAll(Map<String, Read<?>> readers, byte[] bytes) {
        for (Map.Entry<String, Read<?>> reader : readers.entrySet()) {
            for (long capabilities : CAPABILITIES) {
                ByteBuf buf = Unpooled.wrappedBuffer(bytes);
                try {
                    reader.getValue().read(new PacketReader(buf), capabilities);
                } catch (ProtocolException expected) {
                    // a clear MySQL error for the client
                } catch (RuntimeException e) {
                    fail(reader.getKey() + " with capabilities 0x" + Long.toHexString(capabilities) + " threw " + e
                            + " on " + Hex.hex(bytes), e);
                } finally {
                    buf.release();
                }
            }
        }
    }
}
