package io.switchyard.proxy.backend;

import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.ssl.SslHandler;
import io.switchyard.config.BackendTls;
import io.switchyard.proxy.auth.CachingSha2Password;
import io.switchyard.proxy.auth.NativePassword;
import io.switchyard.proxy.auth.RsaPasswords;
import io.switchyard.proxy.codec.Capabilities;
import io.switchyard.proxy.codec.Packet;
import io.switchyard.proxy.codec.ProtocolException;
import io.switchyard.proxy.packet.generic.ErrPacket;
import io.switchyard.proxy.packet.generic.OkPacket;
import io.switchyard.proxy.packet.handshake.AuthMoreData;
import io.switchyard.proxy.packet.handshake.AuthSwitchRequest;
import io.switchyard.proxy.packet.handshake.HandshakeResponse41;
import io.switchyard.proxy.packet.handshake.HandshakeV10;
import io.switchyard.proxy.packet.handshake.SslRequest;

import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLParameters;

/**
 * The client side of the connection phase, as a script
 * (https://dev.mysql.com/doc/dev/mysql-server/latest/page_protocol_connection_phase.html): read the greeting →
 * optionally SSLRequest and TLS → HandshakeResponse41 → follow AuthSwitchRequest / AuthMoreData until OK or ERR.
 * Completes {@link #result()} once, then the connection replaces this handler with its command-phase handler.
 *
 * <p>Capabilities: the gateway asks for 4.1 protocol and authentication with plugins, CONNECT_WITH_DB,
 * TRANSACTIONS, LONG_FLAG, CONNECT_ATTRS and the client's {@link ClientOptions} bits, limited to what the server
 * offers, plus CLIENT_LONG_PASSWORD always: it is also CLIENT_MYSQL, which MariaDB servers clear in their greeting,
 * and a client that sets it makes MariaDB speak plain MySQL protocol (no extended capabilities in the filler).
 *
 * <p>Runs on the channel's event loop; not sharable.
 */
final class BackendHandshake extends ChannelInboundHandlerAdapter {
    static final long REQUESTED = Capabilities.CLIENT_PROTOCOL_41 | Capabilities.CLIENT_SECURE_CONNECTION
            | Capabilities.CLIENT_PLUGIN_AUTH | Capabilities.CLIENT_PLUGIN_AUTH_LENENC_CLIENT_DATA
            | Capabilities.CLIENT_CONNECT_WITH_DB | Capabilities.CLIENT_TRANSACTIONS
            | Capabilities.CLIENT_LONG_PASSWORD | Capabilities.CLIENT_LONG_FLAG | Capabilities.CLIENT_CONNECT_ATTRS;
    /** What we tell the server our largest packet is; the frontend limits what clients send. */
    static final int MAX_PACKET_SIZE = 1 << 30;
    private static final Map<String, String> ATTRIBUTES = Map.of("program_name", "switchyard",
            "_client_name", "switchyard");
    private static final String CLEAR_PASSWORD_PLUGIN = "mysql_clear_password";

    /** Where the script is. */
    enum State {
        GREETING,
        /** SSLRequest sent, the TLS handshake runs. */
        TLS,
        /** Handshake response (or auth data) sent: OK, ERR, AuthSwitchRequest or AuthMoreData comes next. */
        AUTH_RESULT,
        /** caching_sha2_password full authentication without TLS: the server's PEM public key comes next. */
        PUBLIC_KEY,
        DONE
    }

    private final ConnectSettings settings;
    private final SecureRandom random;
    private final CompletableFuture<HandshakeResult> result = new CompletableFuture<>();
    private final byte[] password;
    private State state = State.GREETING;
    private HandshakeV10 greeting;
    private long capabilities;
    private String plugin;
    private byte[] seed;
    private int sequenceId;
    private boolean tls;

    BackendHandshake(ConnectSettings settings, SecureRandom random) {
        this.settings = settings;
        this.random = random;
        this.password = settings.credentials().password().getBytes(StandardCharsets.UTF_8);
    }

    /** Completes with the handshake's outcome, or a {@link BackendException}; on the channel's event loop. */
    CompletableFuture<HandshakeResult> result() {
        return result;
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (!(msg instanceof Packet packet)) {
            ctx.fireChannelRead(msg);
            return;
        }
        try {
            sequenceId = packet.nextSequenceId();
            step(ctx, packet);
        } catch (BackendException e) {
            fail(ctx, e);
        } catch (ProtocolException | IllegalArgumentException e) {
            fail(ctx, BackendException.of(BackendException.Kind.PROTOCOL, settings.description()
                    + ": malformed handshake from the server (" + e.getMessage() + ")", e));
        } finally {
            packet.release();
        }
    }

