package io.switchyard.admin.api;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.switchyard.proxy.packet.resultset.ColumnDefinition41;
import io.switchyard.proxy.packet.resultset.ResultRow;
import io.switchyard.proxy.packet.resultset.TextResultSet;

import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * Admin SQL result sets as JSON objects, one a row, keyed by column name in snake_case. The result set is text, so
 * the column decides the JSON type: counts, rows, seconds and percentages become numbers, the admin SQL's UTC
 * timestamps ({@code 2026-11-22 19:33:53}) become ISO-8601 ({@code 2026-11-22T19:33:53Z}), SQL NULL becomes null,
 * the rest stays a string (shard {@code 0} and a table named {@code 2024} must stay strings).
 */
public final class ResultJson {
    private static final Pattern INTEGER = Pattern.compile("-?\\d{1,18}");
    private static final Pattern DECIMAL = Pattern.compile("-?\\d+\\.\\d+");
    private static final Pattern SQL_TIME = Pattern.compile("\\d{4}-\\d{2}-\\d{2} \\d{2}:\\d{2}:\\d{2}");
    private static final JsonNodeFactory JSON = JsonNodeFactory.instance;

    private ResultJson() {
    }

    /**
     * @param renames column name → JSON field name (e.g. {@code pct → percent}); a column renamed to "" is left out
     */
    public static ArrayNode objects(TextResultSet rows, Map<String, String> renames) {
        List<String> fields = rows.columns().stream().map(ColumnDefinition41::name)
                .map(column -> renames.getOrDefault(column, snakeCase(column))).toList();
        ArrayNode out = JSON.arrayNode();
        for (ResultRow row : rows.rows()) {
            ObjectNode object = out.addObject();
            for (int i = 0; i < fields.size(); i++) {
                if (!fields.get(i).isEmpty()) {
                    put(object, fields.get(i), row.isNull(i) ? null : row.string(i));
                }
            }
        }
        return out;
    }

    static void put(ObjectNode object, String field, String value) {
        if (value == null) {
            object.putNull(field);
        } else if (numeric(field) && INTEGER.matcher(value).matches()) {
            object.put(field, Long.parseLong(value));
        } else if (numeric(field) && DECIMAL.matcher(value).matches()) {
            object.put(field, Double.parseDouble(value));
        } else if (SQL_TIME.matcher(value).matches()) {
            object.put(field, value.replace(' ', 'T') + "Z");
        } else {
            object.put(field, value);
        }
    }

    /**
     * Columns whose values are quantities: rows_copied, lag_seconds, percent, mismatched_rows, extra_count, ...,
     * and an external keyspace's port and import_connections.
     */
    static boolean numeric(String field) {
        return field.startsWith("rows_") || field.endsWith("_rows") || field.endsWith("_seconds")
                || field.endsWith("_count") || field.equals("percent") || field.equals("pct")
                || field.endsWith("_percent") || field.endsWith("_percentage") || field.equals("rows")
                || field.equals("port") || field.endsWith("_connections");
    }

    static String snakeCase(String column) {
        return column.strip().replaceAll("[^A-Za-z0-9]+", "_").toLowerCase(Locale.ROOT);
    }
}
