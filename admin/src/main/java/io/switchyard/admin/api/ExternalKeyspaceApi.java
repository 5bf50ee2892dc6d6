package io.switchyard.admin.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.QueryStringDecoder;
import io.switchyard.admin.http.HttpServer;
import io.switchyard.config.User;
import io.switchyard.proxy.codec.MySqlError;
import io.switchyard.proxy.server.LocalCommands;

import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * The external-keyspace JSON API under {@code /api/v1/external-keyspaces}: each request becomes the admin SQL of
 * {@code ExternalKeyspaceCommands} (see {@link ExternalKeyspaceStatements}), run through the same
 * {@link LocalCommands} as the MySQL port. Answers hold settings and validation rows, never a password or a key:
 * the SQL never answers them, and nothing here logs a request body or a statement.
 *
 * <pre>
 * GET    /api/v1/external-keyspaces                          SHOW EXTERNAL KEYSPACES
 * POST   /api/v1/external-keyspaces                          CREATE EXTERNAL KEYSPACE ...           201
 * GET    /api/v1/external-keyspaces/{name}                   its SHOW EXTERNAL KEYSPACES row
 * DELETE /api/v1/external-keyspaces/{name}                   DROP EXTERNAL KEYSPACE name
 * POST   /api/v1/external-keyspaces/{name}/validate          VALIDATE EXTERNAL KEYSPACE name
 * POST   /api/v1/external-keyspaces/{name}/replicas          ALTER ... ADD REPLICA HOST 'h' [PORT n]  201
 * DELETE /api/v1/external-keyspaces/{name}/replicas/{h:p}    ALTER ... DROP REPLICA HOST 'h' [PORT n]
 * </pre>
 */
public final class ExternalKeyspaceApi implements HttpServer.Route {
    public static final String PATH = "/api/v1/external-keyspaces";
    private static final Map<String, String> FIELDS = Map.of("keyspace", "name");

    private final AdminSql sql;
    private final BasicAuth auth;
    private final ObjectMapper json;

    public ExternalKeyspaceApi(LocalCommands commands, BasicAuth auth, ObjectMapper json) {
        this.sql = new AdminSql(commands);
        this.auth = auth;
        this.json = json;
    }

    /** The routes to register: the collection and everything below it. */
    public Map<String, HttpServer.Route> routes() {
        return JsonExchange.routes(PATH, this);
    }

    @Override
    public CompletionStage<HttpServer.Response> handle(FullHttpRequest request, QueryStringDecoder uri) {
        return JsonExchange.handle(request, uri, auth, json, this::dispatch);
    }

    private CompletableFuture<HttpServer.Response> dispatch(User user, HttpMethod method, String path, JsonNode body) {
        List<String> parts = JsonExchange.segments(path, PATH);
        if (parts.isEmpty()) {
            if (method.equals(HttpMethod.GET)) {
                return list(user).thenApply(rows -> {
                    ObjectNode out = json.createObjectNode();
                    out.set("data", rows);
                    return JsonExchange.ok(HttpResponseStatus.OK, out);
                });
            }
            JsonExchange.requireMethod(method, HttpMethod.POST, "GET, POST");
            String create = ExternalKeyspaceStatements.create(body);
            return create(user, body.get("name").asText(), create);
        }
        String name = ExternalKeyspaceStatements.name(parts.get(0)); // QueryStringDecoder decoded the path
        if (parts.size() == 1) {
            if (method.equals(HttpMethod.DELETE)) {
                return sql.run(user, ExternalKeyspaceStatements.drop(name)).thenApply(result -> JsonExchange.ok(
                        HttpResponseStatus.OK, json.createObjectNode().put("name", name).put("message",
                                message(result))));
            }
            JsonExchange.requireMethod(method, HttpMethod.GET, "GET, DELETE");
            return show(user, name).thenApply(shown -> JsonExchange.ok(HttpResponseStatus.OK, shown));
        }
        if (parts.size() == 2 && parts.get(1).equals("validate")) {
            JsonExchange.requireMethod(method, HttpMethod.POST, "POST");
            return sql.rows(user, ExternalKeyspaceStatements.validate(name, body), Map.of()).thenApply(rows -> {
                ObjectNode out = json.createObjectNode().put("name", name);
                out.set("validation", rows);
                return JsonExchange.ok(HttpResponseStatus.OK, out);
            });
        }
        if (parts.size() == 2 && parts.get(1).equals("replicas")) {
            JsonExchange.requireMethod(method, HttpMethod.POST, "POST");
            return alter(user, name, ExternalKeyspaceStatements.addReplica(name, body), HttpResponseStatus.CREATED);
        }
        if (parts.size() == 3 && parts.get(1).equals("replicas")) {
            JsonExchange.requireMethod(method, HttpMethod.DELETE, "DELETE");
            return alter(user, name, ExternalKeyspaceStatements.dropReplica(name, parts.get(2)),
                    HttpResponseStatus.OK);
        }
        throw JsonExchange.notFound(path);
    }

