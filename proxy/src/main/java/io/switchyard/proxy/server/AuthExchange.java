package io.switchyard.proxy.server;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.switchyard.config.User;
import io.switchyard.proxy.auth.CachingSha2Password;
import io.switchyard.proxy.auth.NativePassword;
import io.switchyard.proxy.auth.ServerRsaKey;
import io.switchyard.proxy.codec.MySqlError;
import io.switchyard.proxy.codec.ProtocolException;
import io.switchyard.proxy.packet.MySqlPacket;
import io.switchyard.proxy.packet.handshake.AuthMoreData;
import io.switchyard.proxy.packet.handshake.AuthSwitchRequest;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The server side of one client's authentication, as a state machine fed the client's packets. The gateway knows
 * each user's password (from the config), so it can check any scramble; what it must get right is the exchange each
 * plugin expects (dev.mysql.com page_protocol_connection_phase and page_caching_sha2_authentication_exchanges).
 *
 * <p>{@code caching_sha2_password} behaves as in MySQL: the first login of a user since the gateway started takes the
 * full path (cleartext over TLS, or the RSA public-key exchange without TLS); later logins take the fast path.
 */
final class AuthExchange {
    /** What the connection must do next: send these packets, then keep going, or finish. */
    record Step(List<MySqlPacket> send, Outcome outcome, User user, ProtocolException error) {
        static Step more(MySqlPacket... packets) {
            return new Step(List.of(packets), Outcome.CONTINUE, null, null);
        }

        static Step success(User user, MySqlPacket... before) {
            return new Step(List.of(before), Outcome.SUCCESS, user, null);
        }

        static Step failure(ProtocolException error) {
            return new Step(List.of(), Outcome.FAILURE, null, error);
        }
    }

    enum Outcome { CONTINUE, SUCCESS, FAILURE }

    private enum State { AWAIT_RESPONSE, AWAIT_NATIVE_AFTER_SWITCH, AWAIT_SHA2_FULL, AWAIT_RSA_PASSWORD, DONE }

    private final Map<String, User> users;
    private final byte[] seed;
    private final boolean secure;
    private final ServerRsaKey rsaKey;
    private final Set<String> sha2Cache;
    private final String clientHost;
    private State state = State.AWAIT_RESPONSE;
    private String username;
    private boolean passwordGiven;

    /**
     * @param sha2Cache users (with their password digest) who completed a full caching_sha2 authentication; shared by
     *                  all connections of the gateway
     */
    AuthExchange(Map<String, User> users, byte[] seed, boolean secure, ServerRsaKey rsaKey, Set<String> sha2Cache,
                 String clientHost) {
        this.users = users;
        this.seed = seed;
        this.secure = secure;
        this.rsaKey = rsaKey;
        this.sha2Cache = sha2Cache;
        this.clientHost = clientHost;
    }

    /** The client's first answer: its user name, the plugin it used and that plugin's response to our seed. */
    Step start(String user, String plugin, byte[] response) {
        if (state != State.AWAIT_RESPONSE) {
            throw new IllegalStateException("authentication already started");
        }
        username = user;
        passwordGiven = response.length > 0;
        if (CachingSha2Password.PLUGIN_NAME.equals(plugin)) {
            return sha2(response);
        }
        if (NativePassword.PLUGIN_NAME.equals(plugin)) {
            return finish(checkNative(response));
        }
        // Any other plugin (or none): ask for mysql_native_password, which every client speaks.
        state = State.AWAIT_NATIVE_AFTER_SWITCH;
        return Step.more(AuthSwitchRequest.withSeed(NativePassword.PLUGIN_NAME, seed));
    }

    /** Every further client packet of the exchange (its payload). */
    Step next(ByteBuf payload) {
        byte[] data = ByteBufUtil.getBytes(payload);
        switch (state) {
            case AWAIT_NATIVE_AFTER_SWITCH -> {
                passwordGiven = data.length > 0;
                return finish(checkNative(data));
            }
            case AWAIT_SHA2_FULL -> {
                if (data.length == 1 && data[0] == CachingSha2Password.REQUEST_PUBLIC_KEY) {
                    state = State.AWAIT_RSA_PASSWORD;
                    return Step.more(new AuthMoreData(rsaKey.publicKeyPemBytes()));
                }
                if (!secure) {
                    // A cleartext password over a plain socket: refuse rather than read it.
                    return fail();
                }
                return fullAuth(Optional.of(CachingSha2Password.parseCleartextResponse(data)));
            }
            case AWAIT_RSA_PASSWORD -> {
                return fullAuth(rsaKey.decryptPassword(data, seed));
            }
            default -> throw MySqlError.ER_HANDSHAKE_ERROR.exception();
        }
    }

    private Step sha2(byte[] response) {
        Optional<User> user = user();
        if (user.isEmpty()) {
            return fail();
        }
        byte[] password = password(user.get());
        if (password.length == 0 || response.length == 0) {
            return finish(password.length == 0 && response.length == 0 ? user : Optional.empty());
        }
        if (sha2Cache.contains(cacheKey(user.get()))
                && CachingSha2Password.verify(response, seed, CachingSha2Password.storedDigest(password))) {
            state = State.DONE;
            return Step.success(user.get(), AuthMoreData.of(CachingSha2Password.FAST_AUTH_SUCCESS));
        }
        state = State.AWAIT_SHA2_FULL;
        return Step.more(AuthMoreData.of(CachingSha2Password.PERFORM_FULL_AUTHENTICATION));
    }

    private Step fullAuth(Optional<byte[]> given) {
        Optional<User> user = user();
        if (user.isEmpty() || given.isEmpty() || !MessageDigest.isEqual(given.get(), password(user.get()))) {
            return fail();
        }
        sha2Cache.add(cacheKey(user.get()));
        state = State.DONE;
        return Step.success(user.get());
    }

    private Optional<User> checkNative(byte[] response) {
        Optional<User> user = user();
        if (user.isEmpty()) {
            return user;
        }
        byte[] password = password(user.get());
        if (password.length == 0) {
            return response.length == 0 ? user : Optional.empty();
        }
        return NativePassword.verify(response, seed, NativePassword.storedHash(password)) ? user : Optional.empty();
    }

    private Step finish(Optional<User> user) {
        if (user.isEmpty()) {
            return fail();
        }
        state = State.DONE;
        return Step.success(user.get());
    }

    private Step fail() {
        state = State.DONE;
        return Step.failure(MySqlError.ER_ACCESS_DENIED_ERROR.exception(username, clientHost,
                passwordGiven ? "YES" : "NO"));
    }

    private Optional<User> user() {
        return Optional.ofNullable(users.get(username));
    }

    private static byte[] password(User user) {
        return user.password().getBytes(StandardCharsets.UTF_8);
    }

    /** A password change in the config invalidates the cached full authentication, as in MySQL. */
    private static String cacheKey(User user) {
        return user.name() + ":" + NativePassword.formatStoredHash(NativePassword.storedHash(password(user)));
    }
}
