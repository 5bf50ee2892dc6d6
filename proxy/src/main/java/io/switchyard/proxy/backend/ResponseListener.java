package io.switchyard.proxy.backend;

import io.switchyard.proxy.codec.Packet;

/**
 * Receives the response to one {@link BackendConnection#execute} as it streams in. Every callback runs on the
 * connection's event loop, one at a time and in wire order; exactly one of "a packet with {@code last == true}" or
 * {@link #onFailure} ends the response.
 */
public interface ResponseListener {
    /**
     * One response packet, in order. Ownership passes to the listener: relay it (the frame encoder releases it) or
     * release it. The packet keeps the sequence id the backend gave it; a relay that numbers differently must
     * rewrap the payload.
     *
     * @param last true for the packet that completes the response: the final OK, ERR or EOF; for a multi-result
     *     response the final one without SERVER_MORE_RESULTS_EXISTS. The connection accepts the next command from
     *     within this call.
     * @param statusFlags when {@code last}, the server status of the final packet; an ERR carries none, so then the
     *     last status the server reported on this connection. {@code -1} when not last.
     */
    void onPacket(Packet packet, boolean last, int statusFlags);

    /**
     * The server asked for a LOCAL INFILE file: the 0xFB packet was just passed to {@link #onPacket}. Relay the
     * client's file with {@link BackendConnection#sendLocalInfileData}, ending with an empty packet; the server's
     * OK or ERR then completes the response.
     */
    default void onLocalInfileRequest() {
    }

    /** The connection broke, timed out or violated the protocol mid-response; no more packets will come. */
    void onFailure(BackendException cause);
}
