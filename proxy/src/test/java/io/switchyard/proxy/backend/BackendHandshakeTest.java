package io.switchyard.proxy.backend;

import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.handler.ssl.util.InsecureTrustManagerFactory;
import io.switchyard.config.BackendTls;
import io.switchyard.config.Credentials;
import io.switchyard.config.Endpoint;
import io.switchyard.proxy.auth.CachingSha2Password;
import io.switchyard.proxy.auth.NativePassword;
import io.switchyard.proxy.auth.ServerRsaKey;
import io.switchyard.proxy.codec.Capabilities;
import io.switchyard.proxy.codec.Collations;
import io.switchyard.proxy.codec.MySqlError;
import io.switchyard.proxy.codec.Packet;
import io.switchyard.proxy.codec.ServerStatus;
import io.switchyard.proxy.codec.TrackingAllocator;
import io.switchyard.proxy.packet.MySqlPacket;
import io.switchyard.proxy.packet.generic.ErrPacket;
import io.switchyard.proxy.packet.generic.OkPacket;
import io.switchyard.proxy.packet.handshake.AuthMoreData;
import io.switchyard.proxy.packet.handshake.AuthSwitchRequest;
import io.switchyard.proxy.packet.handshake.HandshakeResponse41;
import io.switchyard.proxy.packet.handshake.HandshakeV10;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.CompletionException;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The client side of the connection phase against scripted servers: MariaDB's greeting (mysql_native_password, no
 * CLIENT_MYSQL, extended capabilities) and MySQL 8's (caching_sha2_password fast path, full path with RSA, auth
 * switch), plus the failures. Runs the handler in an {@link EmbeddedChannel} without framing, so each side's packets
 * are checked as records.
 */
