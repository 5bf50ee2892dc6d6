package io.switchyard.proxy.packet.generic;

import io.switchyard.proxy.codec.Capabilities;
import io.switchyard.proxy.codec.MySqlError;
import io.switchyard.proxy.codec.PacketReader;
import io.switchyard.proxy.codec.PacketWriter;
import io.switchyard.proxy.codec.ProtocolException;
import io.switchyard.proxy.packet.MySqlPacket;

import java.nio.charset.StandardCharsets;
import java.util.Objects;

/**
 * ERR_Packet: a command or the handshake failed
 * (https://dev.mysql.com/doc/dev/mysql-server/latest/page_protocol_basic_err_packet.html).
 *
 * <p>The SQLSTATE ({@code '#'} + 5 characters) is written only with CLIENT_PROTOCOL_41. On read it is detected by
 * the {@code '#'} marker rather than by capabilities, because servers send ERR before capabilities are agreed (e.g.
 * "Too many connections" instead of a greeting); without it the state reads as {@value #DEFAULT_SQL_STATE}.
 * MariaDB progress reports (code 0xFFFF) do not occur: MARIADB_CLIENT_PROGRESS is never negotiated.
 */
public record ErrPacket(int errorCode, String sqlState, String message) implements MySqlPacket {
    public static final int HEADER = 0xFF;
    /** The SQLSTATE of an ERR without one ("general error"). */
    public static final String DEFAULT_SQL_STATE = "HY000";

    public ErrPacket {
        OkPacket.checkInt2("errorCode", errorCode);
        if (sqlState.length() != 5) {
            throw new IllegalArgumentException("SQLSTATE must have 5 characters, was '" + sqlState + "'");
        }
        Objects.requireNonNull(message, "message");
    }

    /** The ERR for one of the gateway's own errors, with the MySQL message filled in from {@code args}. */
    public static ErrPacket of(MySqlError error, Object... args) {
        return new ErrPacket(error.code(), error.sqlState(), error.message(args));
    }

    public static ErrPacket of(ProtocolException e) {
        return new ErrPacket(e.errorCode(), e.sqlState(), e.getMessage());
    }

    public static ErrPacket read(PacketReader r, long capabilities) {
        int header = r.int1();
        if (header != HEADER) {
            throw MySqlError.ER_MALFORMED_PACKET.exception("ERR packet starts with 0x" + Integer.toHexString(header));
        }
        int code = r.int2();
        String state = DEFAULT_SQL_STATE;
        if (r.hasRemaining() && r.peek() == '#') {
            r.skip(1);
            state = new String(r.fixedBytes(5), StandardCharsets.US_ASCII);
        }
        return new ErrPacket(code, state, r.eofString());
    }

    /** The error as an exception, e.g. to fail a backend handshake with the backend's own code and state. */
    public ProtocolException toException() {
        return new ProtocolException(errorCode, sqlState, message);
    }

    @Override
    public int length(long capabilities) {
        return 1 // header
                + 2 // error code
                + (Capabilities.has(capabilities, Capabilities.CLIENT_PROTOCOL_41) ? 6 : 0) // '#' + state
                + PacketWriter.utf8Length(message);
    }

    @Override
    public void write(PacketWriter w, long capabilities) {
        w.int1(HEADER).int2(errorCode);
        if (Capabilities.has(capabilities, Capabilities.CLIENT_PROTOCOL_41)) {
            w.int1('#').eofString(sqlState);
        }
        w.eofString(message);
    }
}
