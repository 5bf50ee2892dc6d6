package io.switchyard.proxy.server;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.ByteToMessageDecoder;
import io.netty.handler.ssl.SslContext;
import io.switchyard.proxy.codec.Capabilities;
import io.switchyard.proxy.packet.handshake.SslRequest;

import java.util.List;

/**
 * Sits in front of the frame decoder until the client's first packet: if it is an SSLRequest, consumes it, puts a
 * TLS handler in its own place and tells the session; otherwise steps aside. It must be a decoder at the front of
 * the pipeline because the client sends its TLS ClientHello right behind the SSLRequest, often in the same TCP
 * segment: those bytes have to reach the TLS handler, never the MySQL frame decoder. Replacing a
 * {@link ByteToMessageDecoder} hands its leftover bytes to the handler that replaces it.
 */
final class TlsUpgrade extends ByteToMessageDecoder {
    /** Fired to the session when the client asked for TLS and the handshake has begun. */
    static final Object STARTED = new Object() {
        @Override
        public String toString() {
            return "TLS upgrade started";
        }
    };

    private static final int HEADER = 4;
    private final SslContext ssl;

    TlsUpgrade(SslContext ssl) {
        this.ssl = ssl;
    }

    @Override
    protected void decode(ChannelHandlerContext ctx, ByteBuf in, List<Object> out) {
        if (in.readableBytes() < HEADER) {
            return;
        }
        int length = in.getUnsignedMediumLE(in.readerIndex());
        if (length != SslRequest.LENGTH) {
            ctx.pipeline().remove(this);
            return;
        }
        if (in.readableBytes() < HEADER + length) {
            return;
        }
        long flags = in.getUnsignedIntLE(in.readerIndex() + HEADER);
        if ((flags & Capabilities.CLIENT_SSL) == 0) {
            ctx.pipeline().remove(this);
            return;
        }
        in.skipBytes(HEADER + length);
        ctx.pipeline().replace(this, "tls", ssl.newHandler(ctx.alloc()));
        ctx.fireUserEventTriggered(STARTED);
    }
}
