package io.switchyard.proxy.backend;

import io.netty.bootstrap.Bootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.ConnectTimeoutException;
import io.netty.channel.EventLoop;
import io.switchyard.proxy.transport.Transports;
import io.netty.resolver.AddressResolverGroup;
import io.netty.util.concurrent.ScheduledFuture;
import io.switchyard.proxy.codec.PacketFrameDecoder;
import io.switchyard.proxy.codec.PacketFrameEncoder;

import java.net.ConnectException;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.security.SecureRandom;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * Opens backend connections: TCP connect on the caller's event loop (TCP_NODELAY), framing, then the
 * {@link BackendHandshake} script, all within {@link ConnectSettings#connectTimeout()}. Stateless apart from the
 * injected randomness; thread-safe.
 */
final class BackendConnector {
    /** Largest payload accepted from a backend; the frontend limits what clients may send. */
    static final int MAX_PAYLOAD = 1 << 30;
    private static final PacketFrameEncoder ENCODER = new PacketFrameEncoder();

    private final SecureRandom random;
    private final AddressResolverGroup<InetSocketAddress> resolver;

    /**
     * @param resolver resolves host names (off the event loop, see {@link OffLoopResolver})
     */
    BackendConnector(SecureRandom random, AddressResolverGroup<InetSocketAddress> resolver) {
        this.random = random;
        this.resolver = resolver;
    }

    /**
     * Connects and authenticates. Completes on {@code loop} with a ready connection, or with a
     * {@link BackendException}: {@link BackendException.Kind#UNAVAILABLE} for refused, unreachable, timed out or
     * greeting refused, {@link BackendException.Kind#AUTH_REFUSED} with the server's error for bad credentials.
     * Never hangs: the connect timeout bounds it.
     */
    CompletableFuture<BackendConnection> connect(ConnectSettings settings, EventLoop loop) {
        CompletableFuture<BackendConnection> future = new CompletableFuture<>();
        BackendHandshake handshake = new BackendHandshake(settings, random);
        long timeoutMillis = Math.max(1, settings.connectTimeout().toMillis());
        Bootstrap bootstrap = new Bootstrap().group(loop).channel(Transports.socketChannel(loop.parent())).resolver(resolver)
                .option(ChannelOption.TCP_NODELAY, true)
                .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, (int) Math.min(Integer.MAX_VALUE, timeoutMillis))
                .handler(new ChannelInitializer<Channel>() {
                    @Override
                    protected void initChannel(Channel ch) {
                        ch.pipeline().addLast("frame-decoder", new PacketFrameDecoder(MAX_PAYLOAD))
                                .addLast("frame-encoder", ENCODER)
                                .addLast(BackendConnection.HANDSHAKE, handshake);
                    }
                });
        ChannelFuture connected;
        try {
            connected = bootstrap.connect(settings.endpoint().host(), settings.endpoint().port());
        } catch (RuntimeException e) {
            future.completeExceptionally(unavailable(settings, e));
            return future;
        }
        Channel channel = connected.channel();
        // One deadline for TCP connect, TLS and authentication together.
        ScheduledFuture<?> timer = loop.schedule(() -> {
            if (handshake.result().completeExceptionally(BackendException.of(BackendException.Kind.UNAVAILABLE,
                    settings.description() + ": did not complete the connection within "
                            + BackendPool.seconds(settings.connectTimeout().toMillis())
                            + " (backend.connect_timeout)"))) {
                channel.close();
            }
        }, timeoutMillis, TimeUnit.MILLISECONDS);
        connected.addListener(done -> {
            if (!done.isSuccess()) {
                handshake.result().completeExceptionally(unavailable(settings, done.cause()));
            }
        });
        handshake.result().whenComplete((result, error) -> {
            timer.cancel(false);
            if (error != null) {
                channel.close();
                future.completeExceptionally(error);
                return;
            }
            // On the event loop (the handshake completes there): install the command-phase handler.
            future.complete(new BackendConnection(channel, result, settings));
        });
        return future;
    }

    private static BackendException unavailable(ConnectSettings settings, Throwable cause) {
        String why;
        if (cause instanceof ConnectTimeoutException) {
            why = "connect timed out after " + BackendPool.seconds(settings.connectTimeout().toMillis());
        } else if (cause instanceof ConnectException) {
            why = "connection refused";
        } else if (cause instanceof UnknownHostException) {
            why = "unknown host " + settings.endpoint().host();
        } else {
            why = String.valueOf(cause.getMessage());
        }
        return BackendException.of(BackendException.Kind.UNAVAILABLE, settings.description() + ": " + why, cause);
    }
}
