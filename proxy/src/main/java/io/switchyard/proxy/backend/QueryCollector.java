package io.switchyard.proxy.backend;

import io.netty.buffer.Unpooled;
import io.switchyard.proxy.codec.Capabilities;
import io.switchyard.proxy.codec.Packet;
import io.switchyard.proxy.packet.generic.ErrPacket;
import io.switchyard.proxy.packet.generic.OkPacket;
import io.switchyard.proxy.packet.generic.Responses;
import io.switchyard.proxy.packet.resultset.ColumnDefinition41;
import io.switchyard.proxy.packet.resultset.ResultRow;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * Collects the response to a gateway-issued COM_QUERY into a {@link SimpleResult}: the first result set's column
 * names and rows decoded as UTF-8 strings, and the final OK's counters. Later result sets (multi-statements) are
 * read past; the first ERR wins. The {@link ResponseTracker} decides where the response ends; this class only needs
 * to know which packet of a result set it is looking at. Releases every packet.
 */
final class QueryCollector implements ResponseListener {
    /** Which packet of the current result comes next. */
    private enum State {
        RESULT_START,
        COLUMNS,
        COLUMNS_EOF,
        ROWS
    }

    private final BackendConnection connection;
    private final CompletableFuture<SimpleResult> result;
    private final long capabilities;
    private State state = State.RESULT_START;
    private long columnsLeft;
    private boolean firstResultDone;
    private final List<String> columns = new ArrayList<>();
    private final List<ColumnDefinition41> definitions = new ArrayList<>();
    private final List<List<String>> rows = new ArrayList<>();
    private final List<List<byte[]>> cells = new ArrayList<>();
    private OkPacket ok;
    private BackendException error;

    QueryCollector(BackendConnection connection, CompletableFuture<SimpleResult> result) {
        this.connection = connection;
        this.result = result;
        this.capabilities = connection.capabilities();
    }

    @Override
    public void onPacket(Packet packet, boolean last, int statusFlags) {
        try {
            collect(packet);
        } catch (RuntimeException e) {
            if (error == null) {
                error = BackendException.of(BackendException.Kind.PROTOCOL, connection.description()
                        + ": cannot read the result: " + e.getMessage(), e);
            }
        } finally {
            packet.release();
        }
        if (!last) {
            return;
        }
        if (error != null) {
            result.completeExceptionally(error);
        } else {
            long affected = ok == null ? 0 : ok.affectedRows();
            long insertId = ok == null ? 0 : ok.lastInsertId();
            int warnings = ok == null ? 0 : ok.warnings();
            result.complete(new SimpleResult(columns, rows, affected, insertId, statusFlags, warnings, definitions,
                    cells));
        }
    }

    private void collect(Packet packet) {
        int header = packet.header();
        if (header == ErrPacket.HEADER) {
            if (error == null) {
                error = serverError(packet, capabilities);
            }
            return;
        }
        switch (state) {
            case RESULT_START -> {
                if (header == OkPacket.HEADER) {
                    ok = OkPacket.read(packet.reader(), capabilities);
                    return;
                }
                if (header == 0xFB) {
                    return; // LOCAL INFILE: answered in onLocalInfileRequest
                }
                columnsLeft = packet.reader().lenencInt();
                state = State.COLUMNS;
            }
            case COLUMNS -> {
                if (!firstResultDone) {
                    ColumnDefinition41 definition = ColumnDefinition41.read(packet.reader(), capabilities);
                    definitions.add(definition);
                    columns.add(definition.name());
                }
                if (--columnsLeft == 0) {
                    state = Capabilities.has(capabilities, Capabilities.CLIENT_DEPRECATE_EOF)
                            ? State.ROWS : State.COLUMNS_EOF;
                }
            }
            case COLUMNS_EOF -> state = State.ROWS;
            case ROWS -> {
                if (!isEnd(packet)) {
                    if (!firstResultDone) {
                        ResultRow row = ResultRow.read(packet.reader(), columns.size());
                        List<String> values = new ArrayList<>(row.size());
                        for (int i = 0; i < row.size(); i++) {
                            values.add(row.string(i));
                        }
                        rows.add(Collections.unmodifiableList(values));
                        cells.add(Collections.unmodifiableList(new ArrayList<>(row.values())));
                    }
                    return;
                }
                firstResultDone = true;
                state = State.RESULT_START;
            }
            default -> throw new IllegalStateException("unknown state " + state);
        }
    }

    private boolean isEnd(Packet packet) {
        boolean deprecateEof = Capabilities.has(capabilities, Capabilities.CLIENT_DEPRECATE_EOF);
        return deprecateEof ? packet.header() == 0xFE && packet.length() < Packet.MAX_CHUNK_LENGTH
                : Responses.isEof(packet.payload());
    }

    /** The gateway never sends files of its own: an empty file ends the request, the server then answers. */
    @Override
    public void onLocalInfileRequest() {
        connection.sendLocalInfileData(new Packet(0, Unpooled.EMPTY_BUFFER));
    }

    @Override
    public void onFailure(BackendException cause) {
        result.completeExceptionally(cause);
    }

    /** The server's ERR as a {@link BackendException.Kind#SERVER_ERROR}, message verbatim. */
    static BackendException serverError(Packet packet, long capabilities) {
        ErrPacket err = ErrPacket.read(packet.reader(), capabilities);
        return BackendException.fromServer(BackendException.Kind.SERVER_ERROR, err, "");
    }
}
