package io.switchyard.replication.verify;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.HexFormat;

/**
 * Renders a row's key for a report sample as a JSON object, {@code {"id":42,"region":"eu"}}: numbers as numbers,
 * text as strings, binary values as {@code "0x..."} strings, so an operator can paste them into a WHERE clause.
 */
final class Samples {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HexFormat HEX = HexFormat.of();

    private Samples() {
    }

    static String keyJson(DiffTable table, Row row) {
        ObjectNode key = JSON.createObjectNode();
        for (int index : table.key()) {
            String name = table.columns().get(index).name();
            Object value = row.values()[index];
            if (value instanceof Long number) {
                key.put(name, number);
            } else if (value instanceof BigInteger number) {
                key.put(name, number);
            } else if (value instanceof BigDecimal number) {
                key.put(name, number);
            } else if (value instanceof byte[] bytes) {
                key.put(name, "0x" + HEX.formatHex(bytes));
            } else {
                key.put(name, String.valueOf(value));
            }
        }
        return key.toString();
    }
}
