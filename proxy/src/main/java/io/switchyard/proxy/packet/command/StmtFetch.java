package io.switchyard.proxy.packet.command;

import io.switchyard.proxy.codec.CommandType;
import io.switchyard.proxy.codec.PacketReader;
import io.switchyard.proxy.codec.PacketWriter;
import io.switchyard.proxy.packet.MySqlPacket;

/**
 * COM_STMT_FETCH: the next {@code rows} rows of a cursor opened by COM_STMT_EXECUTE (Connector/J
 * {@code useCursorFetch}), see https://dev.mysql.com/doc/dev/mysql-server/latest/page_protocol_com_stmt_fetch.html.
 */
public record StmtFetch(long statementId, long rows) implements MySqlPacket {
    public StmtFetch {
        Commands.requireStatementId(statementId);
        if (rows < 0 || rows > 0xFFFFFFFFL) {
            throw new IllegalArgumentException("row count must fit in int<4>, was " + rows);
        }
    }

    public static StmtFetch read(PacketReader r, long capabilities) {
        Commands.readCommand(r, CommandType.COM_STMT_FETCH);
        long statementId = r.int4();
        return new StmtFetch(statementId, r.int4());
    }

    @Override
    public int length(long capabilities) {
        return 1 + 4 + 4;
    }

    @Override
    public void write(PacketWriter w, long capabilities) {
        w.int1(CommandType.COM_STMT_FETCH.code()).int4(statementId).int4(rows);
    }
}
