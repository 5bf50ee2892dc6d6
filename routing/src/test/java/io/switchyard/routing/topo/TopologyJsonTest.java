package io.switchyard.routing.topo;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.switchyard.routing.plan.KeyspaceSchema;
import io.switchyard.routing.plan.RoutingSnapshot;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The stored JSON forms: Vitess-shaped vschemas and ordered routing rules, read strictly. */
class TopologyJsonTest {

    private final RoutingSnapshot configured = RoutingSnapshot.fromConfig(
            TopoFixtures.config("mysql://root:@127.0.0.1:4000/switchyard_topo"));
    private final KeyspaceSchema customer = configured.keyspace("customer").orElseThrow();
    private final KeyspaceSchema commerce = configured.keyspace("commerce").orElseThrow();

    @Test
    void writesVSchemasAsVitessDoes() {
        assertEquals("{\"sharded\":true,\"vindexes\":{\"hash\":{\"type\":\"hash\"}},\"tables\":{\"customer\":{"
                + "\"column_vindexes\":[{\"column\":\"customer_id\",\"name\":\"hash\"}],\"auto_increment\":{"
                + "\"column\":\"customer_id\",\"sequence\":\"commerce.customer_seq\"}}}}",
                TopologyJson.writeVSchema(customer));
        assertEquals("{\"sharded\":false,\"vindexes\":{},\"tables\":{\"customer_seq\":{\"type\":\"sequence\"},"
                + "\"product\":{}}}", TopologyJson.writeVSchema(commerce));
    }

    @Test
    void readsBackWhatItWrote() {
        for (KeyspaceSchema keyspace : List.of(customer, commerce)) {
            assertEquals(keyspace, TopologyJson.readVSchema(TopologyJson.writeVSchema(keyspace), keyspace));
        }
    }

    @Test
    void shardsAndNameComeFromTheConfig() {
        KeyspaceSchema read = TopologyJson.readVSchema("{\"sharded\":true}", customer);
        assertEquals(customer.shards(), read.shards());
        assertEquals(Map.of(), read.tables());
    }

    @Test
    void refusesWhatItCannotReadFaithfully() {
        assertProblem("stored vschema of keyspace customer has unknown key 'owner' (known: sharded, tables,"
                + " vindexes); was it written by a newer gateway?", "{\"sharded\":true,\"owner\":\"x\"}", customer);
        assertProblem("stored vschema of keyspace customer says sharded=false but the config says sharded=true;",
                "{\"sharded\":false}", customer);
        assertProblem("stored vschema of keyspace customer: table customer.t uses vindex nope, which keyspace"
                + " customer does not define",
                "{\"sharded\":true,\"tables\":{\"t\":{\"column_vindexes\":[{\"column\":\"id\",\"name\":\"nope\"}]}}}",
                customer);
        assertProblem("stored vschema of keyspace commerce: table t has type 'reference'",
                "{\"tables\":{\"t\":{\"type\":\"reference\"}}}", commerce);
        assertProblem("stored vschema of keyspace commerce is not valid JSON", "{\"tables\":", commerce);
        assertProblem("stored vschema of keyspace commerce is not a JSON object", "[]", commerce);
    }

    @Test
    void routingRulesKeepTheirOrder() {
        Map<String, String> rules = new LinkedHashMap<>();
        rules.put("customer@replica", "customer");
        rules.put("customer", "commerce");
        rules.put("commerce.customer", "customer");
        String json = TopologyJson.writeRules(rules);
        assertEquals("{\"customer@replica\":\"customer\",\"customer\":\"commerce\",\"commerce.customer\":\"customer\"}",
                json);
        assertEquals(List.copyOf(rules.keySet()), List.copyOf(TopologyJson.readRules(json).keySet()));
        var error = assertThrows(TopologyException.class, () -> TopologyJson.readRules("{\"t\":1}"));
        assertEquals("stored routing rules: rule t maps to 1, not to a keyspace name", error.getMessage());
    }

    private static void assertProblem(String expectedStart, String json, KeyspaceSchema keyspace) {
        var error = assertThrows(TopologyException.class, () -> TopologyJson.readVSchema(json, keyspace));
        assertTrue(error.getMessage().startsWith(expectedStart), error.getMessage());
    }
}
