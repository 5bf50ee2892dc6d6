package io.switchyard.proxy.packet.command;

import io.netty.buffer.ByteBuf;
import io.switchyard.proxy.codec.Capabilities;
import io.switchyard.proxy.codec.CommandType;
import io.switchyard.proxy.codec.Hex;
import io.switchyard.proxy.codec.PacketReader;
import io.switchyard.proxy.codec.ProtocolException;
import org.junit.jupiter.api.Test;

import java.util.Map;

import static io.switchyard.proxy.packet.RoundTrip.golden;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** Command-phase requests against the examples of the MySQL documentation. */
class CommandPacketsTest {
    private static final long P41 = Capabilities.CLIENT_PROTOCOL_41 | Capabilities.CLIENT_SECURE_CONNECTION;

    @Test
    void textCommands() {
        // page_protocol_com_query: 21 00 00 00 | 03 "select @@version_comment limit 1"
        golden("03 73656c656374204040766572 73696f6e5f636f6d6d656e74206c696d69742031",
                TextCommand.query("select @@version_comment limit 1"), P41, TextCommand::read);
        golden("02 74657374", TextCommand.initDb("test"), P41, TextCommand::read);
        golden("16 53454c454354203f", TextCommand.prepare("SELECT ?"), P41, TextCommand::read);
        assertThrows(IllegalArgumentException.class, () -> new TextCommand(CommandType.COM_PING, ""));
    }

    @Test
    void simpleCommands() {
        golden("0e", new SimpleCommand(CommandType.COM_PING), P41, SimpleCommand::read);
        golden("01", new SimpleCommand(CommandType.COM_QUIT), P41, SimpleCommand::read);
        golden("1f", new SimpleCommand(CommandType.COM_RESET_CONNECTION), P41, SimpleCommand::read);
    }

    @Test
    void statementCommands() {
        golden("19 01000000", StatementCommand.close(1), P41, StatementCommand::read);
        golden("1a 02000000", StatementCommand.reset(2), P41, StatementCommand::read);
        golden("1c 01000000 0a000000", new StmtFetch(1, 10), P41, StmtFetch::read);
        golden("18 01000000 0100 6162", new StmtSendLongData(1, 1, "ab".getBytes()), P41, StmtSendLongData::read);
    }

    @Test
    void otherSmallCommands() {
        golden("1b 0100", new ComSetOption(ComSetOption.MULTI_STATEMENTS_OFF), P41, ComSetOption::read);
        golden("04 7400 25", new ComFieldList("t", "%"), P41, ComFieldList::read);
        golden("0c 05000000", new ComProcessKill(5), P41, ComProcessKill::read);
    }

    @Test
    void changeUser() {
        long caps = P41 | Capabilities.CLIENT_PLUGIN_AUTH | Capabilities.CLIENT_CONNECT_ATTRS;
        ComChangeUser expected = new ComChangeUser("app", Hex.bytes("0102030405060708090a0b0c0d0e0f1011121314"),
                "test", 45, "mysql_native_password", Map.of("_os", "Linux"));
        golden("11 61707000 14 0102030405060708090a0b0c0d0e0f1011121314 7465737400 2d00"
                + " 6d7973716c5f6e61746976655f70617373776f726400 0a 035f6f73054c696e7578", expected, caps,
                ComChangeUser::read);
    }

    @Test
    void changeUserWithoutTheOptionalTail() {
        ByteBuf buf = Hex.buf("11 61707000 00 00");
        try {
            ComChangeUser change = ComChangeUser.read(new PacketReader(buf), P41 | Capabilities.CLIENT_PLUGIN_AUTH);
            assertEquals(new ComChangeUser("app", new byte[0], "", 0, null, Map.of()), change);
        } finally {
            buf.release();
        }
    }

    @Test
    void wrongCommandByteIsMalformed() {
        ByteBuf buf = Hex.buf("03 73");
        try {
            assertEquals(1835, assertThrows(ProtocolException.class,
                    () -> StatementCommand.read(new PacketReader(buf), P41)).errorCode());
        } finally {
            buf.release();
        }
    }
}
