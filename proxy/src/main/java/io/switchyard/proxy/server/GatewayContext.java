package io.switchyard.proxy.server;

import io.netty.handler.ssl.SslContext;
import io.switchyard.config.Keyspace;
import io.switchyard.config.SwitchyardConfig;
import io.switchyard.config.User;
import io.switchyard.proxy.auth.ServerRsaKey;
import io.switchyard.proxy.backend.Backends;
import io.switchyard.proxy.metrics.GatewayMetrics;
import io.switchyard.routing.plan.Planner;

import java.security.SecureRandom;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/** What every client connection of one gateway shares. Immutable apart from the thread-safe parts it holds. */
record GatewayContext(SwitchyardConfig config, Map<String, User> users, Backends backends, LocalCommands localCommands,
                      SessionRegistry sessions, GatewayMetrics metrics, ServerRsaKey rsaKey, Set<String> sha2Cache,
                      Optional<SslContext> ssl, String serverVersion, String defaultAuthPlugin, SecureRandom random,
                      Planner planner, Sequences sequences, VSchemaChanges vschemaChanges,
                      QueryBuffer buffer, KeyspaceMentions keyspaceMentions) {

    /** A keyspace of the config, or one attached while running (an external keyspace). */
    Optional<Keyspace> keyspace(String name) {
        return backends.keyspace(name);
    }
}
