package io.switchyard.proxy.server;

import io.switchyard.proxy.backend.BackendException;
import io.switchyard.proxy.backend.Backends;
import io.switchyard.proxy.backend.ResponseListener;
import io.switchyard.proxy.codec.Packet;
import io.switchyard.proxy.session.StatementKind;

/**
 * Relays one backend response to the client packet by packet, without decoding rows: the backend's sequence ids
 * are the client's too, because both commands started at 0. Backpressure: when the client socket stops taking
 * bytes, reading from the backend pauses until it drains, so a slow client never makes the gateway hold a result set.
 */
final class Relay implements ResponseListener {
    /** Lets a command look at (and rewrite) the first packet of its response, e.g. a prepared statement's id. */
    @FunctionalInterface
    interface FirstPacketHook {
        void onFirstPacket(Packet packet);
    }

    private static final int FLUSH_EVERY = 64;

    private final GatewayContext context;
    private final FrontendHandler frontend;
    private final CommandPhase commands;
    private final Session session;
    private final Backends.Lease lease;
    private final LeaseKey key;
    private final StatementKind kind;
    private final FirstPacketHook hook;
    private final long startNanos;
    private int relayed;
    private boolean paused;
    private String sql;

    Relay(GatewayContext context, FrontendHandler frontend, CommandPhase commands, Session session,
          Backends.Lease lease, LeaseKey key, StatementKind kind, FirstPacketHook hook, long startNanos) {
        this.context = context;
        this.frontend = frontend;
        this.commands = commands;
        this.session = session;
        this.lease = lease;
        this.key = key;
        this.kind = kind;
        this.hook = hook;
        this.startNanos = startNanos;
    }

    /** The statement text, for a SET that must be replayed on the session's later backends. */
    Relay recordingSetting(String sql) {
        this.sql = sql;
        return this;
    }

    @Override
    public void onPacket(Packet packet, boolean last, int statusFlags) {
        commands.onLoop(() -> relay(packet, last, statusFlags));
    }

    private void relay(Packet packet, boolean last, int statusFlags) {
        if (commands.isClosed()) {
            packet.release();
            return;
        }
        if (relayed++ == 0 && hook != null) {
            hook.onFirstPacket(packet);
        }
        int header = packet.header();
        int errorCode = header == 0xFF && packet.length() >= 3
                ? packet.payload().getUnsignedShortLE(packet.payload().readerIndex() + 1) : 0;
        frontend.writeRelayed(packet);
        if (last) {
            frontend.ctx().flush();
            session.statusFlags(statusFlags);
            if (sql != null && header == 0x00) {
                session.recordSetting(sql);
            }
            if (header == 0xFF) {
                context.metrics().error(errorCode);
            }
            context.metrics().query(key.keyspace(), key.tabletType().label(), kind.label(),
                    System.nanoTime() - startNanos);
            commands.done();
        } else if (!frontend.ctx().channel().isWritable()) {
            // Pause before flushing: the flush may drain the buffer and fire the writability event at once, and
            // a resume that ran before the pause would leave the backend paused for good.
            paused = true;
            lease.connection().setAutoRead(false);
            frontend.ctx().flush();
            if (frontend.ctx().channel().isWritable()) {
                resume();
            }
        } else if (relayed % FLUSH_EVERY == 0) {
            frontend.ctx().flush();
        }
    }

    void resume() {
        if (paused) {
            paused = false;
            lease.connection().setAutoRead(true);
        }
    }

    @Override
    public void onFailure(BackendException cause) {
        commands.onLoop(() -> {
            session.leases().remove(key);
            context.backends().release(lease);
            if (commands.isClosed()) {
                return;
            }
            if (relayed == 0) {
                commands.fail(CommandPhase.toProtocol(cause));
            } else {
                // Half a result set is out: the client cannot be told in-band, so its connection must end.
                frontend.failConnection(CommandPhase.toProtocol(cause));
            }
        });
    }
}
