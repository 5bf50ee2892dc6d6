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

/**
 * The HTTP listener (default port 15000): {@code /metrics} for Prometheus, {@code /api/v1/...} for the CLI. Handlers
 * run on the event loop, so each must answer from memory; anything slow belongs on an executor of its own.
 */
public final class HttpServer implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(HttpServer.class);
    private static final int MAX_REQUEST_BYTES = 1 << 20;

    /** One route: answers a request with a status, a content type and a body. */
    @FunctionalInterface
    public interface Route {
        Response handle(FullHttpRequest request, QueryStringDecoder uri);
    }

    /** A response body with its status and content type. */
    public record Response(HttpResponseStatus status, String contentType, byte[] body) {
        public static Response text(HttpResponseStatus status, String body) {
            return new Response(status, "text/plain; charset=utf-8", body.getBytes(StandardCharsets.UTF_8));
        }

        public static Response json(HttpResponseStatus status, String body) {
            return new Response(status, "application/json", body.getBytes(StandardCharsets.UTF_8));
        }
    }

    private final Channel channel;

    private HttpServer(Channel channel) {
        this.channel = channel;
    }

    /** Binds {@code address} and serves {@code routes} (path → route; exact match). */
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

    private static final class Dispatcher extends SimpleChannelInboundHandler<FullHttpRequest> {
        private final Map<String, Route> routes;

        Dispatcher(Map<String, Route> routes) {
            this.routes = routes;
        }

        @Override
        protected void channelRead0(ChannelHandlerContext ctx, FullHttpRequest request) {
            QueryStringDecoder uri = new QueryStringDecoder(request.uri());
            Route route = routes.get(uri.path());
            Response response;
            if (route == null) {
                response = Response.text(HttpResponseStatus.NOT_FOUND, "no such path: " + uri.path()
                        + "\nknown: " + String.join(", ", routes.keySet().stream().sorted().toList()) + "\n");
            } else {
                try {
                    response = route.handle(request, uri);
                } catch (RuntimeException e) {
                    log.warn("HTTP {} failed", uri.path(), e);
                    response = Response.text(HttpResponseStatus.INTERNAL_SERVER_ERROR, e.toString() + "\n");
                }
            }
            FullHttpResponse out = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, response.status(),
                    Unpooled.wrappedBuffer(response.body()));
            out.headers().set(HttpHeaderNames.CONTENT_TYPE, response.contentType());
            HttpUtil.setContentLength(out, response.body().length);
            boolean keepAlive = HttpUtil.isKeepAlive(request);
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
