package io.switchyard.proxy.codec;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;

/** Hex helpers for golden-byte tests; whitespace in hex strings is ignored so captures can be laid out by field. */
public final class Hex {
    private Hex() {
    }

    public static byte[] bytes(String hex) {
        return ByteBufUtil.decodeHexDump(hex.replaceAll("\\s", ""));
    }

    /** A new heap buffer with the bytes; the caller releases it. */
    public static ByteBuf buf(String hex) {
        return Unpooled.wrappedBuffer(bytes(hex));
    }

    /** The readable bytes as lowercase hex, indexes unchanged. */
    public static String hex(ByteBuf buf) {
        return ByteBufUtil.hexDump(buf);
    }

    public static String hex(byte[] bytes) {
        return ByteBufUtil.hexDump(bytes);
    }

    /** Normalizes a spaced hex string for comparison with {@link #hex}. */
    public static String compact(String hex) {
        return hex.replaceAll("\\s", "").toLowerCase(java.util.Locale.ROOT);
    }
}
