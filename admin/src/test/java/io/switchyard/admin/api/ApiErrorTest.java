package io.switchyard.admin.api;

import io.netty.handler.codec.http.HttpResponseStatus;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;

class ApiErrorTest {
    @Test
    void unknownWorkflowIsNotFound() {
        assertEquals(HttpResponseStatus.NOT_FOUND,
                ApiError.of(1105, "there is no workflow named 'x'; SHOW WORKFLOWS lists them").status());
    }

    @Test
    void unknownExternalKeyspaceOrReplicaIsNotFound() {
        assertEquals(HttpResponseStatus.NOT_FOUND, ApiError.of(1105, "external keyspace x does not exist; SHOW"
                + " EXTERNAL KEYSPACES lists them").status());
        assertEquals(HttpResponseStatus.NOT_FOUND, ApiError.of(1105, "external keyspace legacy has no replica"
                + " 10.9.9.9:3306 (it has: none)").status());
        assertEquals(HttpResponseStatus.BAD_REQUEST, ApiError.of(1105, "replica 127.0.0.1:1 not added: cannot"
                + " connect to external keyspace legacy at 127.0.0.1:1: refused").status());
        assertEquals(HttpResponseStatus.BAD_REQUEST, ApiError.of(1210, "external keyspace x was not created: 1"
                + " check(s) failed: [binlog_format] ...").status());
        assertEquals(HttpResponseStatus.CONFLICT, ApiError.of(1105, "external keyspace legacy already exists; DROP"
                + " EXTERNAL KEYSPACE legacy first, or choose another name").status());
    }

    @Test
    void wrongStateAndTakenNamesConflict() {
        assertEquals(HttpResponseStatus.CONFLICT, ApiError.of(1105, "workflow 'move' is running; RETRY WORKFLOW"
                + " restarts a workflow in state error").status());
        assertEquals(HttpResponseStatus.CONFLICT, ApiError.of(1105, "workflow 'move' is copying; SWITCH TRAFFIC"
                + " allows running or verified_data").status());
        assertEquals(HttpResponseStatus.CONFLICT,
                ApiError.of(1105, "a workflow named 'move' already exists").status());
        for (String refusal : new String[] {
            "workflow move has switched primary traffic already; REVERSE TRAFFIC switches it back",
            "workflow move has not switched primary traffic (traffic: source); COMPLETE WORKFLOW runs after",
            "workflow move is being verified already; SHOW WORKFLOW move VERIFICATION shows progress",
            "workflow move is in the middle of a traffic switch; wait for it",
            "workflow move is completed and cannot run again; create a new workflow",
            "cannot switch traffic of workflow move: stream commerce/0 -> -80 lags 40 s"}) {
            assertEquals(HttpResponseStatus.CONFLICT, ApiError.of(1105, refusal).status(), refusal);
        }
        assertEquals(HttpResponseStatus.CONFLICT, ApiError.of(1105, "workflow move runs in another gateway, which"
                + " holds its lease in the topology store; run the command there").status());
    }

    @Test
    void badInputIsBadRequest() {
        assertEquals(HttpResponseStatus.BAD_REQUEST, ApiError.of(1210, "Incorrect arguments to x").status());
        assertEquals(HttpResponseStatus.BAD_REQUEST, ApiError.of(1064, "You have an error in your SQL").status());
        assertEquals(HttpResponseStatus.BAD_REQUEST, ApiError.of(1235, "doesn't yet support 'x'").status());
        assertEquals(HttpResponseStatus.BAD_REQUEST, ApiError.of(1105, "workflow x: table 'nosuch' does not exist"
                + " in source keyspace 'commerce'").status());
    }

    @Test
    void privilegesAndEverythingElse() {
        assertEquals(HttpResponseStatus.FORBIDDEN, ApiError.of(1227, "Access denied; you need ...").status());
        assertEquals(HttpResponseStatus.UNAUTHORIZED, ApiError.of(1045, "Access denied for user").status());
        assertEquals(HttpResponseStatus.INTERNAL_SERVER_ERROR,
                ApiError.of(1105, "Communications link failure").status());
    }

    @Test
    void bodyCarriesCodeAndMessage() {
        assertEquals("{\"error\":{\"code\":1210,\"message\":\"Incorrect arguments to tables: give a list\"}}",
                ApiError.badRequest("tables: give a list").toJson().toString());
    }
}
