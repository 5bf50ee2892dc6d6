package io.switchyard.proxy.packet.generic;

import io.switchyard.proxy.codec.Capabilities;
import io.switchyard.proxy.codec.MySqlError;
import io.switchyard.proxy.codec.PacketReader;
import io.switchyard.proxy.codec.PacketWriter;
import io.switchyard.proxy.codec.ServerStatus;
import io.switchyard.proxy.packet.MySqlPacket;

import java.util.Arrays;
import java.util.Objects;

/**
 * OK_Packet: a command succeeded
 * (https://dev.mysql.com/doc/dev/mysql-server/latest/page_protocol_basic_ok_packet.html). With
 * CLIENT_DEPRECATE_EOF the same layout with header 0xFE ends a result set in place of the EOF packet.
 *
 * <p>With CLIENT_SESSION_TRACK, {@code info} and the session-state block are length-encoded and servers omit both
 * when empty; {@code sessionStateInfo} holds the raw state-change entries (empty unless
 * SERVER_SESSION_STATE_CHANGED is set). Without SESSION_TRACK the protocol documentation calls info a string running
 * to the end of the packet, but servers write it length-encoded there too ({@code net_store_data} in MySQL's and
 * MariaDB's {@code net_send_ok}) and libmysqlclient/libmariadb read it that way: the {@code mariadb} command-line
 * client reports "malformed packet" for a bare string. So info is length-encoded whenever present; decoding accepts
 * a bare string too (a payload whose length prefix does not fit is one). The byte array is not copied: treat it as
 * immutable.
 *
 * @param header {@link #HEADER} (0x00) or {@link #EOF_HEADER} (0xFE)
 */
