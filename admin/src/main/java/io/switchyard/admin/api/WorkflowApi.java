package io.switchyard.admin.api;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
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
import io.switchyard.proxy.server.LocalCommands;
import io.switchyard.proxy.server.LocalCommands.Caller;
import io.switchyard.proxy.server.LocalCommands.Result;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;

/**
 * The workflow JSON API under {@code /api/v1/workflows}. Each request becomes the admin SQL statement an operator
 * would type, run through the same {@link LocalCommands} as the MySQL port, so the API and the SQL cannot drift
 * apart: same checks, same messages, same error codes. See docs/http-api.md for the endpoints.
 */
public final class WorkflowApi implements HttpServer.Route {
    public static final String PATH = "/api/v1/workflows";
    /**
     * The caller's connection id for commands run over HTTP: MySQL connection ids start at 1, and no workflow
     * command uses the id, so 0 only says "not a MySQL session".
     */
    private static final long HTTP_CONNECTION_ID = 0;
    private static final Map<String, String> LIST_FIELDS = Map.of("workflow", "name", "source", "source_keyspace",
            "target", "target_keyspace", "created", "created_at");
    private static final Map<String, String> TABLE_FIELDS = Map.of("table", "name", "pct", "percent",
            "lag_seconds", "");
    private static final Map<String, String> STREAM_FIELDS = Map.of("pos", "position");
    private static final Map<String, String> LOG_FIELDS = Map.of("time", "created_at");

    private final LocalCommands commands;
    private final BasicAuth auth;
    private final ObjectMapper json;

    public WorkflowApi(LocalCommands commands, BasicAuth auth, ObjectMapper json) {
        this.commands = commands;
        this.auth = auth;
        this.json = json;
    }

    /** The routes to register: the collection and everything below it. */
    public Map<String, HttpServer.Route> routes() {
        return Map.of(PATH, this, PATH + "/*", this);
    }

    @Override
    public CompletionStage<HttpServer.Response> handle(FullHttpRequest request, QueryStringDecoder uri) {
        CompletableFuture<HttpServer.Response> response;
        try {
            // Read everything from the request now: Netty releases it when this method returns.
            User user = auth.admin(Optional.ofNullable(request.headers().get(HttpHeaderNames.AUTHORIZATION)));
            JsonNode body = body(request);
            response = dispatch(user, request.method(), uri.path(), body);
        } catch (ApiError.Failure e) {
            response = CompletableFuture.failedFuture(e);
        }
        return response.exceptionally(e -> error(unwrap(e)));
    }

    private CompletableFuture<HttpServer.Response> dispatch(User user, HttpMethod method, String path, JsonNode body) {
        List<String> parts = List.of(path.substring(PATH.length()).split("/")).stream()
                .filter(p -> !p.isEmpty()).toList();
        if (parts.isEmpty()) {
            if (method.equals(HttpMethod.GET)) {
                return list(user).thenApply(list -> ok(HttpResponseStatus.OK, list));
            }
            requireMethod(method, HttpMethod.POST, "GET, POST");
            String sql = WorkflowStatements.create(body);
            String name = body.get("name").asText();
            return act(user, name, sql).thenApply(created -> ok(HttpResponseStatus.CREATED, created));
        }
        String name = WorkflowStatements.name("workflow", parts.get(0)); // QueryStringDecoder decoded the path
        if (parts.size() == 1) {
            requireMethod(method, HttpMethod.GET, "GET");
            return show(user, name).thenApply(shown -> ok(HttpResponseStatus.OK, shown));
        }
        if (parts.size() == 2) {
            requireMethod(method, HttpMethod.POST, "POST");
            String sql = WorkflowStatements.action(name, parts.get(1), body);
            return act(user, name, sql).thenApply(done -> ok(HttpResponseStatus.OK, done));
        }
        throw notFound(path);
    }

    /** {@code GET /api/v1/workflows}: {@code {"data": [workflow, ...]}}, one object a row of SHOW WORKFLOWS. */
    private CompletableFuture<ObjectNode> list(User user) {
        return rows(user, "SHOW WORKFLOWS", LIST_FIELDS).thenApply(rows -> {
            rows.forEach(row -> splitTables((ObjectNode) row));
            ObjectNode out = json.createObjectNode();
            out.set("data", rows);
            return out;
        });
    }

    /**
     * {@code GET /api/v1/workflows/{name}}: the workflow's SHOW WORKFLOWS row with its tables (SHOW WORKFLOW wf),
     * streams, logs and, where the gateway has it, verification. An unknown workflow is a 404 from the first.
     */
    private CompletableFuture<ObjectNode> show(User user, String name) {
        CompletableFuture<ArrayNode> tables = rows(user, "SHOW WORKFLOW " + name, TABLE_FIELDS);
        CompletableFuture<ArrayNode> all = rows(user, "SHOW WORKFLOWS", LIST_FIELDS);
        CompletableFuture<ArrayNode> streams = rows(user, "SHOW WORKFLOW " + name + " STREAMS", STREAM_FIELDS);
        CompletableFuture<ArrayNode> logs = rows(user, "SHOW WORKFLOW " + name + " LOGS", LOG_FIELDS);
        // Verification is optional: a gateway without SHOW WORKFLOW wf VERIFICATION (or a workflow never verified
        // where the statement refuses) still shows everything else.
        CompletableFuture<Optional<ArrayNode>> verification =
                rows(user, "SHOW WORKFLOW " + name + " VERIFICATION", Map.of())
                        .handle((rows, error) -> error == null ? Optional.of(rows) : Optional.empty());
        return tables.thenCompose(tableRows -> CompletableFuture.allOf(all, streams, logs, verification)
                .thenApply(done -> {
                    ObjectNode out = json.createObjectNode();
                    out.put("name", name);
                    for (JsonNode row : all.join()) {
                        if (name.equals(row.path("name").asText())) {
                            out.setAll((ObjectNode) row);
                        }
                    }
                    out.set("tables", tableRows);
                    out.set("streams", streams.join());
                    out.set("logs", logs.join());
                    verification.join().ifPresent(rows -> out.set("verification", rows));
                    return out;
                }));
    }

