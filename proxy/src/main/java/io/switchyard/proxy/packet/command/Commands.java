package io.switchyard.proxy.packet.command;

import io.switchyard.proxy.codec.CommandType;
import io.switchyard.proxy.codec.MySqlError;
import io.switchyard.proxy.codec.PacketReader;

import java.util.Arrays;

/** Shared checks of the command records. */
final class Commands {
    private Commands() {
    }

    /** Reads the command byte and checks that it is one of {@code expected}. */
    static CommandType readCommand(PacketReader r, CommandType... expected) {
        int code = r.int1();
        for (CommandType type : expected) {
            if (type.code() == code) {
                return type;
            }
        }
        throw MySqlError.ER_MALFORMED_PACKET.exception("command 0x" + Integer.toHexString(code) + " where "
                + Arrays.toString(expected) + " was expected");
    }

    static void requireOneOf(CommandType type, CommandType... allowed) {
        for (CommandType candidate : allowed) {
            if (candidate == type) {
                return;
            }
        }
        throw new IllegalArgumentException(type + " is not one of " + Arrays.toString(allowed));
    }

    static void requireStatementId(long statementId) {
        if (statementId < 0 || statementId > 0xFFFFFFFFL) {
            throw new IllegalArgumentException("statement id must fit in int<4>, was " + statementId);
        }
    }
}
