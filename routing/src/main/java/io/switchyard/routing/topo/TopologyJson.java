package io.switchyard.routing.topo;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectReader;
import com.fasterxml.jackson.databind.ObjectWriter;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.switchyard.config.AutoIncrement;
import io.switchyard.config.ColumnVindex;
import io.switchyard.config.ConfigException;
import io.switchyard.routing.plan.KeyspaceSchema;
import io.switchyard.routing.plan.TableSchema;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The JSON the topology store holds. A keyspace vschema is written the way Vitess writes one, so operators can read it
 * and compare it with a Vitess vschema:
 *
 * <pre>{@code
 * {"sharded": true,
 *  "vindexes": {"hash": {"type": "hash"}},
 *  "tables": {"customer": {"column_vindexes": [{"column": "customer_id", "name": "hash"}],
 *                          "auto_increment": {"column": "customer_id", "sequence": "commerce.customer_seq"}},
 *             "customer_seq": {"type": "sequence"}}}
 * }</pre>
 *
 * Routing rules are one object, rule to keyspace, in rule order: {@code {"customer@replica": "commerce"}}.
 *
 * <p>Reading is strict: an unknown key is an error, not ignored, because a gateway that silently dropped a field a
 * newer gateway wrote would erase it with its next write.
 */
final class TopologyJson {

    // Readers and writers are immutable, unlike ObjectMapper, so sharing them is not shared mutable state.
    private static final ObjectReader READER = new ObjectMapper().reader();
    private static final ObjectWriter WRITER = new ObjectMapper().writer();
    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

    private TopologyJson() {
    }

    static String writeVSchema(KeyspaceSchema keyspace) {
        ObjectNode root = NODES.objectNode();
        root.put("sharded", keyspace.sharded());
        ObjectNode vindexes = root.putObject("vindexes");
        keyspace.vindexes().forEach((name, type) -> vindexes.putObject(name).put("type", type));
        ObjectNode tables = root.putObject("tables");
        for (TableSchema table : keyspace.tables().values()) {
            ObjectNode node = tables.putObject(table.name());
            if (table.sequence()) {
                node.put("type", "sequence");
            }
            if (!table.columnVindexes().isEmpty()) {
                ArrayNode columns = node.putArray("column_vindexes");
                table.columnVindexes().forEach(c -> columns.addObject().put("column", c.column())
                        .put("name", c.vindexName()));
            }
            table.autoIncrement().ifPresent(a -> node.putObject("auto_increment").put("column", a.column())
                    .put("sequence", a.sequence()));
        }
        return write(root);
    }

    /**
     * A stored vschema on top of the configured keyspace: name and shards always come from the config.
     *
     * @throws TopologyException naming the keyspace and the problem if the JSON is malformed, does not fit the
     *     vschema rules, or disagrees with the config about whether the keyspace is sharded
     */
    static KeyspaceSchema readVSchema(String json, KeyspaceSchema configured) {
        String where = "stored vschema of keyspace " + configured.name();
        try {
            JsonNode root = object(parse(json, where), where);
            onlyKeys(root, where, Set.of("sharded", "vindexes", "tables"));
            boolean sharded = root.path("sharded").asBoolean(false);
            if (sharded != configured.sharded()) {
                throw new TopologyException(where + " says sharded=" + sharded + " but the config says sharded="
                        + configured.sharded() + "; the config decides the shards, so delete the keyspace's row from"
                        + " the vschema table of the topology store to seed it again from the config");
            }
            Map<String, String> vindexes = new LinkedHashMap<>();
            for (Map.Entry<String, JsonNode> vindex : entries(root, "vindexes", where)) {
                String at = where + ": vindex " + vindex.getKey();
                onlyKeys(object(vindex.getValue(), at), at, Set.of("type"));
                vindexes.put(vindex.getKey(), text(vindex.getValue(), "type", at));
            }
            Map<String, TableSchema> tables = new LinkedHashMap<>();
            for (Map.Entry<String, JsonNode> table : entries(root, "tables", where)) {
                tables.put(table.getKey(), readTable(table.getKey(), table.getValue(), where));
            }
            return new KeyspaceSchema(configured.name(), sharded, configured.shards(), vindexes, tables);
        } catch (IllegalArgumentException | ConfigException e) {
            // The records' own checks (unknown vindex type, a table using an undefined vindex, a blank column...).
            throw new TopologyException(where + ": " + e.getMessage(), e);
        }
    }

