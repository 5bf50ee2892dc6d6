package io.switchyard.proxy.packet.generic;

import io.netty.buffer.ByteBuf;

/**
 * Classifies a server payload by its first byte without decoding or consuming it (the payload's indexes are not
 * moved), so that the relay path can decide what a backend packet is and pass it on untouched.
 *
 * <p>The first byte is ambiguous, so each predicate holds only in the context its Javadoc names: 0x00 is also a
 * binary row and an empty text value, 0xFE is an EOF, an OK-as-EOF or an auth switch, 0x01 is a column count or
 * AuthMoreData. Only 0xFF (ERR) means the same everywhere.
 */
public final class Responses {
    /** An EOF or a 0xFE-headed OK is shorter than this; a text row starting with 0xFE (int&lt;8&gt;) is not. */
    private static final int MAX_EOF_LENGTH = 9;

    private Responses() {
    }

    /** An OK packet, when this is the first packet of a command's response (or of an auth result). */
    public static boolean isOk(ByteBuf payload) {
        return header(payload) == OkPacket.HEADER;
    }

    /** An ERR packet: valid in every context, also in the middle of a result set. */
    public static boolean isErr(ByteBuf payload) {
        return header(payload) == ErrPacket.HEADER;
    }

    /**
     * The end of column definitions or of rows: an EOF packet, or with CLIENT_DEPRECATE_EOF the 0xFE-headed OK that
     * replaces it. Valid after a column count, while reading definitions or rows (text or binary).
     */
    public static boolean isEof(ByteBuf payload) {
        return header(payload) == EofPacket.HEADER && payload.readableBytes() < MAX_EOF_LENGTH;
    }

    /** A LOCAL INFILE request (0xFB + file name), as the first packet of a COM_QUERY response. */
    public static boolean isLocalInfile(ByteBuf payload) {
        return header(payload) == 0xFB;
    }

    /** An AuthSwitchRequest (0xFE), during the authentication phase only. */
    public static boolean isAuthSwitch(ByteBuf payload) {
        return header(payload) == 0xFE;
    }

    /** AuthMoreData (0x01), during the authentication phase only. */
    public static boolean isAuthMoreData(ByteBuf payload) {
        return header(payload) == 0x01;
    }

    private static int header(ByteBuf payload) {
        return payload.isReadable() ? payload.getUnsignedByte(payload.readerIndex()) : -1;
    }
}