    /** Every external keyspace: one object a row of SHOW EXTERNAL KEYSPACES, {@code replicas} as a list. */
    private CompletableFuture<ArrayNode> list(User user) {
        return sql.rows(user, ExternalKeyspaceStatements.show(), FIELDS).thenApply(rows -> {
            rows.forEach(row -> splitReplicas((ObjectNode) row));
            return rows;
        });
    }

    /** One keyspace's settings, or the 404 the SQL would give for it. */
    private CompletableFuture<ObjectNode> show(User user, String name) {
        return list(user).thenApply(rows -> {
            for (JsonNode row : rows) {
                if (name.equals(row.path("name").asText())) {
                    return (ObjectNode) row;
                }
            }
            throw new ApiError(HttpResponseStatus.NOT_FOUND, MySqlError.ER_UNKNOWN_ERROR.code(), "external keyspace "
                    + name + " does not exist; SHOW EXTERNAL KEYSPACES lists them").failure();
        });
    }

    /**
     * 201 with the new keyspace's settings, its {@code validation} rows (the last says it was created) and that
     * row's text as {@code message}. A create refused by validation fails in {@code sql.rows} with the SQL's error.
     */
    private CompletableFuture<HttpServer.Response> create(User user, String name, String statement) {
        return sql.rows(user, statement, Map.of()).thenCompose(rows -> show(user, name).handle((shown, error) -> {
            ObjectNode out = shown != null ? shown : json.createObjectNode().put("name", name);
            out.set("validation", rows);
            JsonNode last = rows.isEmpty() ? json.nullNode() : rows.get(rows.size() - 1);
            if (last.path("check").asText().equals("create")) {
                out.put("message", last.path("message").asText());
            }
            return JsonExchange.ok(HttpResponseStatus.CREATED, out);
        }));
    }

    /** Runs an ALTER and answers with the keyspace's settings afterwards plus the statement's message. */
    private CompletableFuture<HttpServer.Response> alter(User user, String name, String statement,
                                                         HttpResponseStatus status) {
        return sql.run(user, statement).thenCompose(result -> show(user, name).handle((shown, error) -> {
            ObjectNode out = shown != null ? shown : json.createObjectNode().put("name", name);
            out.put("message", message(result));
            return JsonExchange.ok(status, out);
        }));
    }

    private static String message(LocalCommands.Result result) {
        return result instanceof LocalCommands.Ok ok ? ok.info() : "";
    }

    /** {@code "h1:3306,h2:3307"} → {@code ["h1:3306", "h2:3307"]}; none → {@code []}. */
    private static void splitReplicas(ObjectNode row) {
        ArrayNode replicas = row.arrayNode();
        for (String replica : row.path("replicas").asText("").split(",")) {
            if (!replica.isBlank()) {
                replicas.add(replica.strip());
            }
        }
        row.set("replicas", replicas);
    }
}
