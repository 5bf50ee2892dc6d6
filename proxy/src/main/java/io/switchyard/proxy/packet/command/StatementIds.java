package io.switchyard.proxy.packet.command;

import io.netty.buffer.ByteBuf;
import io.switchyard.proxy.codec.CommandType;
import io.switchyard.proxy.codec.MySqlError;

/**
 * Reads and patches the statement id of a statement command without decoding it: COM_STMT_EXECUTE,
 * COM_STMT_SEND_LONG_DATA, COM_STMT_CLOSE, COM_STMT_RESET and COM_STMT_FETCH all carry it as int&lt;4&gt; right after
 * the command byte. This is the relay path for mapping the gateway's statement ids to a backend's.
 */
public final class StatementIds {
    private static final int OFFSET = 1;

    private StatementIds() {
    }

    /** The statement id of a COM_STMT_* payload; the payload's indexes do not move. */
    public static long read(ByteBuf payload) {
        check(payload);
        return payload.getUnsignedIntLE(payload.readerIndex() + OFFSET);
    }

    /**
     * Overwrites the statement id in place. The payload must be writable and not shared with anyone who still
     * needs the old id (a packet from {@code PacketFrameDecoder} is the session's alone).
     */
    public static void rewrite(ByteBuf payload, long statementId) {
        check(payload);
        if (statementId < 0 || statementId > 0xFFFFFFFFL) {
            throw new IllegalArgumentException("statement id must fit in int<4>, was " + statementId);
        }
        payload.setIntLE(payload.readerIndex() + OFFSET, (int) statementId);
    }

    private static void check(ByteBuf payload) {
        if (payload.readableBytes() < OFFSET + 4) {
            throw MySqlError.ER_MALFORMED_PACKET.exception("statement command of " + payload.readableBytes()
                    + " bytes has no statement id");
        }
        int command = payload.getUnsignedByte(payload.readerIndex());
        if (command < CommandType.COM_STMT_EXECUTE.code() || command > CommandType.COM_STMT_FETCH.code()
                || command == CommandType.COM_SET_OPTION.code()) {
            throw new IllegalArgumentException("0x" + Integer.toHexString(command) + " is not a COM_STMT_* command "
                    + "with a statement id");
        }
    }
}