    /**
     * Runs a command ({@code CREATE}, {@code STOP}, {@code SWITCH TRAFFIC}, ...) and answers with the workflow as
     * {@link #show} has it afterwards plus the command's {@code message} (and its {@code result} rows, as a dry run
     * gives). A workflow gone afterwards (cancelled, completed) answers with only its name and the message.
     */
    private CompletableFuture<ObjectNode> act(User user, String name, String sql) {
        return run(user, sql).thenCompose(result -> {
            ObjectNode outcome = json.createObjectNode();
            if (result instanceof LocalCommands.Ok ok) {
                outcome.put("message", ok.info());
            } else if (result instanceof LocalCommands.Rows rows) {
                outcome.set("result", ResultJson.objects(rows.resultSet(), Map.of()));
            }
            return show(user, name).handle((shown, error) -> {
                ObjectNode out = shown != null ? shown : json.createObjectNode().put("name", name);
                out.setAll(outcome);
                return out;
            });
        });
    }

    private CompletableFuture<ArrayNode> rows(User user, String sql, Map<String, String> renames) {
        return run(user, sql).thenApply(result -> {
            if (result instanceof LocalCommands.Rows rows) {
                return ResultJson.objects(rows.resultSet(), renames);
            }
            throw new ApiError(HttpResponseStatus.INTERNAL_SERVER_ERROR, MySqlError.ER_UNKNOWN_ERROR.code(),
                    sql + " gave no rows").failure();
        });
    }

    /** The statement's answer; an error answer fails the future with its {@link ApiError}. */
    private CompletableFuture<Result> run(User user, String sql) {
        Optional<Result> answer = commands.execute(new Caller(HTTP_CONNECTION_ID, user, Optional.empty()), sql);
        if (answer.isEmpty()) {
            // On the MySQL port the statement would go on to a shard; here it means this gateway lacks the command.
            return CompletableFuture.failedFuture(new ApiError(HttpResponseStatus.NOT_IMPLEMENTED,
                    MySqlError.ER_NOT_SUPPORTED_YET.code(), "this gateway does not know the statement '" + sql
                    + "' yet").failure());
        }
        CompletableFuture<Result> result = answer.get() instanceof LocalCommands.Deferred deferred
                ? deferred.answer() : CompletableFuture.completedFuture(answer.get());
        return result.thenApply(done -> {
            if (done instanceof LocalCommands.Error error) {
                throw ApiError.of(error.error()).failure();
            }
            return done;
        });
    }

    private JsonNode body(FullHttpRequest request) {
        byte[] bytes = new byte[request.content().readableBytes()];
        request.content().getBytes(request.content().readerIndex(), bytes);
        if (new String(bytes, StandardCharsets.UTF_8).isBlank()) {
            return MissingNode.getInstance();
        }
        try {
            return json.readTree(bytes);
        } catch (IOException e) {
            String detail = e instanceof JsonProcessingException p ? p.getOriginalMessage() : e.getMessage();
            throw ApiError.badRequest("the body is not JSON: " + detail).failure();
        }
    }

    private static void splitTables(ObjectNode row) {
        ArrayNode tables = row.arrayNode();
        String listed = row.path("tables").asText("");
        for (String table : listed.split(",")) {
            if (!table.isBlank()) {
                tables.addObject().put("name", table.strip());
            }
        }
        row.set("tables", tables);
    }

    private static void requireMethod(HttpMethod method, HttpMethod expected, String allowed) {
        if (!method.equals(expected)) {
            throw new ApiError(HttpResponseStatus.METHOD_NOT_ALLOWED, MySqlError.ER_UNKNOWN_ERROR.code(),
                    method + " is not allowed here; use " + allowed).failure();
        }
    }

    private static ApiError.Failure notFound(String path) {
        return new ApiError(HttpResponseStatus.NOT_FOUND, MySqlError.ER_UNKNOWN_ERROR.code(), "no such endpoint: "
                + path + "; see docs/http-api.md").failure();
    }

    private static ApiError unwrap(Throwable e) {
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

    private HttpServer.Response ok(HttpResponseStatus status, ObjectNode body) {
        return HttpServer.Response.json(status, body.toString() + "\n");
    }

    private HttpServer.Response error(ApiError error) {
        HttpServer.Response response = HttpServer.Response.json(error.status(), error.toJson().toString() + "\n");
        return error.status().equals(HttpResponseStatus.UNAUTHORIZED)
                ? response.withHeader(HttpHeaderNames.WWW_AUTHENTICATE.toString(), BasicAuth.CHALLENGE) : response;
    }
}
