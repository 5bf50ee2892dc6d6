package io.switchyard.proxy.packet.command;

import io.switchyard.proxy.codec.Capabilities;
import io.switchyard.proxy.codec.MySqlError;
import io.switchyard.proxy.codec.PacketReader;
import io.switchyard.proxy.codec.PacketWriter;
import io.switchyard.proxy.packet.MySqlPacket;

/**
 * COM_STMT_PREPARE_OK: the first packet of a successful COM_STMT_PREPARE response, followed by
 * {@code paramCount} and then {@code columnCount} column definitions, each group ended by an EOF unless
 * CLIENT_DEPRECATE_EOF (https://dev.mysql.com/doc/dev/mysql-server/latest/page_protocol_com_stmt_prepare.html).
 * With CLIENT_OPTIONAL_RESULTSET_METADATA a trailing metadata-follows byte is read and written.
 */
public record StmtPrepareOk(long statementId, int columnCount, int paramCount, int warnings, boolean metadataFollows)
        implements MySqlPacket {
    public static final int HEADER = 0x00;

    public StmtPrepareOk {
        if (statementId < 0 || statementId > 0xFFFFFFFFL) {
            throw new IllegalArgumentException("statement id must fit in int<4>, was " + statementId);
        }
        if (columnCount < 0 || columnCount > 0xFFFF || paramCount < 0 || paramCount > 0xFFFF
                || warnings < 0 || warnings > 0xFFFF) {
            throw new IllegalArgumentException("column count, parameter count and warnings must fit in int<2>, were "
                    + columnCount + ", " + paramCount + " and " + warnings);
        }
    }

    public static StmtPrepareOk of(long statementId, int columnCount, int paramCount, int warnings) {
        return new StmtPrepareOk(statementId, columnCount, paramCount, warnings, true);
    }

    /** The same answer under another statement id: the gateway's id toward the client for a backend's. */
    public StmtPrepareOk withStatementId(long id) {
        return new StmtPrepareOk(id, columnCount, paramCount, warnings, metadataFollows);
    }

    public static StmtPrepareOk read(PacketReader r, long capabilities) {
        int header = r.int1();
        if (header != HEADER) {
            throw MySqlError.ER_MALFORMED_PACKET.exception(
                    "COM_STMT_PREPARE_OK starts with 0x" + Integer.toHexString(header));
        }
        long statementId = r.int4();
        int columnCount = r.int2();
        int paramCount = r.int2();
        int warnings = 0;
        boolean metadataFollows = true;
        if (r.hasRemaining()) {
            r.skip(1); // reserved
            warnings = r.int2();
            if (Capabilities.has(capabilities, Capabilities.CLIENT_OPTIONAL_RESULTSET_METADATA) && r.hasRemaining()) {
                metadataFollows = r.int1() != 0;
            }
        }
        return new StmtPrepareOk(statementId, columnCount, paramCount, warnings, metadataFollows);
    }

    @Override
    public int length(long capabilities) {
        return 1 // header
                + 4 // statement id
                + 2 // column count
                + 2 // parameter count
                + 1 // reserved
                + 2 // warnings
                + (Capabilities.has(capabilities, Capabilities.CLIENT_OPTIONAL_RESULTSET_METADATA) ? 1 : 0);
    }

    @Override
    public void write(PacketWriter w, long capabilities) {
        w.int1(HEADER).int4(statementId).int2(columnCount).int2(paramCount).int1(0).int2(warnings);
        if (Capabilities.has(capabilities, Capabilities.CLIENT_OPTIONAL_RESULTSET_METADATA)) {
            w.int1(metadataFollows ? 1 : 0);
        }
    }
}
