package io.switchyard.proxy.server;

import io.switchyard.config.User;
import io.switchyard.proxy.backend.Backends;
import io.switchyard.proxy.codec.MySqlError;

import java.util.Optional;

/**
 * {@code KILL [QUERY | CONNECTION] id} and COM_PROCESS_KILL. Ids are the gateway's connection ids, the ones clients
 * saw in their handshake (drivers cancel a statement with {@code KILL QUERY <that id>} on a second connection);
 * {@code KILL QUERY} becomes a {@code KILL QUERY} of the backend thread running the statement.
 */
final class KillCommand {
    private final GatewayContext context;
    private final CommandPhase commands;
    private final Session session;

    KillCommand(GatewayContext context, CommandPhase commands, Session session) {
        this.context = context;
        this.commands = commands;
        this.session = session;
    }

    void statement(String args) {
        String[] words = args.trim().split("\\s+");
        boolean queryOnly = words.length == 2 && words[0].equalsIgnoreCase("QUERY");
        boolean connection = words.length == 2 && words[0].equalsIgnoreCase("CONNECTION");
        String id = words.length == 1 ? words[0] : (queryOnly || connection) ? words[1] : "";
        if (!id.matches("[0-9]+")) {
            commands.fail(MySqlError.ER_PARSE_ERROR.exception("expected KILL [QUERY | CONNECTION] <connection id>"));
            return;
        }
        kill(Long.parseLong(id), queryOnly);
    }

    /** KILL [QUERY] id: ids are the gateway's connection ids, as the client saw them in its handshake. */
    void kill(long id, boolean queryOnly) {
        Optional<FrontendHandler> victim = context.sessions().get(id);
        if (victim.isEmpty()) {
            commands.fail(MySqlError.ER_NO_SUCH_THREAD.exception(id));
            return;
        }
        User victimUser = victim.get().session().user();
        boolean allowed = victimUser == null || victimUser.name().equals(session.user().name())
                || session.user().role() == User.Role.ADMIN;
        if (!allowed) {
            commands.fail(MySqlError.ER_KILL_DENIED_ERROR.exception(id));
            return;
        }
        if (!queryOnly) {
            if (id == session.id()) {
                commands.closing();
            }
            victim.get().kill();
            if (id != session.id()) {
                commands.ok();
            }
            return;
        }
        Backends.Lease executing = victim.get().session().executing();
        if (executing == null) {
            commands.ok();
            return;
        }
        context.backends().killQuery(executing).whenComplete((ignored, error) -> commands.onLoop(() -> {
            if (error != null) {
                commands.fail(CommandPhase.toProtocol(error));
            } else {
                commands.ok();
            }
        }));
    }

}