class BackendHandshakeTest {
    private static final String PASSWORD = "s3cret";
    private static final byte[] SEED = "0123456789abcdefghij".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] SEED2 = "ABCDEFGHIJ0123456789".getBytes(StandardCharsets.US_ASCII);
    /** What MariaDB 10.11 advertises: no CLIENT_MYSQL (bit 0), extended capabilities in the upper half. */
    private static final long MARIADB_CAPS = (Capabilities.GATEWAY_SERVER_DEFAULT & ~Capabilities.CLIENT_MYSQL)
            | Capabilities.CLIENT_SSL | Capabilities.CLIENT_SESSION_TRACK | Capabilities.MARIADB_CLIENT_PROGRESS
            | Capabilities.MARIADB_CLIENT_STMT_BULK_OPERATIONS;
    private static final long MYSQL_CAPS = Capabilities.GATEWAY_SERVER_DEFAULT | Capabilities.CLIENT_SESSION_TRACK;

    private final TrackingAllocator alloc = new TrackingAllocator();
    private EmbeddedChannel channel;
    private BackendHandshake handshake;

    @AfterEach
    void finish() {
        assertFalse(channel.finishAndReleaseAll(), "packets left over");
        alloc.assertAllReleased();
    }

    @Test
    void mariaDbNativePassword() {
        start(settings(BackendTls.Mode.DISABLED, Optional.empty()));
        serverSends(0, greeting(MARIADB_CAPS, NativePassword.PLUGIN_NAME));

        HandshakeResponse41 response = clientSent(1, HandshakeResponse41.class, MARIADB_CAPS);
        assertEquals("app", response.username());
        assertEquals("commerce", response.database());
        assertEquals(NativePassword.PLUGIN_NAME, response.authPluginName());
        assertArrayEquals(NativePassword.scramble(PASSWORD.getBytes(StandardCharsets.UTF_8), SEED),
                response.authResponse());
        assertEquals(Collations.UTF8MB4_GENERAL_CI, response.characterSet());
        assertEquals("switchyard", response.connectAttributes().get("program_name"));
        long caps = response.capabilities();
        assertTrue(Capabilities.has(caps, Capabilities.CLIENT_MYSQL), "CLIENT_MYSQL keeps MariaDB on MySQL protocol");
        assertEquals(0, caps >>> 32, "no MariaDB extended capabilities");
        assertTrue(Capabilities.has(caps, Capabilities.CLIENT_FOUND_ROWS | Capabilities.CLIENT_DEPRECATE_EOF));
        assertFalse(Capabilities.has(caps, Capabilities.CLIENT_SSL), "TLS is disabled for this keyspace");
        assertFalse(Capabilities.has(caps, Capabilities.CLIENT_SESSION_TRACK), "not among the client's options");

        serverSends(2, OkPacket.of(0, 0, ServerStatus.SERVER_STATUS_AUTOCOMMIT, 0));
        HandshakeResult result = handshake.result().join();
        assertEquals("5.5.5-10.11.6-MariaDB", result.serverVersion());
        assertEquals(42, result.threadId());
        assertEquals(caps, result.capabilities());
        assertEquals(ServerStatus.SERVER_STATUS_AUTOCOMMIT, result.statusFlags());
        assertFalse(result.tls());
    }

    @Test
    void mysqlCachingSha2FastPath() {
        start(settings(BackendTls.Mode.DISABLED, Optional.empty()));
        serverSends(0, greeting(MYSQL_CAPS, CachingSha2Password.PLUGIN_NAME));
        HandshakeResponse41 response = clientSent(1, HandshakeResponse41.class, MYSQL_CAPS);
        assertEquals(CachingSha2Password.PLUGIN_NAME, response.authPluginName());
        assertArrayEquals(CachingSha2Password.scramble(PASSWORD.getBytes(StandardCharsets.UTF_8), SEED),
                response.authResponse());

        serverSends(2, AuthMoreData.of(CachingSha2Password.FAST_AUTH_SUCCESS));
        assertFalse(handshake.result().isDone());
        serverSends(3, OkPacket.of(0, 0, ServerStatus.SERVER_STATUS_AUTOCOMMIT, 0));
        assertEquals(42, handshake.result().join().threadId());
    }

    @Test
    void mysqlCachingSha2FullAuthenticationWithRsa() {
        ServerRsaKey key = ServerRsaKey.generate(new SecureRandom());
        start(settings(BackendTls.Mode.DISABLED, Optional.empty()));
        serverSends(0, greeting(MYSQL_CAPS, CachingSha2Password.PLUGIN_NAME));
        clientSent(1, HandshakeResponse41.class, MYSQL_CAPS);

        serverSends(2, AuthMoreData.of(CachingSha2Password.PERFORM_FULL_AUTHENTICATION));
        assertArrayEquals(new byte[] {CachingSha2Password.REQUEST_PUBLIC_KEY}, clientSentRaw(3));
        serverSends(4, new AuthMoreData(key.publicKeyPemBytes()));
        byte[] encrypted = clientSentRaw(5);
        assertArrayEquals(PASSWORD.getBytes(StandardCharsets.UTF_8), key.decryptPassword(encrypted, SEED)
                .orElseThrow());
        serverSends(6, OkPacket.of(0, 0, ServerStatus.SERVER_STATUS_AUTOCOMMIT, 0));
        assertTrue(handshake.result().isDone());
    }

    @Test
    void authSwitchToNativePassword() {
        start(settings(BackendTls.Mode.DISABLED, Optional.empty()));
        serverSends(0, greeting(MYSQL_CAPS, CachingSha2Password.PLUGIN_NAME));
        clientSent(1, HandshakeResponse41.class, MYSQL_CAPS);
        serverSends(2, AuthSwitchRequest.withSeed(NativePassword.PLUGIN_NAME, SEED2));
        assertArrayEquals(NativePassword.scramble(PASSWORD.getBytes(StandardCharsets.UTF_8), SEED2),
                clientSentRaw(3));
        serverSends(4, OkPacket.of(0, 0, ServerStatus.SERVER_STATUS_AUTOCOMMIT, 0));
        assertTrue(handshake.result().isDone());
    }

    @Test
    void accessDeniedCarriesTheServersErrorAndNamesEndpointAndUser() {
        start(settings(BackendTls.Mode.DISABLED, Optional.empty()));
        serverSends(0, greeting(MARIADB_CAPS, NativePassword.PLUGIN_NAME));
        clientSent(1, HandshakeResponse41.class, MARIADB_CAPS);
        serverSends(2, ErrPacket.of(MySqlError.ER_ACCESS_DENIED_ERROR, "app", "localhost", "YES"));

        BackendException e = failure();
        assertEquals(BackendException.Kind.AUTH_REFUSED, e.kind());
        assertEquals(1045, e.errorCode());
        assertEquals("28000", e.sqlState());
        assertEquals("keyspace commerce shard 0 primary 127.0.0.1:3306: user 'app' was refused: Access denied for"
                + " user 'app'@'localhost' (using password: YES)", e.getMessage());
        assertFalse(channel.isActive(), "a failed handshake closes the connection");
    }

    @Test
    void aGreetingErrIsUnavailableWithTheServersCode() {
        start(settings(BackendTls.Mode.DISABLED, Optional.empty()));
        serverSends(0, ErrPacket.of(MySqlError.ER_CON_COUNT_ERROR));
        BackendException e = failure();
        assertEquals(BackendException.Kind.UNAVAILABLE, e.kind());
        assertEquals(1040, e.errorCode());
        assertTrue(e.getMessage().endsWith(": refused the connection: Too many connections"), e.getMessage());
    }

    @Test
    void requiredTlsFailsWhenTheServerDoesNotOfferIt() throws Exception {
        var context = SslContextBuilder.forClient().trustManager(InsecureTrustManagerFactory.INSTANCE).build();
        start(settings(BackendTls.Mode.REQUIRED, Optional.of(context)));
        serverSends(0, greeting(MYSQL_CAPS & ~Capabilities.CLIENT_SSL, NativePassword.PLUGIN_NAME));
        BackendException e = failure();
        assertEquals(BackendException.Kind.UNAVAILABLE, e.kind());
        assertTrue(e.getMessage().contains("tls.mode is required but the server does not offer TLS"),
                e.getMessage());
    }

    @Test
    void preferredTlsFallsBackToPlainWhenNotOffered() throws Exception {
        var context = SslContextBuilder.forClient().trustManager(InsecureTrustManagerFactory.INSTANCE).build();
        start(settings(BackendTls.Mode.PREFERRED, Optional.of(context)));
        serverSends(0, greeting(MYSQL_CAPS & ~Capabilities.CLIENT_SSL, NativePassword.PLUGIN_NAME));
        HandshakeResponse41 response = clientSent(1, HandshakeResponse41.class, MYSQL_CAPS);
        assertFalse(Capabilities.has(response.capabilities(), Capabilities.CLIENT_SSL));
        serverSends(2, OkPacket.of(0, 0, 0, 0));
        assertFalse(handshake.result().join().tls());
    }

    @Test
    void anAuthPluginWeDoNotSpeakIsRefusedByName() {
        start(settings(BackendTls.Mode.DISABLED, Optional.empty()));
        serverSends(0, greeting(MARIADB_CAPS, NativePassword.PLUGIN_NAME));
        clientSent(1, HandshakeResponse41.class, MARIADB_CAPS);
        serverSends(2, AuthSwitchRequest.withSeed("client_ed25519", SEED2));
        BackendException e = failure();
        assertEquals(BackendException.Kind.AUTH_REFUSED, e.kind());
        assertTrue(e.getMessage().contains("uses auth plugin client_ed25519"), e.getMessage());
    }

    @Test
    void aServerThatHangsUpDuringTheHandshakeIsUnavailable() {
        start(settings(BackendTls.Mode.DISABLED, Optional.empty()));
        channel.close();
        BackendException e = failure();
        assertEquals(BackendException.Kind.UNAVAILABLE, e.kind());
        assertTrue(e.getMessage().contains("closed the connection during the handshake"), e.getMessage());
    }

    private void start(ConnectSettings settings) {
        handshake = new BackendHandshake(settings, new SecureRandom());
        channel = new EmbeddedChannel();
        channel.config().setAllocator(alloc);
        channel.pipeline().addLast(BackendConnection.HANDSHAKE, handshake);
    }

    private static ConnectSettings settings(BackendTls.Mode mode, Optional<io.netty.handler.ssl.SslContext> ssl) {
        ClientOptions options = ClientOptions.of(Capabilities.CLIENT_FOUND_ROWS | Capabilities.CLIENT_DEPRECATE_EOF
                | Capabilities.CLIENT_PROTOCOL_41, Collations.UTF8MB4_GENERAL_CI);
        return new ConnectSettings(new Endpoint("127.0.0.1", 3306), "commerce", new Credentials("app", PASSWORD),
                mode, ssl, options, Duration.ofSeconds(2), "keyspace commerce shard 0 primary 127.0.0.1:3306");
    }

    private static HandshakeV10 greeting(long caps, String plugin) {
        return new HandshakeV10("5.5.5-10.11.6-MariaDB", 42, SEED, caps, Collations.UTF8MB4_GENERAL_CI,
                ServerStatus.SERVER_STATUS_AUTOCOMMIT, plugin);
    }

    private void serverSends(int sequenceId, MySqlPacket packet) {
        channel.writeInbound(packet.toPacket(alloc, sequenceId, MYSQL_CAPS));
    }

    private <T> T clientSent(int sequenceId, Class<T> type, long serverCaps) {
        Packet packet = channel.readOutbound();
        try {
            assertEquals(sequenceId, packet.sequenceId());
            return type.cast(HandshakeResponse41.read(packet.reader(), serverCaps));
        } finally {
            packet.release();
        }
    }

    private byte[] clientSentRaw(int sequenceId) {
        Packet packet = channel.readOutbound();
        try {
            assertEquals(sequenceId, packet.sequenceId());
            return packet.reader().restBytes();
        } finally {
            packet.release();
        }
    }

    private BackendException failure() {
        assertNull(channel.readOutbound());
        CompletionException e = assertThrows(CompletionException.class, () -> handshake.result().join());
        return assertInstanceOf(BackendException.class, e.getCause());
    }
}
