package io.switchyard.proxy.packet.resultset;

import io.switchyard.proxy.codec.Capabilities;
import io.switchyard.proxy.codec.MySqlError;
import io.switchyard.proxy.codec.PacketReader;
import io.switchyard.proxy.codec.PacketWriter;
import io.switchyard.proxy.packet.MySqlPacket;

/**
 * The first packet of a text or binary result set: the number of columns, and with
 * CLIENT_OPTIONAL_RESULTSET_METADATA whether column definitions follow
 * (https://dev.mysql.com/doc/dev/mysql-server/latest/page_protocol_com_query_response_text_resultset.html).
 */
public record ColumnCount(long count, boolean metadataFollows) implements MySqlPacket {
    public ColumnCount {
        if (count <= 0) {
            throw new IllegalArgumentException("a result set has at least one column, count was " + count);
        }
    }

    public static ColumnCount of(long count) {
        return new ColumnCount(count, true);
    }

    public static ColumnCount read(PacketReader r, long capabilities) {
        long count = r.lenencInt();
        if (count <= 0) {
            throw MySqlError.ER_MALFORMED_PACKET.exception("column count " + Long.toUnsignedString(count));
        }
        boolean metadataFollows = true;
        if (Capabilities.has(capabilities, Capabilities.CLIENT_OPTIONAL_RESULTSET_METADATA)) {
            metadataFollows = r.int1() != 0;
        }
        return new ColumnCount(count, metadataFollows);
    }

    @Override
    public int length(long capabilities) {
        return PacketWriter.lenencIntLength(count)
                + (Capabilities.has(capabilities, Capabilities.CLIENT_OPTIONAL_RESULTSET_METADATA) ? 1 : 0);
    }

    @Override
    public void write(PacketWriter w, long capabilities) {
        w.lenencInt(count);
        if (Capabilities.has(capabilities, Capabilities.CLIENT_OPTIONAL_RESULTSET_METADATA)) {
            w.int1(metadataFollows ? 1 : 0);
        }
    }
}