    static String writeRules(Map<String, String> rules) {
        ObjectNode root = NODES.objectNode();
        rules.forEach(root::put);
        return write(root);
    }

    static Map<String, String> readRules(String json) {
        String where = "stored routing rules";
        Map<String, String> rules = new LinkedHashMap<>();
        for (Iterator<Map.Entry<String, JsonNode>> it = object(parse(json, where), where).fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> rule = it.next();
            if (!rule.getValue().isTextual()) {
                throw new TopologyException(where + ": rule " + rule.getKey() + " maps to " + rule.getValue()
                        + ", not to a keyspace name");
            }
            rules.put(rule.getKey(), rule.getValue().textValue());
        }
        return rules;
    }

    private static TableSchema readTable(String name, JsonNode node, String where) {
        String at = where + ": table " + name;
        object(node, at);
        onlyKeys(node, at, Set.of("type", "column_vindexes", "auto_increment"));
        boolean sequence = false;
        if (node.has("type")) {
            String type = text(node, "type", at);
            if (!type.equals("sequence")) {
                throw new TopologyException(at + " has type '" + type + "'; the only table type is 'sequence'");
            }
            sequence = true;
        }
        List<ColumnVindex> columnVindexes = new ArrayList<>();
        JsonNode columns = node.path("column_vindexes");
        if (!columns.isMissingNode() && !columns.isArray()) {
            throw new TopologyException(at + ": column_vindexes is not a list");
        }
        for (JsonNode column : columns) {
            onlyKeys(object(column, at + ": column vindex"), at + ": column vindex", Set.of("column", "name"));
            columnVindexes.add(new ColumnVindex(text(column, "column", at), text(column, "name", at)));
        }
        Optional<AutoIncrement> autoIncrement = Optional.empty();
        if (node.has("auto_increment")) {
            JsonNode auto = object(node.get("auto_increment"), at + ": auto_increment");
            onlyKeys(auto, at + ": auto_increment", Set.of("column", "sequence"));
            autoIncrement = Optional.of(new AutoIncrement(text(auto, "column", at), text(auto, "sequence", at)));
        }
        return new TableSchema(name, sequence, columnVindexes, autoIncrement);
    }

    private static JsonNode parse(String json, String where) {
        try {
            return READER.readTree(json);
        } catch (JsonProcessingException e) {
            throw new TopologyException(where + " is not valid JSON: " + e.getOriginalMessage(), e);
        }
    }

    private static String write(JsonNode node) {
        try {
            return WRITER.writeValueAsString(node);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("a JSON tree of strings and booleans did not serialize", e);
        }
    }

    private static JsonNode object(JsonNode node, String where) {
        if (node == null || !node.isObject()) {
            throw new TopologyException(where + " is not a JSON object");
        }
        return node;
    }

    private static Iterable<Map.Entry<String, JsonNode>> entries(JsonNode parent, String key, String where) {
        JsonNode node = parent.path(key);
        if (node.isMissingNode()) {
            return List.of();
        }
        return object(node, where + ": " + key)::fields;
    }

    private static String text(JsonNode node, String key, String where) {
        JsonNode value = node.get(key);
        if (value == null || !value.isTextual()) {
            throw new TopologyException(where + ": " + key + " is missing or not a string");
        }
        return value.textValue();
    }

    private static void onlyKeys(JsonNode node, String where, Set<String> allowed) {
        for (Iterator<String> names = node.fieldNames(); names.hasNext(); ) {
            String name = names.next();
            if (!allowed.contains(name)) {
                throw new TopologyException(where + " has unknown key '" + name + "' (known: "
                        + String.join(", ", allowed.stream().sorted().toList()) + "); was it written by a newer"
                        + " gateway?");
            }
        }
    }
}
