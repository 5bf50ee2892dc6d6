package io.switchyard.admin.http;

import io.netty.channel.EventLoopGroup;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.util.concurrent.DefaultThreadFactory;
import io.switchyard.proxy.transport.Transports;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class HttpServerTest {
    private EventLoopGroup group;
    private HttpServer server;

    @BeforeEach
    void start() throws InterruptedException {
        group = Transports.group(1, new DefaultThreadFactory("http-test", true));
        HttpServer.Route slow = (request, uri) -> CompletableFuture.supplyAsync(
                () -> HttpServer.Response.text(HttpResponseStatus.OK, "slow"),
                CompletableFuture.delayedExecutor(300, TimeUnit.MILLISECONDS));
        HttpServer.Route below = (request, uri) -> CompletableFuture.completedFuture(HttpServer.Response.text(
                HttpResponseStatus.OK, "below " + uri.path()).withHeader("X-Test", "yes"));
        server = HttpServer.start(group, group, new InetSocketAddress("127.0.0.1", 0), Map.of("/slow", slow,
                "/fast", (request, uri) -> CompletableFuture.completedFuture(HttpServer.Response.text(
                        HttpResponseStatus.OK, "fast")), "/api/*", below));
    }

    @AfterEach
    void stop() {
        server.close();
        group.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
    }

    @Test
    void pipelinedAnswersKeepRequestOrder() throws Exception {
        String responses = exchange("GET /slow HTTP/1.1\r\nHost: x\r\n\r\nGET /fast HTTP/1.1\r\nHost: x\r\n"
                + "Connection: close\r\n\r\n");
        int slow = responses.indexOf("\r\n\r\nslow");
        int fast = responses.indexOf("\r\n\r\nfast");
        assertTrue(slow > 0 && fast > slow, responses);
    }

    @Test
    void subtreeRoutesAndHeaders() throws Exception {
        String response = exchange("GET /api/v1/x/y HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n");
        assertTrue(response.startsWith("HTTP/1.1 200 OK"), response);
        assertTrue(response.contains("x-test: yes") || response.contains("X-Test: yes"), response);
        assertTrue(response.endsWith("below /api/v1/x/y"), response);
        String missing = exchange("GET /apix HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n");
        assertEquals("HTTP/1.1 404 Not Found", missing.lines().findFirst().orElseThrow(), missing);
    }

    private String exchange(String requests) throws Exception {
        try (Socket socket = new Socket("127.0.0.1", server.localAddress().getPort())) {
            socket.setSoTimeout(5000);
            socket.getOutputStream().write(requests.getBytes(StandardCharsets.US_ASCII));
            socket.getOutputStream().flush();
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            InputStream in = socket.getInputStream();
            in.transferTo(out);
            return out.toString(StandardCharsets.US_ASCII);
        }
    }
}
