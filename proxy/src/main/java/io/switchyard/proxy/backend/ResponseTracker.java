package io.switchyard.proxy.backend;

import io.netty.buffer.ByteBuf;
import io.switchyard.proxy.codec.Capabilities;
import io.switchyard.proxy.codec.CommandType;
import io.switchyard.proxy.codec.MySqlError;
import io.switchyard.proxy.codec.Packet;
import io.switchyard.proxy.codec.PacketReader;
import io.switchyard.proxy.codec.ProtocolException;
import io.switchyard.proxy.codec.ServerStatus;

/**
 * Knows where the response to a command ends, by looking at the first bytes of each packet the server sends, so
 * that results are relayed packet by packet without being decoded
 * (https://dev.mysql.com/doc/dev/mysql-server/latest/page_protocol_command_phase.html):
 * <ul>
 *   <li>COM_QUERY, COM_STMT_EXECUTE: OK or ERR; or 0xFB (LOCAL INFILE: the client's file, then OK or ERR); or a
 *       column count, the column definitions, an EOF unless DEPRECATE_EOF, rows until EOF (OK-0xFE with
 *       DEPRECATE_EOF) or ERR. An OK or EOF with SERVER_MORE_RESULTS_EXISTS starts the next result
 *       (multi-statements, stored procedures). COM_STMT_EXECUTE with a cursor ends after the column definitions
 *       with an EOF (or OK-0xFE) carrying SERVER_STATUS_CURSOR_EXISTS and no rows.</li>
 *   <li>COM_STMT_FETCH: binary rows until EOF/OK-0xFE or ERR.</li>
 *   <li>COM_STMT_PREPARE: ERR, or PREPARE_OK then its parameter and column definitions, each group followed by an
 *       EOF unless DEPRECATE_EOF.</li>
 *   <li>COM_FIELD_LIST: column definitions until EOF/OK-0xFE, or ERR.</li>
 *   <li>Everything else that has a response (PING, INIT_DB, RESET_CONNECTION, STMT_RESET, SET_OPTION, STATISTICS,
 *       ...): exactly one packet. COM_CHANGE_USER counts as one packet too: an auth switch in its answer is not
 *       followed, the gateway re-authenticates by opening a new connection instead.</li>
 * </ul>
 *
 * <p>Telling an end marker from a row: binary rows start with 0x00, so 0xFE always ends them. A text row may start
 * with 0xFE (the length prefix of a value of 16 MiB or more), so there an end marker is 0xFE with a payload shorter
 * than 9 bytes (EOF), or with DEPRECATE_EOF shorter than 0xFFFFFF bytes (an OK-0xFE can carry info and session
 * state; a row starting with 0xFE is at least 16 MiB), as the MySQL client library decides.
 *
 * <p>Confined to one connection's event loop; no synchronization.
 */
final class ResponseTracker {
    /** Where in a response the next packet falls. */
    enum State {
        /** No command in flight: any packet from the server is a protocol violation. */
        IDLE,
        /** First packet of a (next) result: OK, ERR, 0xFB LOCAL INFILE, or a column count. */
        RESULT_START,
        /** Column definitions of a result set; {@code remaining} left. */
        COLUMNS,
        /** The EOF after the column definitions (no DEPRECATE_EOF). */
        COLUMNS_EOF,
        /** Rows until an end marker or ERR. */
        ROWS,
        /** The server waits for the client's file: it sends nothing until the empty packet that ends it. */
        LOCAL_INFILE,
        /** COM_STMT_PREPARE: PREPARE_OK or ERR. */
        PREPARE_OK,
        PREPARE_PARAMS,
        PREPARE_PARAMS_EOF,
        PREPARE_COLUMNS,
        PREPARE_COLUMNS_EOF,
        /** COM_FIELD_LIST: column definitions until an end marker, or ERR. */
        FIELD_LIST,
        /** One packet answers the command. */
        SINGLE
    }

    private static final int OK = 0x00;
    private static final int LOCAL_INFILE_HEADER = 0xFB;
    private static final int END = 0xFE;
    private static final int ERR = 0xFF;
    private static final int MAX_EOF_LENGTH = 9;

    private final boolean deprecateEof;
    private State state = State.IDLE;
    private CommandType command;
    /** Binary rows (COM_STMT_EXECUTE, COM_STMT_FETCH): 0xFE always ends them. */
    private boolean binary;
    /** Definitions left in the current group. */
    private long remaining;
    /** Columns of PREPARE_OK, read before its parameter definitions. */
    private int prepareColumns;
    /** The last server status seen: from the greeting, then every OK and EOF. */
    private int statusFlags;

