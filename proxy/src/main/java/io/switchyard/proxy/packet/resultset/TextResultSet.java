package io.switchyard.proxy.packet.resultset;

import io.netty.buffer.ByteBufAllocator;
import io.switchyard.proxy.codec.Capabilities;
import io.switchyard.proxy.codec.Packet;
import io.switchyard.proxy.packet.MySqlPacket;
import io.switchyard.proxy.packet.generic.EofPacket;
import io.switchyard.proxy.packet.generic.OkPacket;

import java.util.ArrayList;
import java.util.List;

/**
 * A complete text result set the gateway answers with itself (admin commands such as SHOW KEYSPACES, merged
 * scatter results): column count, column definitions, an EOF unless CLIENT_DEPRECATE_EOF, the rows, then an EOF or
 * with CLIENT_DEPRECATE_EOF an OK with header 0xFE
 * (https://dev.mysql.com/doc/dev/mysql-server/latest/page_protocol_com_query_response_text_resultset.html).
 */
public record TextResultSet(List<ColumnDefinition41> columns, List<ResultRow> rows) {
    public TextResultSet {
        columns = List.copyOf(columns);
        rows = List.copyOf(rows);
        if (columns.isEmpty()) {
            throw new IllegalArgumentException("a result set needs at least one column");
        }
        for (ResultRow row : rows) {
            if (row.size() != columns.size()) {
                throw new IllegalArgumentException("row " + row + " has " + row.size() + " values for "
                        + columns.size() + " columns");
            }
        }
    }

    /**
     * Encodes the whole exchange as packets numbered from {@code firstSequenceId}; the caller owns them (write them
     * all, in order, or release them). The next packet of the exchange uses the last one's
     * {@link Packet#nextSequenceId()}.
     *
     * @param capabilities the client's effective capabilities (CLIENT_DEPRECATE_EOF, CLIENT_PROTOCOL_41)
     * @param statusFlags the server status to report at the end (and on the intermediate EOF)
     */
    public List<Packet> toPackets(ByteBufAllocator alloc, int firstSequenceId, long capabilities, int statusFlags) {
        boolean deprecateEof = Capabilities.has(capabilities, Capabilities.CLIENT_DEPRECATE_EOF);
        List<MySqlPacket> messages = new ArrayList<>(columns.size() + rows.size() + 3);
        messages.add(ColumnCount.of(columns.size()));
        messages.addAll(columns);
        if (!deprecateEof) {
            messages.add(new EofPacket(0, statusFlags));
        }
        messages.addAll(rows);
        messages.add(deprecateEof ? OkPacket.endOfRows(statusFlags, 0) : new EofPacket(0, statusFlags));

        List<Packet> packets = new ArrayList<>(messages.size());
        int sequenceId = firstSequenceId;
        try {
            for (MySqlPacket message : messages) {
                Packet packet = message.toPacket(alloc, sequenceId, capabilities);
                packets.add(packet);
                sequenceId = packet.nextSequenceId();
            }
            return packets;
        } catch (RuntimeException e) {
            packets.forEach(Packet::release);
            throw e;
        }
    }
}
