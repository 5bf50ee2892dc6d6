package io.switchyard.proxy.server;

import io.switchyard.proxy.backend.ClientOptions;
import io.switchyard.proxy.codec.Packet;
import io.switchyard.proxy.codec.ProtocolException;
import io.switchyard.proxy.packet.MySqlPacket;
import io.switchyard.proxy.packet.command.ComChangeUser;

import java.util.Optional;

/**
 * COM_CHANGE_USER: authenticates again (same exchange as at connect, against the connection's original seed), then
 * resets the session as MySQL does: settings, prepared statements and backend connections are dropped. A failed
 * change ends the connection, as in MySQL.
 */
final class ChangeUser {
    private final GatewayContext context;
    private final FrontendHandler frontend;
    private final Session session;
    private final CommandPhase commands;
    private AuthExchange exchange;
    private ComChangeUser request;
    private int nextSequenceId;

    ChangeUser(GatewayContext context, FrontendHandler frontend, Session session, CommandPhase commands) {
        this.context = context;
        this.frontend = frontend;
        this.session = session;
        this.commands = commands;
    }

    boolean awaitingResponse() {
        return exchange != null;
    }

    void start(Packet packet) {
        try {
            request = ComChangeUser.read(packet.reader(), session.clientCapabilities());
            nextSequenceId = packet.nextSequenceId();
        } finally {
            packet.release();
        }
        exchange = new AuthExchange(context.users(), frontend.seed(), frontend.secure(), context.rsaKey(),
                context.sha2Cache(), session.clientHost());
        onStep(exchange.start(request.username(), request.authPluginName(), request.authResponse()));
    }

    void onResponse(Packet packet) {
        try {
            nextSequenceId = packet.nextSequenceId();
            onStep(exchange.next(packet.payload()));
        } catch (ProtocolException e) {
            exchange = null;
            frontend.failConnection(e);
        } finally {
            packet.release();
        }
    }

    private void onStep(AuthExchange.Step step) {
        long caps = session.clientCapabilities();
        for (MySqlPacket packet : step.send()) {
            frontend.write(packet, nextSequenceId, caps);
            nextSequenceId = (nextSequenceId + 1) & 0xFF;
        }
        switch (step.outcome()) {
            case CONTINUE -> frontend.ctx().flush();
            case FAILURE -> {
                exchange = null;
                frontend.failConnection(step.error());
            }
            case SUCCESS -> {
                exchange = null;
                commands.releaseLeases();
                session.reset();
                int charset = request.characterSet() != 0 ? request.characterSet() : session.options().charset();
                session.authenticated(step.user(), caps, ClientOptions.of(caps, charset));
                Optional<ProtocolException> refused = request.schema().isEmpty() ? Optional.empty()
                        : frontend.useDatabase(request.schema());
                if (refused.isPresent()) {
                    frontend.writeError(nextSequenceId, refused.get());
                } else {
                    frontend.writeOk(nextSequenceId, 0, 0, "");
                }
                commands.done();
            }
        }
    }
}
