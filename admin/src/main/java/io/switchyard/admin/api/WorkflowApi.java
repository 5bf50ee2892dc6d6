package io.switchyard.admin.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.QueryStringDecoder;
import io.switchyard.admin.http.HttpServer;
import io.switchyard.config.User;
import io.switchyard.proxy.server.LocalCommands;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * The workflow JSON API under {@code /api/v1/workflows}. Each request becomes the admin SQL statement an operator
 * would type, run through the same {@link LocalCommands} as the MySQL port, so the API and the SQL cannot drift
 * apart: same checks, same messages, same error codes. See docs/http-api.md for the endpoints.
 */
public final class WorkflowApi implements HttpServer.Route {
    public static final String PATH = "/api/v1/workflows";
    private static final Map<String, String> LIST_FIELDS = Map.of("workflow", "name", "source", "source_keyspace",
            "target", "target_keyspace", "created", "created_at");
    private static final Map<String, String> TABLE_FIELDS = Map.of("table", "name", "pct", "percent",
            "lag_seconds", "");
    private static final Map<String, String> STREAM_FIELDS = Map.of("pos", "position");
    private static final Map<String, String> LOG_FIELDS = Map.of("time", "created_at");

    private final AdminSql sql;
    private final BasicAuth auth;
    private final ObjectMapper json;

    public WorkflowApi(LocalCommands commands, BasicAuth auth, ObjectMapper json) {
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
                return list(user).thenApply(list -> JsonExchange.ok(HttpResponseStatus.OK, list));
            }
            JsonExchange.requireMethod(method, HttpMethod.POST, "GET, POST");
            String create = WorkflowStatements.create(body);
            String name = body.get("name").asText();
            return act(user, name, create).thenApply(created -> JsonExchange.ok(HttpResponseStatus.CREATED, created));
        }
        String name = WorkflowStatements.name("workflow", parts.get(0)); // QueryStringDecoder decoded the path
        if (parts.size() == 1) {
            JsonExchange.requireMethod(method, HttpMethod.GET, "GET");
            return show(user, name).thenApply(shown -> JsonExchange.ok(HttpResponseStatus.OK, shown));
        }
        if (parts.size() == 2) {
            JsonExchange.requireMethod(method, HttpMethod.POST, "POST");
            String action = WorkflowStatements.action(name, parts.get(1), body);
            return act(user, name, action).thenApply(done -> JsonExchange.ok(HttpResponseStatus.OK, done));
        }
        throw JsonExchange.notFound(path);
    }

    /** {@code GET /api/v1/workflows}: {@code {"data": [workflow, ...]}}, one object a row of SHOW WORKFLOWS. */
    private CompletableFuture<ObjectNode> list(User user) {
        return sql.rows(user, "SHOW WORKFLOWS", LIST_FIELDS).thenApply(rows -> {
            rows.forEach(row -> splitTables((ObjectNode) row));
            ObjectNode out = json.createObjectNode();
            out.set("data", rows);
            return out;
        });
    }

    /**
     * {@code GET /api/v1/workflows/{name}}: the workflow's SHOW WORKFLOWS row with its tables (SHOW WORKFLOW wf),
     * streams, logs and, where the gateway has them, verification, lag history and import. An unknown workflow is
     * a 404 from the first.
     */
    private CompletableFuture<ObjectNode> show(User user, String name) {
        CompletableFuture<ArrayNode> tables = sql.rows(user, "SHOW WORKFLOW " + name, TABLE_FIELDS);
        CompletableFuture<ArrayNode> all = sql.rows(user, "SHOW WORKFLOWS", LIST_FIELDS);
        CompletableFuture<ArrayNode> streams = sql.rows(user, "SHOW WORKFLOW " + name + " STREAMS", STREAM_FIELDS);
        CompletableFuture<ArrayNode> logs = sql.rows(user, "SHOW WORKFLOW " + name + " LOGS", LOG_FIELDS);
        // Optional parts: a gateway without the statement (an older build), or one that refuses it for this
        // workflow (never verified, not an import), still shows everything else.
        CompletableFuture<Optional<ArrayNode>> verification = optional(user, "SHOW WORKFLOW " + name
                + " VERIFICATION");
        CompletableFuture<Optional<ArrayNode>> lagHistory = optional(user, "SHOW WORKFLOW " + name + " LAG HISTORY");
        CompletableFuture<Optional<ArrayNode>> imported = optional(user, "SHOW WORKFLOW " + name + " IMPORT");
        return tables.thenCompose(tableRows -> CompletableFuture.allOf(all, streams, logs, verification, lagHistory,
                imported).thenApply(done -> new Parts(all.join(), tableRows, streams.join(), logs.join(),
                verification.join(), lagHistory.join(), imported.join()).toJson(name)));
    }

    private CompletableFuture<Optional<ArrayNode>> optional(User user, String statement) {
        return sql.rows(user, statement, Map.of())
                .handle((rows, error) -> error == null ? Optional.of(rows) : Optional.empty());
    }

    /**
     * What {@code GET /api/v1/workflows/{name}} puts together, each part as {@link ResultJson} made it from its
     * statement's rows; an empty optional part is left out.
     *
     * @param all        SHOW WORKFLOWS (the workflow's own row is picked by name)
     * @param lagHistory SHOW WORKFLOW wf LAG HISTORY: {@code time}, {@code lag_seconds}, oldest first
     * @param imported   SHOW WORKFLOW wf IMPORT: one row for an import (external keyspace, connection, phase,
     *                   serving side); no rows, as for a MoveTables workflow, leaves {@code import} out
     */
    record Parts(ArrayNode all, ArrayNode tables, ArrayNode streams, ArrayNode logs, Optional<ArrayNode> verification,
                 Optional<ArrayNode> lagHistory, Optional<ArrayNode> imported) {
        ObjectNode toJson(String name) {
            ObjectNode out = JsonNodeFactory.instance.objectNode();
            out.put("name", name);
            for (JsonNode row : all) {
                if (name.equals(row.path("name").asText())) {
                    out.setAll((ObjectNode) row);
                }
            }
            out.set("tables", tables);
            out.set("streams", streams);
            out.set("logs", logs);
            verification.ifPresent(rows -> out.set("verification", rows));
            lagHistory.ifPresent(rows -> out.set("lag_history", rows));
            imported.filter(rows -> !rows.isEmpty()).ifPresent(rows -> out.set("import", rows.get(0)));
            return out;
        }
    }

    /**
     * Runs a command ({@code CREATE}, {@code STOP}, {@code SWITCH TRAFFIC}, ...) and answers with the workflow as
     * {@link #show} has it afterwards plus the command's {@code message} (and its {@code result} rows, as a dry run
     * gives). A workflow gone afterwards (cancelled, completed) answers with only its name and the message.
     */
    private CompletableFuture<ObjectNode> act(User user, String name, String statement) {
        return sql.run(user, statement).thenCompose(result -> {
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
}