    private void step(ChannelHandlerContext ctx, Packet packet) {
        int header = packet.header();
        switch (state) {
            case GREETING -> {
                if (header == ErrPacket.HEADER) {
                    throw BackendException.fromServer(BackendException.Kind.UNAVAILABLE,
                            ErrPacket.read(packet.reader(), 0), settings.description() + ": refused the connection: ");
                }
                greeting(ctx, HandshakeV10.read(packet.reader()));
            }
            case AUTH_RESULT -> authResult(ctx, packet, header);
            case PUBLIC_KEY -> {
                if (header == ErrPacket.HEADER) {
                    throw refused(packet);
                }
                String pem = new String(AuthMoreData.read(packet.reader(), capabilities).data(),
                        StandardCharsets.US_ASCII);
                send(ctx, RsaPasswords.encrypt(password, seed, RsaPasswords.parsePem(pem), random));
                state = State.AUTH_RESULT;
            }
            case TLS, DONE -> throw BackendException.of(BackendException.Kind.PROTOCOL, settings.description()
                    + ": unexpected packet during the handshake (" + state + ")");
            default -> throw new IllegalStateException("unknown state " + state);
        }
    }

    private void greeting(ChannelHandlerContext ctx, HandshakeV10 hello) {
        greeting = hello;
        capabilities = ((REQUESTED | settings.options().capabilityBits()) & hello.capabilities()
                | Capabilities.CLIENT_LONG_PASSWORD) & 0xFFFFFFFFL;
        plugin = hello.authPluginName() == null ? NativePassword.PLUGIN_NAME : hello.authPluginName();
        seed = hello.authPluginData();
        BackendTls.Mode mode = settings.tlsMode();
        boolean offered = Capabilities.has(hello.capabilities(), Capabilities.CLIENT_SSL);
        if (mode == BackendTls.Mode.DISABLED || !offered) {
            if (mode != BackendTls.Mode.DISABLED && mode != BackendTls.Mode.PREFERRED) {
                throw BackendException.of(BackendException.Kind.UNAVAILABLE, settings.description()
                        + ": tls.mode is " + mode.name().toLowerCase(java.util.Locale.ROOT)
                        + " but the server does not offer TLS; configure TLS on the server or lower tls.mode");
            }
            sendResponse(ctx);
            return;
        }
        capabilities |= Capabilities.CLIENT_SSL;
        SslRequest request = new SslRequest(capabilities, MAX_PACKET_SIZE, settings.options().charset());
        ctx.writeAndFlush(request.toPacket(ctx.alloc(), sequenceId, capabilities));
        sequenceId = (sequenceId + 1) & 0xFF;
        state = State.TLS;
        // The SSLRequest is already in the channel's outbound buffer, below every handler: adding the SslHandler
        // now encrypts only what follows it.
        SslHandler ssl = settings.sslContext().orElseThrow().newHandler(ctx.alloc(), settings.tlsPeerHost(),
                settings.endpoint().port());
        if (mode == BackendTls.Mode.VERIFY_IDENTITY) {
            SSLEngine engine = ssl.engine();
            SSLParameters parameters = engine.getSSLParameters();
            parameters.setEndpointIdentificationAlgorithm("HTTPS");
            engine.setSSLParameters(parameters);
        }
        ctx.pipeline().addFirst("tls", ssl);
        ssl.handshakeFuture().addListener(done -> {
            if (!done.isSuccess()) {
                fail(ctx, BackendException.of(BackendException.Kind.UNAVAILABLE, settings.description()
                        + ": TLS handshake failed: " + done.cause().getMessage(), done.cause()));
            } else if (state == State.TLS) {
                tls = true;
                sendResponse(ctx);
            }
        });
    }

    private void sendResponse(ChannelHandlerContext ctx) {
        byte[] auth = authData(plugin, seed);
        String answeredPlugin = plugin;
        if (auth == null) {
            // The server's default plugin is one we do not speak; answer as native and let it switch to the user's.
            answeredPlugin = NativePassword.PLUGIN_NAME;
            auth = NativePassword.scramble(password, seed);
            plugin = answeredPlugin;
        }
        HandshakeResponse41 response = new HandshakeResponse41(capabilities, MAX_PACKET_SIZE,
                settings.options().charset(), settings.credentials().user(), auth, settings.database(),
                answeredPlugin, ATTRIBUTES);
        ctx.writeAndFlush(response.toPacket(ctx.alloc(), sequenceId, greeting.capabilities()));
        state = State.AUTH_RESULT;
    }