    /**
     * @param capabilities the connection's negotiated capabilities (CLIENT_DEPRECATE_EOF matters)
     * @param initialStatus the status flags of the server's greeting
     */
    ResponseTracker(long capabilities, int initialStatus) {
        this.deprecateEof = Capabilities.has(capabilities, Capabilities.CLIENT_DEPRECATE_EOF);
        this.statusFlags = initialStatus;
    }

    /**
     * Checks that the tracker can follow the response to {@code command}.
     *
     * @throws IllegalArgumentException for a command without a response or one that starts a replication stream
     */
    static void requireTrackable(CommandType command) {
        switch (command) {
            case COM_QUIT, COM_STMT_CLOSE, COM_STMT_SEND_LONG_DATA -> throw new IllegalArgumentException(
                    command + " has no response; send it without waiting for one");
            case COM_BINLOG_DUMP, COM_BINLOG_DUMP_GTID, COM_REGISTER_SLAVE, COM_TABLE_DUMP, COM_CLONE,
                 COM_SUBSCRIBE_GROUP_REPLICATION_STREAM -> throw new IllegalArgumentException(
                    command + " starts a stream, not a response; it is not relayed");
            default -> {
            }
        }
    }

    /** A command was sent; its response starts now. */
    void start(CommandType command) {
        requireTrackable(command);
        if (state != State.IDLE) {
            throw new IllegalStateException("a response to " + this.command + " is still in flight (" + state + ")");
        }
        this.command = command;
        this.binary = command == CommandType.COM_STMT_EXECUTE || command == CommandType.COM_STMT_FETCH
                || command == CommandType.COM_STMT_BULK_EXECUTE;
        this.state = switch (command) {
            case COM_QUERY, COM_STMT_EXECUTE, COM_STMT_BULK_EXECUTE, COM_PROCESS_INFO -> State.RESULT_START;
            case COM_STMT_FETCH -> State.ROWS;
            case COM_STMT_PREPARE -> State.PREPARE_OK;
            case COM_FIELD_LIST -> State.FIELD_LIST;
            default -> State.SINGLE;
        };
    }

    /**
     * Accounts for one packet of the response.
     *
     * @return true if it completes the response (the tracker is then idle again)
     * @throws io.switchyard.proxy.codec.ProtocolException if the packet cannot come here
     */
    boolean accept(ByteBuf payload) {
        int header = payload.isReadable() ? payload.getUnsignedByte(payload.readerIndex()) : -1;
        switch (state) {
            case IDLE -> throw unexpected(header, "no command is in flight");
            case LOCAL_INFILE -> throw unexpected(header, "the server waits for the client's LOCAL INFILE data");
            case RESULT_START -> {
                return resultStart(payload, header);
            }
            case COLUMNS -> {
                if (header == ERR) {
                    return finish();
                }
                if (--remaining == 0) {
                    state = deprecateEof ? State.ROWS : State.COLUMNS_EOF;
                }
                return false;
            }
            case COLUMNS_EOF -> {
                if (header == ERR) {
                    return finish();
                }
                requireEnd(payload, header, "the EOF after the column definitions");
                statusFlags = endStatus(payload);
                // A read-only cursor: the rows come later through COM_STMT_FETCH.
                if (binary && ServerStatus.has(statusFlags, ServerStatus.SERVER_STATUS_CURSOR_EXISTS)) {
                    return finish();
                }
                state = State.ROWS;
                return false;
            }
            case ROWS -> {
                if (header == ERR) {
                    return finish();
                }
                if (!isEnd(payload, header)) {
                    return false;
                }
                statusFlags = endStatus(payload);
                return endOfResult();
            }
            case PREPARE_OK -> {
                return prepareOk(payload, header);
            }
            case PREPARE_PARAMS, PREPARE_COLUMNS, FIELD_LIST -> {
                return definitions(payload, header);
            }
            case PREPARE_PARAMS_EOF, PREPARE_COLUMNS_EOF -> {
                requireEnd(payload, header, "the EOF after the prepared statement's definitions");
                statusFlags = endStatus(payload);
                if (state == State.PREPARE_PARAMS_EOF && prepareColumns > 0) {
                    startGroup(State.PREPARE_COLUMNS, prepareColumns);
                    return false;
                }
                return finish();
            }
            case SINGLE -> {
                if (header == OK && payload.readableBytes() >= 7) {
                    statusFlags = okStatus(payload);
                }
                return finish();
            }
            default -> throw new IllegalStateException("unknown state " + state);
        }
    }

    /** The client's empty packet ended the LOCAL INFILE data: the server answers with OK or ERR now. */
    void localInfileSent() {
        if (state != State.LOCAL_INFILE) {
            throw new IllegalStateException("no LOCAL INFILE request is pending (" + state + ")");
        }
        state = State.RESULT_START;
    }

    State state() {
        return state;
    }

    boolean isIdle() {
        return state == State.IDLE;
    }

    boolean awaitsLocalInfile() {
        return state == State.LOCAL_INFILE;
    }

