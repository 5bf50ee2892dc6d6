package io.switchyard.proxy.server;

import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.atomic.AtomicLong;

/** The gateway's live client connections by connection id, for KILL; ids are the gateway's own, from 1. */
final class SessionRegistry {
    private final AtomicLong ids = new AtomicLong();
    private final ConcurrentMap<Long, FrontendHandler> connections = new ConcurrentHashMap<>();

    long nextId() {
        // MySQL connection ids are int<4> in the handshake; wrap long before that matters.
        return (ids.incrementAndGet() - 1) % 0xFFFFFFFFL + 1;
    }

    void add(long id, FrontendHandler handler) {
        connections.put(id, handler);
    }

    void remove(long id) {
        connections.remove(id);
    }

    Optional<FrontendHandler> get(long id) {
        return Optional.ofNullable(connections.get(id));
    }

    int size() {
        return connections.size();
    }
}