public record OkPacket(int header, long affectedRows, long lastInsertId, int statusFlags, int warnings, String info,
        byte[] sessionStateInfo) implements MySqlPacket {
    public static final int HEADER = 0x00;
    /** The header of an OK packet that ends a result set under CLIENT_DEPRECATE_EOF. */
    public static final int EOF_HEADER = 0xFE;

    private static final byte[] NONE = new byte[0];

    public OkPacket {
        if (header != HEADER && header != EOF_HEADER) {
            throw new IllegalArgumentException("OK header must be 0x00 or 0xFE, was " + header);
        }
        checkInt2("statusFlags", statusFlags);
        checkInt2("warnings", warnings);
        Objects.requireNonNull(info, "info");
        Objects.requireNonNull(sessionStateInfo, "sessionStateInfo");
    }

    /** An OK for a statement: no info, no session state. */
    public static OkPacket of(long affectedRows, long lastInsertId, int statusFlags, int warnings) {
        return new OkPacket(HEADER, affectedRows, lastInsertId, statusFlags, warnings, "", NONE);
    }

    /** The OK (header 0xFE) that ends a result set when CLIENT_DEPRECATE_EOF was negotiated. */
    public static OkPacket endOfRows(int statusFlags, int warnings) {
        return new OkPacket(EOF_HEADER, 0, 0, statusFlags, warnings, "", NONE);
    }

    public static OkPacket read(PacketReader r, long capabilities) {
        int header = r.int1();
        if (header != HEADER && header != EOF_HEADER) {
            throw MySqlError.ER_MALFORMED_PACKET.exception("OK packet starts with 0x" + Integer.toHexString(header));
        }
        long affectedRows = r.lenencInt();
        long lastInsertId = r.lenencInt();
        int status = 0;
        int warnings = 0;
        if (Capabilities.has(capabilities, Capabilities.CLIENT_PROTOCOL_41)) {
            status = r.int2();
            warnings = r.int2();
        } else if (Capabilities.has(capabilities, Capabilities.CLIENT_TRANSACTIONS)) {
            status = r.int2();
        }
        String info = "";
        byte[] state = NONE;
        if (Capabilities.has(capabilities, Capabilities.CLIENT_SESSION_TRACK)) {
            if (r.hasRemaining()) {
                info = r.lenencString();
            }
            if (ServerStatus.has(status, ServerStatus.SERVER_SESSION_STATE_CHANGED) && r.hasRemaining()) {
                state = r.lenencBytes();
            }
        } else if (r.hasRemaining()) {
            info = lenencOrRest(r);
        }
        return new OkPacket(header, affectedRows, lastInsertId, status, warnings, info, state);
    }

    @Override
    public int length(long capabilities) {
        int length = 1 // header
                + PacketWriter.lenencIntLength(affectedRows)
                + PacketWriter.lenencIntLength(lastInsertId);
        if (Capabilities.has(capabilities, Capabilities.CLIENT_PROTOCOL_41)) {
            length += 4; // status, warnings
        } else if (Capabilities.has(capabilities, Capabilities.CLIENT_TRANSACTIONS)) {
            length += 2; // status
        }
        if (Capabilities.has(capabilities, Capabilities.CLIENT_SESSION_TRACK)) {
            if (writesInfo()) {
                length += PacketWriter.lenencStringLength(info);
            }
            if (stateChanged()) {
                length += PacketWriter.lenencLength(sessionStateInfo.length);
            }
        } else if (!info.isEmpty()) {
            length += PacketWriter.lenencStringLength(info);
        }
        return length;
    }

    @Override
    public void write(PacketWriter w, long capabilities) {
        w.int1(header).lenencInt(affectedRows).lenencInt(lastInsertId);
        if (Capabilities.has(capabilities, Capabilities.CLIENT_PROTOCOL_41)) {
            w.int2(statusFlags).int2(warnings);
        } else if (Capabilities.has(capabilities, Capabilities.CLIENT_TRANSACTIONS)) {
            w.int2(statusFlags);
        }
        if (Capabilities.has(capabilities, Capabilities.CLIENT_SESSION_TRACK)) {
            if (writesInfo()) {
                w.lenencString(info);
            }
            if (stateChanged()) {
                w.lenencBytes(sessionStateInfo);
            }
        } else if (!info.isEmpty()) {
            w.lenencString(info);
        }
    }

    private boolean stateChanged() {
        return ServerStatus.has(statusFlags, ServerStatus.SERVER_SESSION_STATE_CHANGED);
    }

    private boolean writesInfo() {
        return !info.isEmpty() || stateChanged();
    }

    /** The info of an OK without SESSION_TRACK: length-encoded when the prefix fits the payload, else a bare string. */
    private static String lenencOrRest(PacketReader r) {
        byte[] rest = r.restBytes();
        int first = rest[0] & 0xFF;
        long length = -1;
        int prefix = 1;
        if (first < 0xFB) {
            length = first;
        } else if (first == 0xFC && rest.length >= 3) {
            length = (rest[1] & 0xFF) | (rest[2] & 0xFF) << 8;
            prefix = 3;
        } else if (first == 0xFD && rest.length >= 4) {
            length = (rest[1] & 0xFF) | (rest[2] & 0xFF) << 8 | (rest[3] & 0xFF) << 16;
            prefix = 4;
        }
        if (length >= 0 && prefix + length == rest.length) {
            return new String(rest, prefix, (int) length, java.nio.charset.StandardCharsets.UTF_8);
        }
        return new String(rest, java.nio.charset.StandardCharsets.UTF_8);
    }

    static void checkInt2(String name, int value) {
        if (value < 0 || value > 0xFFFF) {
            throw new IllegalArgumentException(name + " must fit in int<2>, was " + value);
        }
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof OkPacket other && header == other.header && affectedRows == other.affectedRows
                && lastInsertId == other.lastInsertId && statusFlags == other.statusFlags
                && warnings == other.warnings && info.equals(other.info)
                && Arrays.equals(sessionStateInfo, other.sessionStateInfo);
    }

    @Override
    public int hashCode() {
        return Objects.hash(header, affectedRows, lastInsertId, statusFlags, warnings, info)
                * 31 + Arrays.hashCode(sessionStateInfo);
    }

    @Override
    public String toString() {
        return "OkPacket[header=0x" + Integer.toHexString(header) + ", affectedRows=" + affectedRows
                + ", lastInsertId=" + lastInsertId + ", status=" + ServerStatus.names(statusFlags)
                + ", warnings=" + warnings + ", info=" + info + ", sessionStateInfo=" + sessionStateInfo.length
                + " bytes]";
    }
}
