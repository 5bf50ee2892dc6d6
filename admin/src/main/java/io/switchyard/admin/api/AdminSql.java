package io.switchyard.admin.api;

import com.fasterxml.jackson.databind.node.ArrayNode;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.switchyard.config.User;
import io.switchyard.proxy.codec.MySqlError;
import io.switchyard.proxy.server.LocalCommands;
import io.switchyard.proxy.server.LocalCommands.Caller;
import io.switchyard.proxy.server.LocalCommands.Result;

import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;

/**
 * Runs admin SQL for the API as the signed-in admin, through the same {@link LocalCommands} as the MySQL port, and
 * turns the answer into JSON rows or an {@link ApiError}. Messages of its own name a statement only up to its first
 * string literal: what follows may be a password or a private key ({@code CREATE EXTERNAL KEYSPACE ... PASSWORD}).
 */
final class AdminSql {
    /**
     * The caller's connection id for commands run over HTTP: MySQL connection ids start at 1, and no admin command
     * uses the id, so 0 only says "not a MySQL session".
     */
    private static final long HTTP_CONNECTION_ID = 0;

    private final LocalCommands commands;

    AdminSql(LocalCommands commands) {
        this.commands = commands;
    }

    /** The statement's answer; an error answer fails the future with its {@link ApiError}. */
    CompletableFuture<Result> run(User user, String sql) {
        Optional<Result> answer = commands.execute(new Caller(HTTP_CONNECTION_ID, user, Optional.empty()), sql);
        if (answer.isEmpty()) {
            // On the MySQL port the statement would go on to a shard; here it means this gateway lacks the command.
            return CompletableFuture.failedFuture(new ApiError(HttpResponseStatus.NOT_IMPLEMENTED,
                    MySqlError.ER_NOT_SUPPORTED_YET.code(), "this gateway does not know the statement '"
                    + redacted(sql) + "' yet").failure());
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

    /** The statement's rows as {@link ResultJson#objects}; a statement that answers OK instead is a 500. */
    CompletableFuture<ArrayNode> rows(User user, String sql, Map<String, String> renames) {
        return run(user, sql).thenApply(result -> {
            if (result instanceof LocalCommands.Rows rows) {
                return ResultJson.objects(rows.resultSet(), renames);
            }
            throw new ApiError(HttpResponseStatus.INTERNAL_SERVER_ERROR, MySqlError.ER_UNKNOWN_ERROR.code(),
                    redacted(sql) + " gave no rows").failure();
        });
    }

    /**
     * The statement cut at its first quote. The API builds statements from checked names up to the first string
     * literal, so the cut keeps what identifies the statement and drops every value a caller typed.
     */
    static String redacted(String sql) {
        int quote = sql.indexOf('\'');
        return quote < 0 ? sql : sql.substring(0, quote) + "...";
    }
}