    private void authResult(ChannelHandlerContext ctx, Packet packet, int header) {
        switch (header) {
            case OkPacket.HEADER -> {
                int status = OkPacket.read(packet.reader(), capabilities).statusFlags();
                state = State.DONE;
                result.complete(new HandshakeResult(greeting.serverVersion(), greeting.connectionId(), capabilities,
                        status, tls));
            }
            case ErrPacket.HEADER -> throw refused(packet);
            case AuthSwitchRequest.HEADER -> {
                AuthSwitchRequest request = AuthSwitchRequest.read(packet.reader(), capabilities);
                plugin = request.pluginName();
                seed = request.seed();
                byte[] auth = authData(plugin, seed);
                if (auth == null) {
                    throw BackendException.of(BackendException.Kind.AUTH_REFUSED, settings.description()
                            + ": user '" + settings.credentials().user() + "' uses auth plugin " + plugin
                            + ", which the gateway does not support; use mysql_native_password or"
                            + " caching_sha2_password for it");
                }
                send(ctx, auth);
            }
            case AuthMoreData.HEADER -> moreData(ctx, AuthMoreData.read(packet.reader(), capabilities).data());
            default -> throw BackendException.of(BackendException.Kind.PROTOCOL, settings.description()
                    + ": unexpected packet 0x" + Integer.toHexString(header) + " during authentication");
        }
    }

    /** caching_sha2_password's status byte: fast path done (an OK follows) or full authentication needed. */
    private void moreData(ChannelHandlerContext ctx, byte[] data) {
        if (!CachingSha2Password.PLUGIN_NAME.equals(plugin) || data.length != 1) {
            throw BackendException.of(BackendException.Kind.PROTOCOL, settings.description()
                    + ": unexpected auth data for plugin " + plugin);
        }
        switch (data[0]) {
            case CachingSha2Password.FAST_AUTH_SUCCESS -> {
                // The OK follows.
            }
            case CachingSha2Password.PERFORM_FULL_AUTHENTICATION -> {
                if (tls) {
                    send(ctx, CachingSha2Password.cleartextResponse(password));
                } else {
                    send(ctx, new byte[] {CachingSha2Password.REQUEST_PUBLIC_KEY});
                    state = State.PUBLIC_KEY;
                }
            }
            default -> throw BackendException.of(BackendException.Kind.PROTOCOL, settings.description()
                    + ": unknown caching_sha2_password status " + data[0]);
        }
    }

    /** The auth response for {@code pluginName}, or null if the gateway does not speak that plugin. */
    private byte[] authData(String pluginName, byte[] nonce) {
        return switch (pluginName) {
            case NativePassword.PLUGIN_NAME -> NativePassword.scramble(password, nonce);
            case CachingSha2Password.PLUGIN_NAME -> CachingSha2Password.scramble(password, nonce);
            // Only over TLS: the password would otherwise cross the network in clear.
            case CLEAR_PASSWORD_PLUGIN -> tls ? CachingSha2Password.cleartextResponse(password) : null;
            default -> null;
        };
    }

    /** Raw auth data in its own packet, numbered after the server's last one. */
    private void send(ChannelHandlerContext ctx, byte[] data) {
        ctx.writeAndFlush(new Packet(sequenceId, Unpooled.wrappedBuffer(data)));
    }

    private BackendException refused(Packet packet) {
        ErrPacket err = ErrPacket.read(packet.reader(), capabilities);
        return BackendException.fromServer(BackendException.Kind.AUTH_REFUSED, err, settings.description()
                + ": user '" + settings.credentials().user() + "' was refused: ");
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        fail(ctx, BackendException.of(BackendException.Kind.UNAVAILABLE, settings.description()
                + ": the server closed the connection during the handshake"));
        ctx.fireChannelInactive();
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        Throwable root = cause.getCause() != null && cause instanceof io.netty.handler.codec.DecoderException
                && !(cause instanceof ProtocolException) ? cause.getCause() : cause;
        fail(ctx, BackendException.of(BackendException.Kind.UNAVAILABLE, settings.description()
                + ": handshake failed: " + root.getMessage(), cause));
    }

    /** Fails the handshake once and closes the channel. */
    void fail(ChannelHandlerContext ctx, BackendException cause) {
        if (state == State.DONE) {
            return;
        }
        state = State.DONE;
        result.completeExceptionally(cause);
        ctx.close();
    }
}
