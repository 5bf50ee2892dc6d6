package io.switchyard.replication.copy;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Objects;

/**
 * The primary key of the last row a target has committed: the copy resumes with {@code WHERE pk > lastpk}.
 *
 * <p>Stored in {@code _switchyard.copy_state.lastpk} as JSON that keeps each value's Java type, so that a resumed
 * copy binds a BIGINT as a number and a VARBINARY as bytes, exactly as the first run did:
 * <pre>{@code {"columns":["id","region"],"values":[{"int":"42"},{"text":"eu"}]}}</pre>
 *
 * @param columns the primary-key column names, in key order
 * @param values  their values, of the Java types {@link ColumnKind} reads ({@code null} is not allowed in a key)
 */
public record LastPk(List<String> columns, List<Object> values) {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HexFormat HEX = HexFormat.of();

    public LastPk {
        columns = List.copyOf(columns);
        values = List.copyOf(values); // also rejects null values
        if (columns.size() != values.size() || columns.isEmpty()) {
            throw new IllegalArgumentException("a lastpk needs one value per key column, had " + columns
                    + " and " + values.size() + " values");
        }
    }

    /** The JSON form stored in {@code copy_state}. */
    public String toJson() {
        ObjectNode root = JSON.createObjectNode();
        ArrayNode names = root.putArray("columns");
        columns.forEach(names::add);
        ArrayNode encoded = root.putArray("values");
        for (Object value : values) {
            ObjectNode node = encoded.addObject();
            if (value instanceof Long || value instanceof BigInteger) {
                node.put("int", value.toString());
            } else if (value instanceof BigDecimal decimal) {
                node.put("decimal", decimal.toPlainString());
            } else if (value instanceof byte[] bytes) {
                node.put("hex", HEX.formatHex(bytes));
            } else if (value instanceof String text) {
                node.put("text", text);
            } else {
                throw new IllegalStateException("unexpected lastpk value type " + value.getClass().getName());
            }
        }
        return root.toString();
    }

    /**
     * Parses {@link #toJson()}'s output.
     *
     * @throws IllegalArgumentException quoting the text if it is not a lastpk
     */
    public static LastPk fromJson(String json) {
        try {
            JsonNode root = JSON.readTree(json);
            List<String> columns = new ArrayList<>();
            root.required("columns").forEach(node -> columns.add(node.asText()));
            List<Object> values = new ArrayList<>();
            for (JsonNode node : root.required("values")) {
                values.add(decode(node));
            }
            return new LastPk(columns, values);
        } catch (JsonProcessingException | RuntimeException e) {
            throw new IllegalArgumentException("not a lastpk: '" + json + "': " + e.getMessage(), e);
        }
    }

    private static Object decode(JsonNode node) {
        if (node.has("int")) {
            return ColumnKind.parseInteger(node.get("int").asText());
        }
        if (node.has("decimal")) {
            return new BigDecimal(node.get("decimal").asText());
        }
        if (node.has("hex")) {
            return HEX.parseHex(node.get("hex").asText());
        }
        return node.required("text").asText();
    }

    // byte[] values compare by identity in a record's generated equals; compare them by content.
    @Override
    public boolean equals(Object other) {
        return other instanceof LastPk that && columns.equals(that.columns)
                && Arrays.deepEquals(values.toArray(), that.values.toArray());
    }

    @Override
    public int hashCode() {
        return 31 * columns.hashCode() + Arrays.deepHashCode(values.toArray());
    }

    @Override
    public String toString() {
        return toJson();
    }

    static LastPk of(SourceTable table, Object[] row) {
        List<Object> key = new ArrayList<>(table.primaryKey().size());
        for (int index : table.primaryKey()) {
            key.add(Objects.requireNonNull(row[index], "primary-key value"));
        }
        return new LastPk(table.primaryKeyNames(), key);
    }
}
