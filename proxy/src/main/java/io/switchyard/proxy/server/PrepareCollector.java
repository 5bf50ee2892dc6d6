package io.switchyard.proxy.server;

import io.switchyard.proxy.backend.BackendException;
import io.switchyard.proxy.backend.ResponseListener;
import io.switchyard.proxy.codec.Capabilities;
import io.switchyard.proxy.codec.MySqlError;
import io.switchyard.proxy.codec.Packet;
import io.switchyard.proxy.packet.generic.ErrPacket;

import java.util.concurrent.CompletableFuture;

/** Reads a COM_STMT_PREPARE response the gateway sent itself: the statement id, or the server's error. */
final class PrepareCollector implements ResponseListener {
    private final CompletableFuture<Long> id = new CompletableFuture<>();
    private long statementId = -1;
    private Exception error;
    private boolean first = true;

    CompletableFuture<Long> id() {
        return id;
    }

    @Override
    public void onPacket(Packet packet, boolean last, int statusFlags) {
        try {
            if (first) {
                first = false;
                if (packet.header() == ErrPacket.HEADER) {
                    error = ErrPacket.read(packet.reader(), Capabilities.CLIENT_PROTOCOL_41).toException();
                } else if (packet.header() == 0x00 && packet.length() >= 5) {
                    statementId = packet.payload().getUnsignedIntLE(packet.payload().readerIndex() + 1);
                }
            }
        } finally {
            packet.release();
        }
        if (last) {
            if (error != null) {
                id.completeExceptionally(error);
            } else if (statementId < 0) {
                id.completeExceptionally(MySqlError.ER_UNKNOWN_ERROR.exception("the backend's prepare answer has"
                        + " no statement id"));
            } else {
                id.complete(statementId);
            }
        }
    }

    @Override
    public void onFailure(BackendException cause) {
        id.completeExceptionally(cause);
    }
}
