package io.switchyard.admin.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.MissingNode;
import io.netty.handler.codec.http.HttpResponseStatus;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class WorkflowStatementsTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void createWithEveryOption() throws Exception {
        assertEquals("CREATE WORKFLOW move MOVE TABLES customer, corder FROM commerce TO customer WITH"
                + " (defer_secondary_keys = false, on_ddl = 'STOP', global_keyspace = 'commerce',"
                + " stop_after_copy = true, copy_parallelism = 4)", WorkflowStatements.create(json("""
                {"name": "move", "type": "MoveTables", "source_keyspace": "commerce", "target_keyspace": "customer",
                 "tables": ["customer", "corder"], "options": {"defer_secondary_keys": false, "on_ddl": "STOP",
                 "global_keyspace": "commerce", "stop_after_copy": true, "copy_parallelism": 4}}""")));
        assertEquals("CREATE WORKFLOW m MOVE TABLES ALL FROM a TO b", WorkflowStatements.create(json("""
                {"name": "m", "source_keyspace": "a", "target_keyspace": "b", "tables": "ALL"}""")));
    }

    @Test
    void createImport() throws Exception {
        assertEquals("CREATE WORKFLOW imp IMPORT ALL FROM EXTERNAL legacy INTO commerce WITH (copy_parallelism = 4)",
                WorkflowStatements.create(json("""
                {"name": "imp", "type": "Import", "external_keyspace": "legacy", "target_keyspace": "commerce",
                 "tables": "all", "options": {"copy_parallelism": 4}}""")));
        assertEquals("CREATE WORKFLOW imp IMPORT customer, corder FROM EXTERNAL legacy INTO commerce",
                WorkflowStatements.create(json("""
                {"name": "imp", "type": "import", "external_keyspace": "legacy", "target_keyspace": "commerce",
                 "tables": ["customer", "corder"]}""")));
        for (String body : new String[] {
            "{\"name\": \"imp\", \"type\": \"Import\", \"source_keyspace\": \"legacy\","
                    + " \"target_keyspace\": \"c\", \"tables\": \"all\"}",
            "{\"name\": \"imp\", \"type\": \"Import\", \"external_keyspace\": \"l'; x\","
                    + " \"target_keyspace\": \"c\", \"tables\": \"all\"}",
            "{\"name\": \"m\", \"external_keyspace\": \"legacy\", \"source_keyspace\": \"a\","
                    + " \"target_keyspace\": \"c\", \"tables\": \"all\"}",
            "{\"name\": \"m\", \"type\": \"Reshard\", \"source_keyspace\": \"a\", \"target_keyspace\": \"c\","
                    + " \"tables\": \"all\"}",
            "{\"name\": \"m\", \"type\": 1, \"source_keyspace\": \"a\", \"target_keyspace\": \"c\","
                    + " \"tables\": \"all\"}"}) {
            ApiError.Failure e = assertThrows(ApiError.Failure.class, () -> WorkflowStatements.create(json(body)),
                    body);
            assertEquals(HttpResponseStatus.BAD_REQUEST, e.error().status(), body);
        }
    }

    @Test
    void nothingUncheckedReachesTheSql() {
        for (String body : new String[] {
            "{\"name\": \"m`; DROP\", \"source_keyspace\": \"a\", \"target_keyspace\": \"b\", \"tables\": \"all\"}",
            "{\"name\": \"m\", \"source_keyspace\": \"a b\", \"target_keyspace\": \"b\", \"tables\": \"all\"}",
            "{\"name\": \"m\", \"source_keyspace\": \"a\", \"target_keyspace\": \"b\", \"tables\": [\"t,u\"]}",
            "{\"name\": \"m\", \"source_keyspace\": \"a\", \"target_keyspace\": \"b\", \"tables\": \"all\","
                    + " \"options\": {\"on_ddl\": \"STOP'), x=('\"}}",
            "{\"name\": \"m\", \"source_keyspace\": \"a\", \"target_keyspace\": \"b\", \"tables\": \"all\","
                    + " \"options\": {\"a=b\": 1}}",
            "{\"name\": \"m\", \"source_keyspace\": \"a\", \"target_keyspace\": \"b\", \"tables\": \"all\","
                    + " \"options\": {\"copy_parallelism\": 1.5}}",
            "{\"name\": \"m\", \"source_keyspace\": \"a\", \"target_keyspace\": \"b\", \"tables\": []}"}) {
            ApiError.Failure e = assertThrows(ApiError.Failure.class, () -> WorkflowStatements.create(json(body)),
                    body);
            assertEquals(HttpResponseStatus.BAD_REQUEST, e.error().status(), body);
            assertEquals(1210, e.error().code(), body);
        }
    }

    @Test
    void actions() throws Exception {
        assertEquals("SWITCH TRAFFIC FOR WORKFLOW m REPLICAS ONLY DRY RUN", WorkflowStatements.action("m",
                "switch-traffic", json("{\"replicas_only\": true, \"dry_run\": true}")));
        assertEquals("SWITCH TRAFFIC FOR WORKFLOW m", WorkflowStatements.action("m", "switch-traffic",
                MissingNode.getInstance()));
        assertEquals("COMPLETE WORKFLOW m RENAME TABLES", WorkflowStatements.action("m", "complete",
                json("{\"rename_tables\": true}")));
        assertEquals("COMPLETE WORKFLOW m KEEP DATA", WorkflowStatements.action("m", "complete",
                json("{\"keep_data\": true, \"rename_tables\": false}")));
        assertEquals("CANCEL WORKFLOW m KEEP DATA", WorkflowStatements.action("m", "cancel",
                json("{\"keep_data\": true}")));
        assertEquals("VERIFY WORKFLOW m", WorkflowStatements.action("m", "verify-data", json("{}")));
        assertEquals("REVERSE TRAFFIC FOR WORKFLOW m", WorkflowStatements.action("m", "reverse-traffic", null));
        assertEquals("RETRY WORKFLOW m", WorkflowStatements.action("m", "retry", null));

        ApiError.Failure both = assertThrows(ApiError.Failure.class, () -> WorkflowStatements.action("m", "complete",
                json("{\"keep_data\": true, \"rename_tables\": true}")));
        assertTrue(both.getMessage().contains("choose one"), both.getMessage());
        ApiError.Failure typo = assertThrows(ApiError.Failure.class, () -> WorkflowStatements.action("m",
                "switch-traffic", json("{\"replica_only\": true}")));
        assertTrue(typo.getMessage().contains("unknown field 'replica_only'"), typo.getMessage());
        assertThrows(ApiError.Failure.class, () -> WorkflowStatements.action("m", "cancel",
                json("{\"keep_data\": \"yes\"}")));
        assertEquals(HttpResponseStatus.NOT_FOUND, assertThrows(ApiError.Failure.class,
                () -> WorkflowStatements.action("m", "explode", null)).error().status());
    }

    private static JsonNode json(String text) throws Exception {
        return JSON.readTree(text);
    }
}
