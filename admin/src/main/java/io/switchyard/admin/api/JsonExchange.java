package io.switchyard.admin.api;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.MissingNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.QueryStringDecoder;
import io.switchyard.admin.http.HttpServer;
import io.switchyard.config.User;
import io.switchyard.proxy.codec.MySqlError;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;

/** What the API's routes share about HTTP: reading the JSON body, splitting the path, writing answers and errors. */
final class JsonExchange {
    private JsonExchange() {
    }

    /** The routes to register for an API rooted at {@code path}: the collection and everything below it. */
    static Map<String, HttpServer.Route> routes(String path, HttpServer.Route route) {
        return Map.of(path, route, path + "/*", route);
    }

    /** A route's work once the caller is an admin and the body is read. */
    @FunctionalInterface
    interface Dispatch {
        CompletableFuture<HttpServer.Response> dispatch(User user, HttpMethod method, String path, JsonNode body);
    }

    /**
     * Checks the caller is an admin, reads the body, dispatches, and turns any failure into its JSON error answer.
     * Everything is read from the request before returning: Netty releases it when the route's handle returns.
     */
    static CompletionStage<HttpServer.Response> handle(FullHttpRequest request, QueryStringDecoder uri, BasicAuth auth,
                                                       ObjectMapper json, Dispatch route) {
        CompletableFuture<HttpServer.Response> response;
        try {
            User user = auth.admin(Optional.ofNullable(request.headers().get(HttpHeaderNames.AUTHORIZATION)));
            response = route.dispatch(user, request.method(), uri.path(), body(request, json));
        } catch (ApiError.Failure e) {
            response = CompletableFuture.failedFuture(e);
        }
        return response.exceptionally(e -> error(unwrap(e)));
    }

    /** The request body as JSON; a blank body is {@link MissingNode}, text that is not JSON a 400. */
    static JsonNode body(FullHttpRequest request, ObjectMapper json) {
        byte[] bytes = new byte[request.content().readableBytes()];
        request.content().getBytes(request.content().readerIndex(), bytes);
        if (new String(bytes, StandardCharsets.UTF_8).isBlank()) {
            return MissingNode.getInstance();
        }
        try {
            return json.readTree(bytes);
        } catch (IOException e) {
            // Only where: the parser's own message quotes the bad token, which may be part of a password.
            String where = e instanceof JsonProcessingException p && p.getLocation() != null ? " (line "
                    + p.getLocation().getLineNr() + ", column " + p.getLocation().getColumnNr() + ")" : "";
            throw ApiError.badRequest("the body is not JSON" + where + "; send one JSON object").failure();
        }
    }

    /** The non-empty segments of {@code path} below {@code prefix} (already URL-decoded by the route's caller). */
    static List<String> segments(String path, String prefix) {
        return List.of(path.substring(prefix.length()).split("/")).stream().filter(p -> !p.isEmpty()).toList();
    }

    static void requireMethod(HttpMethod method, HttpMethod expected, String allowed) {
        if (!method.equals(expected)) {
            throw new ApiError(HttpResponseStatus.METHOD_NOT_ALLOWED, MySqlError.ER_UNKNOWN_ERROR.code(),
                    method + " is not allowed here; use " + allowed).failure();
        }
    }

    static ApiError.Failure notFound(String path) {
        return new ApiError(HttpResponseStatus.NOT_FOUND, MySqlError.ER_UNKNOWN_ERROR.code(), "no such endpoint: "
                + path + "; see docs/http-api.md").failure();
    }

    /** The {@link ApiError} a failed future carries; anything unexpected is a 500 naming it. */
    static ApiError unwrap(Throwable e) {
        Throwable cause = e;
        while (cause instanceof CompletionException && cause.getCause() != null) {
            cause = cause.getCause();
        }
        if (cause instanceof ApiError.Failure failure) {
            return failure.error();
        }
        return new ApiError(HttpResponseStatus.INTERNAL_SERVER_ERROR, MySqlError.ER_UNKNOWN_ERROR.code(),
                String.valueOf(cause));
    }

    static HttpServer.Response ok(HttpResponseStatus status, ObjectNode body) {
        return HttpServer.Response.json(status, body.toString() + "\n");
    }

    static HttpServer.Response error(ApiError error) {
        HttpServer.Response response = HttpServer.Response.json(error.status(), error.toJson().toString() + "\n");
        return error.status().equals(HttpResponseStatus.UNAUTHORIZED)
                ? response.withHeader(HttpHeaderNames.WWW_AUTHENTICATE.toString(), BasicAuth.CHALLENGE) : response;
    }
}
