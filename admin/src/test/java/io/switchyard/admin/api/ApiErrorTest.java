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
    void wrongStateAndTakenNamesConflict() {
        assertEquals(HttpResponseStatus.CONFLICT, ApiError.of(1105, "workflow 'move' is running; RETRY WORKFLOW"
                + " restarts a workflow in state error").status());
        assertEquals(HttpResponseStatus.CONFLICT, ApiError.of(1105, "workflow 'move' is copying; SWITCH TRAFFIC"
                + " allows running or verified_data").status());
        assertEquals(HttpResponseStatus.CONFLICT,
                ApiError.of(1105, "a workflow named 'move' already exists").status());
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
