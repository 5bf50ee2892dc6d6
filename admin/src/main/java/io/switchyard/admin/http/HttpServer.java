package io.switchyard.admin.http;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.socket.SocketChannel;
import io.switchyard.proxy.transport.Transports;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.QueryStringDecoder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * The HTTP listener (default port 15000): {@code /metrics} for Prometheus, {@code /api/v1/...} for the CLI. Handlers
 * run on the event loop, so each must answer from memory or return a future completed elsewhere; anything slow
 * belongs on an executor of its own. Responses go out in request order even when a later request finishes first.
 */
public final class HttpServer implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(HttpServer.class);
    private static final int MAX_REQUEST_BYTES = 1 << 20;

    /**
     * One route: answers a request with a status, a content type and a body. The request is released when
     * {@code handle} returns, so a route that answers later must read what it needs (the body) before returning.
     */
    @FunctionalInterface
    public interface Route {
        CompletionStage<Response> handle(FullHttpRequest request, QueryStringDecoder uri);
    }

    /** A response body with its status, content type and extra headers (e.g. {@code WWW-Authenticate}). */
    public record Response(HttpResponseStatus status, String contentType, byte[] body, Map<String, String> headers) {
        public Response {
            headers = Map.copyOf(headers);
        }

        public Response(HttpResponseStatus status, String contentType, byte[] body) {
            this(status, contentType, body, Map.of());
        }

        public static Response text(HttpResponseStatus status, String body) {
            return new Response(status, "text/plain; charset=utf-8", body.getBytes(StandardCharsets.UTF_8));
        }

        public static Response json(HttpResponseStatus status, String body) {
            return new Response(status, "application/json", body.getBytes(StandardCharsets.UTF_8));
        }

        public Response withHeader(String name, String value) {
            Map<String, String> more = new LinkedHashMap<>(headers);
            more.put(name, value);
            return new Response(status, contentType, body, more);
        }
    }

    private final Channel channel;

    private HttpServer(Channel channel) {
        this.channel = channel;
    }

    /**
     * Binds {@code address} and serves {@code routes}: path → route, an exact match, except that a key ending in
     * {@code /*} also serves every path below it ({@code /api/v1/workflows/*} serves {@code /api/v1/workflows/x/stop}).
     */
    public static HttpServer start(EventLoopGroup boss, EventLoopGroup workers, InetSocketAddress address,
                                   Map<String, Route> routes) throws InterruptedException {
        Map<String, Route> table = Map.copyOf(new LinkedHashMap<>(routes));
        Channel channel = new ServerBootstrap().group(boss, workers).channel(Transports.serverChannel(boss))
                .childHandler(new ChannelInitializer<SocketChannel>() {
                    @Override
                    protected void initChannel(SocketChannel ch) {
                        ch.pipeline().addLast(new HttpServerCodec(), new HttpObjectAggregator(MAX_REQUEST_BYTES),
                                new Dispatcher(table));
                    }
                }).bind(address).sync().channel();
        log.info("HTTP listening on {}", channel.localAddress());
        return new HttpServer(channel);
    }

    public InetSocketAddress localAddress() {
        return (InetSocketAddress) channel.localAddress();
    }

    @Override
    public void close() {
        channel.close().syncUninterruptibly();
    }

    /** One per connection: routes each request and writes the answers in request order (HTTP/1.1 pipelining). */
    private static final class Dispatcher extends SimpleChannelInboundHandler<FullHttpRequest> {
        private final Map<String, Route> routes;
        private CompletableFuture<Void> previous = CompletableFuture.completedFuture(null); // event loop only

        Dispatcher(Map<String, Route> routes) {
            this.routes = routes;
        }

        @Override
        protected void channelRead0(ChannelHandlerContext ctx, FullHttpRequest request) {
            QueryStringDecoder uri = new QueryStringDecoder(request.uri());
            Route route = route(uri.path());
            CompletableFuture<Response> response;
            if (route == null) {
                response = CompletableFuture.completedFuture(Response.text(HttpResponseStatus.NOT_FOUND,
                        "no such path: " + uri.path() + "\nknown: "
                                + String.join(", ", routes.keySet().stream().sorted().toList()) + "\n"));
            } else {
                try {
                    response = route.handle(request, uri).toCompletableFuture();
                } catch (RuntimeException e) {
                    response = CompletableFuture.failedFuture(e);
                }
            }
            CompletableFuture<Response> answered = response.exceptionally(e -> {
                log.warn("HTTP {} failed", uri.path(), e);
                return Response.text(HttpResponseStatus.INTERNAL_SERVER_ERROR, e + "\n");
            });
            boolean keepAlive = HttpUtil.isKeepAlive(request);
            previous = previous.thenCombine(answered, (done, out) -> out)
                    .thenAccept(out -> write(ctx, out, keepAlive))
                    .exceptionally(e -> {
                        log.warn("HTTP {}: writing the response failed", uri.path(), e);
                        ctx.close(); // the client would wait for it forever
                        return null;
                    });
        }

        private Route route(String path) {
            Route exact = routes.get(path);
            if (exact != null) {
                return exact;
            }
            for (int slash = path.lastIndexOf('/'); slash > 0; slash = path.lastIndexOf('/', slash - 1)) {
                Route below = routes.get(path.substring(0, slash) + "/*");
                if (below != null) {
                    return below;
                }
            }
            return null;
        }

        private static void write(ChannelHandlerContext ctx, Response response, boolean keepAlive) {
            FullHttpResponse out = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, response.status(),
                    Unpooled.wrappedBuffer(response.body()));
            out.headers().set(HttpHeaderNames.CONTENT_TYPE, response.contentType());
            response.headers().forEach((name, value) -> out.headers().set(name, value));
            HttpUtil.setContentLength(out, response.body().length);
            if (keepAlive) {
                out.headers().set(HttpHeaderNames.CONNECTION, HttpHeaderValues.KEEP_ALIVE);
                ctx.writeAndFlush(out);
            } else {
                ctx.writeAndFlush(out).addListener(ChannelFutureListener.CLOSE);
            }
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            log.debug("HTTP connection {} failed", ctx.channel().remoteAddress(), cause);
            ctx.close();
        }
    }
}
