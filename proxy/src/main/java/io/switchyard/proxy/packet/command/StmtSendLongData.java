package io.switchyard.proxy.packet.command;

import io.switchyard.proxy.codec.CommandType;
import io.switchyard.proxy.codec.PacketReader;
import io.switchyard.proxy.codec.PacketWriter;
import io.switchyard.proxy.packet.MySqlPacket;

import java.util.Arrays;
import java.util.Objects;

/**
 * COM_STMT_SEND_LONG_DATA: a piece of a parameter value sent ahead of COM_STMT_EXECUTE; no reply
 * (https://dev.mysql.com/doc/dev/mysql-server/latest/page_protocol_com_stmt_send_long_data.html). The byte array is
 * not copied: treat it as immutable.
 */
public record StmtSendLongData(long statementId, int paramId, byte[] data) implements MySqlPacket {
    public StmtSendLongData {
        Commands.requireStatementId(statementId);
        if (paramId < 0 || paramId > 0xFFFF) {
            throw new IllegalArgumentException("parameter id must fit in int<2>, was " + paramId);
        }
        Objects.requireNonNull(data, "data");
    }

    public static StmtSendLongData read(PacketReader r, long capabilities) {
        Commands.readCommand(r, CommandType.COM_STMT_SEND_LONG_DATA);
        long statementId = r.int4();
        int paramId = r.int2();
        return new StmtSendLongData(statementId, paramId, r.restBytes());
    }

    @Override
    public int length(long capabilities) {
        return 1 + 4 + 2 + data.length;
    }

    @Override
    public void write(PacketWriter w, long capabilities) {
        w.int1(CommandType.COM_STMT_SEND_LONG_DATA.code()).int4(statementId).int2(paramId).bytes(data);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof StmtSendLongData other && statementId == other.statementId && paramId == other.paramId
                && Arrays.equals(data, other.data);
    }

    @Override
    public int hashCode() {
        return Objects.hash(statementId, paramId) * 31 + Arrays.hashCode(data);
    }

    @Override
    public String toString() {
        return "StmtSendLongData[statementId=" + statementId + ", paramId=" + paramId + ", data=" + data.length
                + " bytes]";
    }
}
