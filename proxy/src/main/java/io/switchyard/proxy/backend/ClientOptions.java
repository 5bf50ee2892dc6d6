package io.switchyard.proxy.backend;

import io.switchyard.proxy.codec.Capabilities;
import io.switchyard.proxy.codec.Collations;

/**
 * The options of a client session that its backend connection must share, because they change what the server
 * answers (ProxySQL's {@code match_tracked_options}, proxy-peers.md §4 P0.2): FOUND_ROWS changes affected-row
 * counts, MULTI_STATEMENTS/MULTI_RESULTS whether several results may come, DEPRECATE_EOF the result-set framing, and
 * so on. Pools are keyed by this record, so a connection is only ever lent to a session with the same options.
 *
 * @param capabilityBits the client's negotiated capabilities masked with {@link #TRACKED}
 * @param charset the collation id the client sent in its handshake (the backend connection is opened with it)
 */
public record ClientOptions(long capabilityBits, int charset) {
    /** The capability bits that must match between a client session and its backend connection. */
    public static final long TRACKED = Capabilities.CLIENT_FOUND_ROWS | Capabilities.CLIENT_IGNORE_SPACE
            | Capabilities.CLIENT_MULTI_STATEMENTS | Capabilities.CLIENT_MULTI_RESULTS
            | Capabilities.CLIENT_PS_MULTI_RESULTS | Capabilities.CLIENT_DEPRECATE_EOF
            | Capabilities.CLIENT_SESSION_TRACK | Capabilities.CLIENT_LOCAL_FILES;

    public ClientOptions {
        if ((capabilityBits & ~TRACKED) != 0) {
            throw new IllegalArgumentException("capability bits outside the tracked set: "
                    + Capabilities.names(capabilityBits & ~TRACKED));
        }
        if (charset < 1 || charset > 0xFF) {
            throw new IllegalArgumentException("charset must be a collation id 1..255, was " + charset);
        }
    }

    /**
     * The options of a client that negotiated {@code negotiatedClientCapabilities} and sent {@code charset}. A
     * charset of 0 (sent by a few old clients: "server default") becomes utf8mb4_general_ci, which both MySQL and
     * MariaDB know.
     */
    public static ClientOptions of(long negotiatedClientCapabilities, int charset) {
        int collation = charset == 0 ? Collations.UTF8MB4_GENERAL_CI : charset & 0xFF;
        return new ClientOptions(negotiatedClientCapabilities & TRACKED, collation);
    }

    public boolean has(long flag) {
        return Capabilities.has(capabilityBits, flag);
    }

    @Override
    public String toString() {
        return "ClientOptions[" + Capabilities.names(capabilityBits) + ", charset=" + charset + "]";
    }
}
