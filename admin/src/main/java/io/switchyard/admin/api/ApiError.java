package io.switchyard.admin.api;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.switchyard.proxy.codec.MySqlError;
import io.switchyard.proxy.codec.ProtocolException;

import java.util.Locale;
import java.util.regex.Pattern;

/**
 * An API failure: the HTTP status and the MySQL error the admin SQL gave (or would give), so that a script sees the
 * same code and message over HTTP as over the MySQL port. Body: {@code {"error":{"code":1105,"message":"..."}}}.
 */
public record ApiError(HttpResponseStatus status, int code, String message) {
    /**
     * A refusal because of the workflow's state, which names the workflow, its condition and what to do after a
     * semicolon: "workflow 'wf' is running; RETRY WORKFLOW restarts a workflow in state error", "workflow wf has
     * switched primary traffic; REVERSE TRAFFIC first", "workflow wf is being verified already; ...", or a
     * precondition of a traffic switch: "cannot switch traffic of workflow wf: lag 40 s is above ...".
     */
    private static final Pattern WRONG_STATE = Pattern.compile("(?s)(?:.*\\bworkflow '?\\w+'? (?:is|has) [^;]*;.*"
            + "|.*\\bcannot \\w+ traffic of workflow .*)");
    /** Create-time validation names the workflow first: "workflow wf: source keyspace 'x' is not in the config". */
    private static final Pattern INVALID_SPEC = Pattern.compile("(?s)workflow \\w+: .*");
    /** The external-keyspace commands' NOT_FOUND: "external keyspace x does not exist; ...", "... has no replica". */
    private static final Pattern NO_EXTERNAL = Pattern.compile("(?s)external keyspace \\w+ (?:does not exist|has no"
            + " replica)\\b.*");
    /** ADD REPLICA could not log in to the replica: like a failed validation, the request cannot be done as given. */
    private static final Pattern REPLICA_REFUSED = Pattern.compile("(?s)replica \\S+ not added: .*");

    /** Thrown inside the API to answer with this error. */
    public static final class Failure extends RuntimeException {
        private static final long serialVersionUID = 1L;
        private final transient ApiError error;

        public Failure(ApiError error) {
            super(error.message(), null, false, false);
            this.error = error;
        }

        public ApiError error() {
            return error;
        }
    }

    /** A request the API refuses before any SQL runs (bad JSON, a bad name): 400 with code 1210. */
    public static ApiError badRequest(String message) {
        return new ApiError(HttpResponseStatus.BAD_REQUEST, MySqlError.ER_WRONG_ARGUMENTS.code(),
                MySqlError.ER_WRONG_ARGUMENTS.message(message));
    }

    /**
     * Classifies an admin SQL error. The workflow and external-keyspace commands report most refusals as 1105 with
     * a message that says what to do, so the message decides where the code cannot: unknown workflow or external
     * keyspace (or replica of one) 404, a wrong state or a name that is taken 409, invalid input (a replica that
     * refused the login included) 400, anything else (a shard down, a bug) 500.
     */
    public static ApiError of(ProtocolException e) {
        return of(e.errorCode(), e.getMessage());
    }

    static ApiError of(int code, String message) {
        String lower = message.toLowerCase(Locale.ROOT);
        HttpResponseStatus status;
        if (code == MySqlError.ER_ACCESS_DENIED_ERROR.code()) {
            status = HttpResponseStatus.UNAUTHORIZED;
        } else if (code == MySqlError.ER_SPECIFIC_ACCESS_DENIED_ERROR.code()) {
            status = HttpResponseStatus.FORBIDDEN;
        } else if (lower.contains("there is no workflow named") || NO_EXTERNAL.matcher(message).matches()) {
            status = HttpResponseStatus.NOT_FOUND;
        } else if (WRONG_STATE.matcher(message).matches() || lower.contains("already exists")
                || lower.contains("runs in another gateway")) {
            status = HttpResponseStatus.CONFLICT;
        } else if (code == MySqlError.ER_WRONG_ARGUMENTS.code() || code == MySqlError.ER_PARSE_ERROR.code()
                || code == MySqlError.ER_NOT_SUPPORTED_YET.code() || code == MySqlError.ER_BAD_DB_ERROR.code()
                || code == MySqlError.ER_NO_SUCH_TABLE.code() || INVALID_SPEC.matcher(message).matches()
                || REPLICA_REFUSED.matcher(message).matches()) {
            status = HttpResponseStatus.BAD_REQUEST;
        } else {
            status = HttpResponseStatus.INTERNAL_SERVER_ERROR;
        }
        return new ApiError(status, code, message);
    }

    public Failure failure() {
        return new Failure(this);
    }

    public ObjectNode toJson() {
        ObjectNode body = JsonNodeFactory.instance.objectNode();
        body.putObject("error").put("code", code).put("message", message);
        return body;
    }
}
