package io.switchyard.proxy.codec;

import io.netty.handler.codec.DecoderException;

import java.util.Objects;

/**
 * A MySQL protocol violation or a request the protocol layer refuses, carrying the MySQL error code and SQLSTATE the
 * session should answer with (in an ERR packet) before it closes the connection or rejects the command.
 *
 * <p>It extends {@link DecoderException} so that {@code ByteToMessageDecoder} rethrows it as is instead of wrapping
 * it: a handler's {@code exceptionCaught} sees this type whether it came from {@link PacketFrameDecoder} or from a
 * {@link PacketReader} used while parsing a packet. Build instances with {@link MySqlError#exception(Object...)}.
 */
public final class ProtocolException extends DecoderException {
    private static final long serialVersionUID = 1L;

    private final int errorCode;
    private final String sqlState;

    public ProtocolException(int errorCode, String sqlState, String message) {
        super(Objects.requireNonNull(message, "message"));
        if (errorCode < 0 || errorCode > 0xFFFF) {
            throw new IllegalArgumentException("error code must fit in int<2>, was " + errorCode);
        }
        if (sqlState.length() != 5) {
            throw new IllegalArgumentException("SQLSTATE must have 5 characters, was '" + sqlState + "'");
        }
        this.errorCode = errorCode;
        this.sqlState = sqlState;
    }

    /** The MySQL error number, e.g. 1153 for ER_NET_PACKET_TOO_LARGE. */
    public int errorCode() {
        return errorCode;
    }

    /** The five-character SQLSTATE, e.g. {@code 08S01}; a state starting with {@code 08} means the link is unusable. */
    public String sqlState() {
        return sqlState;
    }
}
