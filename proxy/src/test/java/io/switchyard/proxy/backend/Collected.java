package io.switchyard.proxy.backend;

import io.switchyard.proxy.codec.Packet;
import io.switchyard.proxy.codec.PacketReader;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

import io.netty.buffer.Unpooled;

/**
 * A {@link ResponseListener} for tests: copies every packet (sequence id, payload bytes, last flag, status) and
 * releases it at once, so tests can decode the response afterwards and nothing leaks.
 */
final class Collected implements ResponseListener {
    /** One packet as received. */
    record Received(int sequenceId, byte[] payload, boolean last, int statusFlags) {
        int header() {
            return payload.length == 0 ? -1 : payload[0] & 0xFF;
        }

        PacketReader reader() {
            return new PacketReader(Unpooled.wrappedBuffer(payload));
        }

        /** The error code of an ERR packet. */
        int errorCode() {
            return (payload[1] & 0xFF) | (payload[2] & 0xFF) << 8;
        }
    }

    private final List<Received> packets = Collections.synchronizedList(new ArrayList<>());
    private final CompletableFuture<List<Received>> done = new CompletableFuture<>();
    private final Consumer<Collected> onLocalInfile;
    private volatile int localInfileRequests;

    Collected() {
        this(c -> {
        });
    }

    Collected(Consumer<Collected> onLocalInfile) {
        this.onLocalInfile = onLocalInfile;
    }

    @Override
    public void onPacket(Packet packet, boolean last, int statusFlags) {
        try {
            byte[] bytes = new byte[packet.length()];
            packet.payload().getBytes(packet.payload().readerIndex(), bytes);
            packets.add(new Received(packet.sequenceId(), bytes, last, statusFlags));
        } finally {
            packet.release();
        }
        if (last) {
            done.complete(List.copyOf(packets));
        }
    }

    @Override
    public void onLocalInfileRequest() {
        localInfileRequests++;
        onLocalInfile.accept(this);
    }

    @Override
    public void onFailure(BackendException cause) {
        done.completeExceptionally(cause);
    }

    int localInfileRequests() {
        return localInfileRequests;
    }

    CompletableFuture<List<Received>> future() {
        return done;
    }

    /** Waits for the whole response (tests run off the event loops). */
    List<Received> await() throws Exception {
        return done.get(10, TimeUnit.SECONDS);
    }
}