    /** The status of the last OK or EOF the server sent (also after an ERR, which carries none). */
    int statusFlags() {
        return statusFlags;
    }

    /** Forgets the response in flight, after the connection broke. */
    void abandon() {
        state = State.IDLE;
    }

    private boolean resultStart(ByteBuf payload, int header) {
        switch (header) {
            case ERR -> {
                return finish();
            }
            case OK -> {
                statusFlags = okStatus(payload);
                return endOfResult();
            }
            case LOCAL_INFILE_HEADER -> {
                state = State.LOCAL_INFILE;
                return false;
            }
            case -1 -> throw unexpected(header, "a result cannot start with an empty packet");
            default -> {
                long columns = new PacketReader(payload.duplicate()).lenencInt();
                if (columns <= 0) {
                    throw unexpected(header, "column count " + columns);
                }
                startGroup(State.COLUMNS, columns);
                return false;
            }
        }
    }

    private boolean prepareOk(ByteBuf payload, int header) {
        if (header == ERR) {
            return finish();
        }
        if (header != OK || payload.readableBytes() < 9) {
            throw unexpected(header, "COM_STMT_PREPARE is answered by PREPARE_OK or ERR");
        }
        int at = payload.readerIndex();
        prepareColumns = payload.getUnsignedShortLE(at + 5);
        int params = payload.getUnsignedShortLE(at + 7);
        if (params > 0) {
            startGroup(State.PREPARE_PARAMS, params);
            return false;
        }
        if (prepareColumns > 0) {
            startGroup(State.PREPARE_COLUMNS, prepareColumns);
            return false;
        }
        return finish();
    }

    /** A column or parameter definition, or for COM_FIELD_LIST possibly the end marker or an ERR. */
    private boolean definitions(ByteBuf payload, int header) {
        if (state == State.FIELD_LIST) {
            if (header == ERR) {
                return finish();
            }
            if (isEnd(payload, header)) {
                statusFlags = endStatus(payload);
                return finish();
            }
            return false;
        }
        if (--remaining > 0) {
            return false;
        }
        if (state == State.PREPARE_PARAMS) {
            if (!deprecateEof) {
                state = State.PREPARE_PARAMS_EOF;
                return false;
            }
            if (prepareColumns > 0) {
                startGroup(State.PREPARE_COLUMNS, prepareColumns);
                return false;
            }
            return finish();
        }
        if (!deprecateEof) {
            state = State.PREPARE_COLUMNS_EOF;
            return false;
        }
        return finish();
    }

    /** After the end of one result: another follows if the server says so. */
    private boolean endOfResult() {
        if (ServerStatus.has(statusFlags, ServerStatus.SERVER_MORE_RESULTS_EXISTS)) {
            state = State.RESULT_START;
            return false;
        }
        return finish();
    }

    private void startGroup(State next, long count) {
        state = next;
        remaining = count;
    }

    private boolean finish() {
        state = State.IDLE;
        command = null;
        return true;
    }

    /** An EOF, or with DEPRECATE_EOF the OK-0xFE that replaces it (see the class comment for the length rule). */
    private boolean isEnd(ByteBuf payload, int header) {
        if (header != END) {
            return false;
        }
        if (binary) {
            return true;
        }
        return payload.readableBytes() < (deprecateEof ? Packet.MAX_CHUNK_LENGTH : MAX_EOF_LENGTH);
    }

    private void requireEnd(ByteBuf payload, int header, String what) {
        if (!isEnd(payload, header)) {
            throw unexpected(header, "expected " + what);
        }
    }

    /**
     * The status of an end marker: an EOF is 0xFE, warnings, status (5 bytes); an OK-0xFE is 0xFE, two lenenc
     * integers, status, warnings (7 bytes or more). Tell them apart by length, which also copes with a server that
     * sends an EOF although DEPRECATE_EOF was negotiated.
     */
    private static int endStatus(ByteBuf payload) {
        int length = payload.readableBytes();
        if (length >= 7) {
            return okStatus(payload);
        }
        return length >= 5 ? payload.getUnsignedShortLE(payload.readerIndex() + 3) : 0;
    }

    /** The status field of an OK packet (header 0x00 or 0xFE). */
    private static int okStatus(ByteBuf payload) {
        PacketReader r = new PacketReader(payload.duplicate());
        r.skip(1);
        r.lenencInt(); // affected rows
        r.lenencInt(); // last insert id
        return r.int2();
    }

    private ProtocolException unexpected(int header, String why) {
        String where = command == null ? "with no command in flight" : "in the response to " + command;
        return MySqlError.ER_MALFORMED_PACKET.exception("unexpected packet 0x" + Integer.toHexString(header & 0xFF)
                + " " + where + " (" + state + "): " + why);
    }
}
